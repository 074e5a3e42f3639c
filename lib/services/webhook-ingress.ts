// Incoming webhook requests: find the trigger by path, read the body within the size limit, start the owning
// workflow's current version, and answer at once (202) or with the run's answer ("when finished"). What is
// recorded of the request and what the answer may carry is decided in lib/http/webhook-headers.ts.
import { AppError, PayloadTooLargeError, ValidationError } from '../errors'
import { findForbiddenKey, forbiddenKeyMessage, jsonDepthExceeds, MAX_JSON_DEPTH, mayHoldForbiddenKey } from '../http/body'
import { env } from '../env'
import { callerAddress, checkBeforeBody, checkSignature, WebhookAuthError } from '../http/webhook-auth'
import { WebhookRateLimiter } from '../http/webhook-rate'
import { getDecryptedCredential } from '../credentials'
import { rateLimits } from './rate-limits'
import { headerValue, recordedRequestHeaders, WEBHOOK_ANSWER_PROTECTIONS, webhookAnswerHeaders, type RequestHeaders } from '../http/webhook-headers'
import type { Item, WebhookResponse } from '../engine/types'
import type { FileService } from '../files/service'
import type { FileRef } from '../files/ref'
import { startExecution, type ExecutionDeps } from './executions'
import { discardFiles } from './files'
import { readMultipart } from './webhook-multipart'
import { findWebhookTarget, followTriggerChanges } from './webhook-cache'
import type { Redis } from 'ioredis'
import { normalizeWebhookPath } from './webhook-sync'
import { takeTestTarget, TEST_LISTEN_SECONDS, TEST_WEBHOOK_MODE } from './webhook-test'
import type { WebhookWaiters, WebhookMessage } from './signals'

export interface WebhookDeps extends ExecutionDeps {
  waiters: WebhookWaiters
  /** A JSON, form or text body; in a multipart body, its fields together. */
  bodyLimitBytes: number
  /** A whole multipart/form-data request, files included (AUTERITY_WEBHOOK_UPLOAD_LIMIT). */
  uploadLimitBytes: number
  /** Where uploaded files go (unattached until their run starts). */
  files: FileService
  /** A connection subscribed to activation changes: the path cache is cleared on each (./webhook-cache.ts). */
  triggerChanges?: Redis
}

/** What the ingress needs of an HTTP request, from a Web `Request` (route handler) or node:http (server.ts). */
export interface WebhookRequest {
  method: string
  /** Query string without "?" (may be empty). */
  query: string
  headers: RequestHeaders
  body: AsyncIterable<Uint8Array> | null
  /** Stop reading the body (it went over the limit). */
  abortBody(): void
  /** The socket's peer address (node:http); absent from a Web Request (then only a trusted proxy's header says). */
  remoteAddress?: string
}

export interface WebhookReply {
  status: number
  headers: Record<string, string>
  body: string | null
}

const JSON_TYPE = 'application/json'
const json = (status: number, value: unknown): WebhookReply => ({
  status,
  headers: { 'content-type': JSON_TYPE, ...WEBHOOK_ANSWER_PROTECTIONS },
  body: JSON.stringify(value),
})

/**
 * `test`: /api/webhooks-test/<path>, which runs the newest draft once while the designer listens (./webhook-test.ts);
 * otherwise /api/webhooks/<path>, which runs the published version of an active workflow.
 */
export async function handleWebhook(deps: WebhookDeps, req: WebhookRequest, rawPath: string, opts: { test?: boolean } = {}): Promise<WebhookReply> {
  followTriggerChanges(deps.triggerChanges)
  const path = normalizeWebhookPath(rawPath)
  const found = opts.test ? await takeTestTarget(deps, path, req.method) : await findWebhookTarget(deps.prisma, path)
  if (found && 'wrongMethod' in found) throw new AppError(405, 'METHOD_NOT_ALLOWED', `Test webhook "${path}" accepts ${found.wrongMethod}, not ${req.method}`)
  if (!found && opts.test) {
    throw new AppError(404, 'NOT_FOUND', `Test webhook "${path}" is not listening: click "Listen for test event" on the Webhook node in the designer, then call this URL within ${TEST_LISTEN_SECONDS} s`)
  }
  if (!found) throw new AppError(404, 'NOT_FOUND', `Webhook "${path}" not found: no active workflow's published version answers on this path`)
  const target = found
  if (target.method !== req.method && target.method !== 'ANY') {
    throw new AppError(405, 'METHOD_NOT_ALLOWED', `Webhook "${path}" accepts ${target.method}, not ${req.method}`)
  }
  webhookRate().hit(target.workflowId)
  const auth = target.auth
  let secret: Record<string, string> | null = null
  if (auth) {
    try {
      secret = auth.config?.credential && auth.config.auth !== 'none' ? await webhookSecret(target.tenantId, auth.config.credential) : null
      checkBeforeBody(auth, req.headers, callerAddress(req.headers, req.remoteAddress, env().webhook.trustProxy), secret)
      if (auth.config?.auth === 'hmac' && (headerValue(req.headers['content-type']) ?? '').toLowerCase().startsWith('multipart/form-data')) {
        throw new WebhookAuthError(401, 'A signed webhook takes a JSON, form or text body, not multipart')
      }
    } catch (err) {
      req.abortBody()
      countRefusal(err)
      throw err
    }
  }
  const received = await readBody(deps, req, target.tenantId)
  if (auth?.config?.auth === 'hmac') {
    try {
      checkSignature(auth, req.headers, received.raw ?? Buffer.alloc(0), secret)
    } catch (err) {
      countRefusal(err)
      throw err
    }
  }
  const input: Item[] = [
    {
      body: received.body,
      headers: recordedRequestHeaders(req.headers, target.keepAuthorizationHeader),
      query: req.query ? Object.fromEntries(new URLSearchParams(req.query)) : {},
      method: req.method,
      path,
    },
  ]
  const start = { ...target, input, mode: opts.test ? TEST_WEBHOOK_MODE : 'webhook', triggerNodeId: target.nodeId }
  const fileIds = received.files.map((f) => f.$file)
  let waiter: Awaited<ReturnType<WebhookWaiters['register']>> | undefined
  let executionId: string
  try {
    // Uploads join the run before its job is enqueued: a worker never sees a file that is not yet its run's.
    executionId = await startExecution(deps, start, async (id) => {
      if (fileIds.length > 0) await deps.files.attach(target.tenantId, fileIds, id)
      if (target.responseMode === 'lastNode') waiter = await deps.waiters.register(id)
    })
  } catch (err) {
    waiter?.cancel()
    if (received.files.length > 0) await discardFiles(deps.files, target.tenantId, received.files).catch(() => undefined)
    throw err
  }
  if (!waiter) return json(202, { executionId })
  const msg = await waiter.wait(target.timeoutMs)
  return answer(msg, target.timeoutMs)
}

function answer(msg: WebhookMessage | null, timeoutMs: number): WebhookReply {
  if (!msg) return json(504, { error: { code: 'TIMEOUT', message: `The workflow did not answer within ${timeoutMs} ms` } })
  if (msg.kind === 'respond') return respondWith(msg.response)
  if (msg.status === 'succeeded') return json(200, msg.item ?? {})
  const message = msg.error?.message ?? `The workflow ended ${msg.status}`
  return json(500, { error: { code: 'WORKFLOW_FAILED', message } })
}

function respondWith(r: WebhookResponse): WebhookReply {
  const status = Number.isInteger(r.status) && r.status >= 200 && r.status <= 599 ? r.status : 200
  const inline = r.allowInline === true
  if (typeof r.body === 'string') return { status, headers: webhookAnswerHeaders(r.headers, 'text/plain; charset=utf-8', inline), body: r.body }
  if (r.body === undefined || r.body === null) return { status, headers: webhookAnswerHeaders(r.headers, undefined, inline), body: null }
  return { status, headers: webhookAnswerHeaders(r.headers, JSON_TYPE, inline), body: JSON.stringify(r.body) }
}

/** Enforces the limit on the declared length and again while streaming (the header may lie or be absent). */
async function readBody(deps: WebhookDeps, req: WebhookRequest, tenantId: string): Promise<{ body: unknown; files: FileRef[]; raw?: Buffer }> {
  const type = (headerValue(req.headers['content-type']) ?? '').toLowerCase()
  const multipart = type.startsWith('multipart/form-data')
  const limit = multipart ? deps.uploadLimitBytes : deps.bodyLimitBytes
  const declared = Number(headerValue(req.headers['content-length']) ?? '0')
  if (declared > limit) {
    req.abortBody()
    throw new PayloadTooLargeError(limit)
  }
  if (!req.body) return { body: null, files: [] }
  if (multipart) {
    return readMultipart({
      contentType: headerValue(req.headers['content-type'])!,
      chunks: req.body,
      abort: () => req.abortBody(),
      files: deps.files.scoped({ tenantId, executionId: null }),
      discard: (files) => discardFiles(deps.files, tenantId, files),
      limits: { requestBytes: deps.uploadLimitBytes, fieldBytes: deps.bodyLimitBytes },
    })
  }
  return readText(req, req.body, limit, type)
}

async function readText(req: WebhookRequest, body: AsyncIterable<Uint8Array>, limit: number, type: string): Promise<{ body: unknown; files: FileRef[]; raw: Buffer }> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.byteLength
    if (size > limit) {
      req.abortBody()
      throw new PayloadTooLargeError(limit)
    }
    chunks.push(chunk)
  }
  if (size === 0) return { body: null, files: [], raw: Buffer.alloc(0) }
  const raw = chunks.length === 1 ? Buffer.from(chunks[0].buffer, chunks[0].byteOffset, chunks[0].byteLength) : Buffer.concat(chunks)
  return { body: parseText(raw.toString('utf8'), type), files: [], raw }
}

function parseText(text: string, type: string): unknown {
  if (type.includes('json')) {
    // The same guards as every API body (lib/http/body.ts): nesting bounded before parsing, prototype keys refused.
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new ValidationError(`Body is nested deeper than ${MAX_JSON_DEPTH} levels`, { body: 'too deeply nested' })
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new ValidationError('Body is not valid JSON', { body: 'malformed JSON' })
    }
    const key = mayHoldForbiddenKey(text) ? findForbiddenKey(parsed, ['body']) : null
    if (key !== null) throw new ValidationError(`${key}: ${forbiddenKeyMessage(key)}`, { [key]: forbiddenKeyMessage(key) })
    return parsed
  }
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text))
  return text
}

let rate: WebhookRateLimiter | undefined
/** This process's per-workflow webhook limiter (lib/http/webhook-rate.ts). */
export function webhookRate(): WebhookRateLimiter {
  return (rate ??= new WebhookRateLimiter(rateLimits))
}

/** Refused webhook calls since start, by status (401: credentials, 403: address, 429: rate). */
export const webhookRefusals: Record<number, number> = {}
function countRefusal(err: unknown): void {
  const status = (err as { status?: number }).status
  if (status === 401 || status === 403) webhookRefusals[status] = (webhookRefusals[status] ?? 0) + 1
}

const SECRET_TTL_MS = 2000
const secrets = new Map<string, { at: number; data: Record<string, string> | null }>()
/** A trigger's credential, decrypted, held as briefly as the trigger itself is cached (./webhook-cache.ts). */
async function webhookSecret(tenantId: string, credentialId: string): Promise<Record<string, string> | null> {
  const key = `${tenantId}|${credentialId}`
  const hit = secrets.get(key)
  if (hit && Date.now() - hit.at < SECRET_TTL_MS) return hit.data
  const data = await getDecryptedCredential(tenantId, credentialId).then((c) => c.data as Record<string, string>, () => null)
  if (secrets.size > 10_000) secrets.clear()
  secrets.set(key, { at: Date.now(), data })
  return data
}
