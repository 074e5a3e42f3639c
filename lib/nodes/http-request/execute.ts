import type { Executor } from '../define'
import { NodeError, type CredentialData, type HttpRequestSpec, type HttpStreamResponse, type Item } from '../../engine/types'
import type { RunFiles } from '../../files/types'
import { kvToRecord } from '../params'
import type { HttpRequestParams } from './definition'
import { fileBody, multipartBody, openResponse, readAll, storeResponse, type RequestBody } from './files'
import { buildRequestSpec, hasHeader, httpStatusError, isTextual, setHeader, toOutputItem } from './request-spec'

/** JSON and text answers are read whole, up to this; bigger bodies belong in a file. */
const WHOLE_BODY_LIMIT = 50 * 1024 * 1024
/** What an error answer's message quotes of its body. */
const ERROR_BODY_BYTES = 64 * 1024

type Ctx = Parameters<Executor<HttpRequestParams, 'files'>>[0]

/**
 * One request per input item, a page at a time (a batch node), a few in flight at once, outputs in input order. The
 * first failure cancels the rest. With batching, the page is cut where a batch ends (batches count over the whole
 * input) and the node pauses between batches.
 */
export const execute: Executor<HttpRequestParams, 'files'> = async (ctx) => {
  const out: Item[] = new Array(ctx.items.length)
  const { batchSize, batchIntervalMs } = ctx.params
  const creds: Creds = { current: await ctx.credential() }
  let files: RunFiles | undefined
  const runFiles = () => (files ??= ctx.services.files.forRun(ctx))
  for (let from = 0; from < ctx.items.length; ) {
    const index = ctx.inputOffset + from
    if (batchSize > 0 && index > 0 && index % batchSize === 0 && batchIntervalMs > 0) await ctx.services.sleep(batchIntervalMs, ctx.signal)
    const to = batchSize > 0 ? Math.min(ctx.items.length, from + batchSize - (index % batchSize)) : ctx.items.length
    await sendRange(ctx, creds, runFiles, from, to, out)
    from = to
  }
  return { main: out }
}

/** The credential requests are sent with: an OAuth2 one is swapped for a renewed token after a 401. */
interface Creds {
  current: CredentialData | undefined
  renewal?: Promise<CredentialData>
}

/** One renewal for all lanes that saw the same token refused; a lane that used an older token takes the newer one. */
function renewed(creds: Creds, used: CredentialData): Promise<CredentialData> {
  if (creds.current && creds.current !== used) return Promise.resolve(creds.current)
  creds.renewal ??= used.renew!().then((fresh) => {
    creds.current = fresh
    creds.renewal = undefined
    return fresh
  })
  return creds.renewal
}

const unauthorized = (err: unknown) => err instanceof NodeError && (err.details as { status?: number } | undefined)?.status === 401

/** Requests for items [from, to) of the page, `concurrency` lanes, results into `out` at their positions. */
async function sendRange(ctx: Ctx, creds: Creds, files: () => RunFiles, from: number, to: number, out: Item[]): Promise<void> {
  // Not AbortSignal.any([ctx.signal, stop.signal]): Node flattens composites, so the HTTP client's per-request
  // AbortSignal.any would register each request with the run's signal, which keeps ~60 bytes per request for the
  // whole run (60 MB for a million items). A plain controller that the run's signal aborts keeps nothing.
  const stop = new AbortController()
  const signal = stop.signal
  const forward = () => stop.abort(ctx.signal.reason)
  let next = from
  let failure: unknown

  async function lane(): Promise<void> {
    while (failure === undefined && next < to) {
      const i = next++
      try {
        const p = await ctx.paramsFor(i)
        const send = async (cred: CredentialData | undefined) => {
          // One key per request: the step's key and the item's index in the whole input (each item is a distinct request).
          const spec = buildRequestSpec(p, cred, signal, `${ctx.idempotencyKey}:${ctx.inputOffset + i}`)
          if (p.bodyType === 'file' || p.bodyType === 'multipart') {
            const item = ctx.items[i] ?? {}
            withBody(spec, p.bodyType === 'file' ? await fileBody(files(), item, p.fileField) : await multipartBody(files(), item, kvToRecord(p.formBody), p.fileParts))
          }
          return p.responseFormat === 'json' || p.responseFormat === 'text' ? await wholeAnswer(ctx, p, spec) : await streamedAnswer(ctx, p, spec, files, signal)
        }
        // An OAuth2 token the API refuses (revoked, expired early) is renewed and the request sent once more.
        const used = creds.current
        try {
          out[i] = await send(used)
          if (used?.renew && out[i].status === 401) out[i] = await send(await renewed(creds, used))
        } catch (err) {
          if (!used?.renew || !unauthorized(err)) throw err
          out[i] = await send(await renewed(creds, used))
        }
      } catch (err) {
        if (failure === undefined) {
          failure = err
          stop.abort(err)
        }
      }
    }
  }

  if (ctx.signal.aborted) forward()
  else ctx.signal.addEventListener('abort', forward, { once: true })
  try {
    await Promise.all(Array.from({ length: Math.min(ctx.params.concurrency, to - from) }, lane))
  } finally {
    ctx.signal.removeEventListener('abort', forward)
  }
  if (failure !== undefined) throw failure
}

/** Headers the user typed win over the file's type; the length always comes from the body. */
function withBody(spec: HttpRequestSpec, body: RequestBody): void {
  const headers = spec.headers ?? {}
  for (const [name, value] of Object.entries(body.headers)) {
    if (name === 'content-length') setHeader(headers, name, value)
    else if (!hasHeader(headers, name)) headers[name] = value
  }
  spec.headers = headers
  spec.body = body.body
}

/** An error answer is a line of the step's log: method, URL without its query, status, Retry-After. Never headers or
 * the body (either may carry a credential or personal data; the step's error keeps the start of the body). */
function logErrorAnswer(ctx: Ctx, p: HttpRequestParams, res: { status: number; url: string; headers: Record<string, string> }): void {
  const url = URL.parse(res.url)
  const retryAfter = res.headers['retry-after']
  ctx.log.warn(`${p.method} ${url ? `${url.origin}${url.pathname}` : 'request'} answered ${res.status}${retryAfter ? ` (Retry-After: ${retryAfter.slice(0, 40)})` : ''}`, { status: res.status })
}

async function wholeAnswer(ctx: Ctx, p: HttpRequestParams, spec: HttpRequestSpec): Promise<Item> {
  const res = await ctx.services.http.request(spec)
  if (res.status >= 400) logErrorAnswer(ctx, p, res)
  if (res.status >= 400 && p.failOnHttpError) throw httpStatusError(p, res)
  return toOutputItem(res, p.responseFormat)
}

/** auto and file: the headers decide; a binary body (or any body, for `file`) streams into the file store. */
async function streamedAnswer(ctx: Ctx, p: HttpRequestParams, spec: HttpRequestSpec, files: () => RunFiles, signal: AbortSignal): Promise<Item> {
  const res = await openResponse(ctx.services.http, spec, ctx.services.files.maxFileBytes)
  if (res.status >= 400) logErrorAnswer(ctx, p, res)
  try {
    if (res.status >= 400 && p.failOnHttpError) throw httpStatusError(p, { ...res, body: await readPrefix(res, ERROR_BODY_BYTES) })
    const contentType = res.headers['content-type'] ?? ''
    const empty = spec.method === 'HEAD' || res.status === 204 || res.status === 304 || res.headers['content-length'] === '0'
    if (!empty && (p.responseFormat === 'file' || !isTextual(contentType))) {
      return { status: res.status, headers: res.headers, file: await storeResponse(files(), res, signal) }
    }
    return toOutputItem({ ...res, body: await readAll(res, WHOLE_BODY_LIMIT) }, 'auto')
  } catch (err) {
    res.cancel()
    throw err
  }
}

async function readPrefix(res: HttpStreamResponse, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for await (const chunk of res.body) {
      chunks.push(chunk)
      total += chunk.byteLength
      if (total >= limit) break
    }
  } catch (err) {
    if (!(err instanceof NodeError)) throw err
  } finally {
    res.cancel()
  }
  return Buffer.concat(chunks).subarray(0, limit)
}
