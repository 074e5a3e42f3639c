// Incoming webhook requests: find the trigger by path, read the body within the size limit, start the owning
// workflow's current version, and answer at once (202) or with the run's answer ("when finished").
import { AppError, NotFoundError, PayloadTooLargeError, ValidationError } from '../errors'
import type { Item, WebhookResponse } from '../engine/types'
import { startExecution, type ExecutionDeps } from './executions'
import { findWebhookTarget } from './webhook-cache'
import { normalizeWebhookPath } from './webhook-sync'
import type { WebhookWaiters, WebhookMessage } from './signals'

export interface WebhookDeps extends ExecutionDeps {
  waiters: WebhookWaiters
  bodyLimitBytes: number
}

export async function handleWebhook(deps: WebhookDeps, req: Request, rawPath: string): Promise<Response> {
  const path = normalizeWebhookPath(rawPath)
  const target = await findWebhookTarget(deps.prisma, path)
  if (!target) throw new NotFoundError(`Webhook "${path}"`)
  if (target.method !== req.method && target.method !== 'ANY') {
    throw new AppError(405, 'METHOD_NOT_ALLOWED', `Webhook "${path}" accepts ${target.method}, not ${req.method}`)
  }
  const url = new URL(req.url)
  const input: Item[] = [
    {
      body: await readBody(req, deps.bodyLimitBytes),
      headers: Object.fromEntries(req.headers),
      query: Object.fromEntries(url.searchParams),
      method: req.method,
      path,
    },
  ]
  const start = { ...target, input, mode: 'webhook', triggerNodeId: target.nodeId }
  if (target.responseMode === 'onReceived') {
    const executionId = await startExecution(deps, start)
    return Response.json({ executionId }, { status: 202 })
  }
  let waiter: Awaited<ReturnType<WebhookWaiters['register']>> | undefined
  try {
    await startExecution(deps, start, async (executionId) => {
      waiter = await deps.waiters.register(executionId)
    })
  } catch (err) {
    waiter?.cancel()
    throw err
  }
  const msg = await waiter!.wait(target.timeoutMs)
  return answer(msg, target.timeoutMs)
}

function answer(msg: WebhookMessage | null, timeoutMs: number): Response {
  if (!msg) return Response.json({ error: { code: 'TIMEOUT', message: `The workflow did not answer within ${timeoutMs} ms` } }, { status: 504 })
  if (msg.kind === 'respond') return respondWith(msg.response)
  if (msg.status === 'succeeded') return Response.json(msg.item ?? {}, { status: 200 })
  const message = msg.error?.message ?? `The workflow ended ${msg.status}`
  return Response.json({ error: { code: 'WORKFLOW_FAILED', message } }, { status: 500 })
}

function respondWith(r: WebhookResponse): Response {
  const headers = new Headers(r.headers ?? {})
  const status = Number.isInteger(r.status) && r.status >= 200 && r.status <= 599 ? r.status : 200
  if (typeof r.body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain; charset=utf-8')
    return new Response(r.body, { status, headers })
  }
  if (r.body === undefined || r.body === null) return new Response(null, { status, headers })
  if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  return new Response(JSON.stringify(r.body), { status, headers })
}

/** Enforces the limit on the declared length and again while streaming (the header may lie or be absent). */
async function readBody(req: Request, limit: number): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? '0')
  if (declared > limit) throw new PayloadTooLargeError(limit)
  if (!req.body) return null
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = req.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      throw new PayloadTooLargeError(limit)
    }
    chunks.push(value)
  }
  if (size === 0) return null
  const text = Buffer.concat(chunks).toString('utf8')
  const type = (req.headers.get('content-type') ?? '').toLowerCase()
  if (type.includes('json')) {
    try {
      return JSON.parse(text)
    } catch {
      throw new ValidationError('Body is not valid JSON', { body: 'malformed JSON' })
    }
  }
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text))
  return text
}
