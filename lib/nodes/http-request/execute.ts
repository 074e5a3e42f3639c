import type { Executor } from '../define'
import { NodeError, type HttpRequestSpec, type HttpStreamResponse, type Item } from '../../engine/types'
import type { RunFiles } from '../../files/types'
import { kvToRecord } from '../params'
import type { HttpRequestParams } from './definition'
import { fileBody, multipartBody, openResponse, readAll, storeResponse, type RequestBody } from './files'
import { buildRequestSpec, httpStatusError, isTextual, toOutputItem } from './request-spec'

/** JSON and text answers are read whole, up to this; bigger bodies belong in a file. */
const WHOLE_BODY_LIMIT = 50 * 1024 * 1024
/** What an error answer's message quotes of its body. */
const ERROR_BODY_BYTES = 64 * 1024

type Ctx = Parameters<Executor<HttpRequestParams, 'files'>>[0]

/** One request per input item, a few at a time, outputs in input order. The first failure cancels the rest. */
export const execute: Executor<HttpRequestParams, 'files'> = async (ctx) => {
  const count = ctx.items.length
  const out: Item[] = new Array(count)
  const cred = await ctx.credential()
  const stop = new AbortController()
  const signal = AbortSignal.any([ctx.signal, stop.signal])
  let files: RunFiles | undefined
  const runFiles = () => (files ??= ctx.services.files.forRun(ctx))
  let next = 0
  let failure: unknown

  async function worker(): Promise<void> {
    while (failure === undefined && next < count) {
      const i = next++
      try {
        const p = await ctx.paramsFor(i)
        // One key per request: the step's key and the item's index (each item is a distinct request to the target).
        const spec = buildRequestSpec(p, cred, signal, `${ctx.idempotencyKey}:${i}`)
        if (p.bodyType === 'file' || p.bodyType === 'multipart') {
          const item = ctx.items[i] ?? {}
          const body = p.bodyType === 'file' ? await fileBody(runFiles(), item, p.fileField) : await multipartBody(runFiles(), item, kvToRecord(p.formBody), p.fileParts)
          withBody(spec, body)
        }
        out[i] = p.responseFormat === 'json' || p.responseFormat === 'text' ? await wholeAnswer(ctx, p, spec) : await streamedAnswer(ctx, p, spec, runFiles, signal)
      } catch (err) {
        if (failure === undefined) {
          failure = err
          stop.abort(err)
        }
      }
    }
  }

  const lanes = Math.min(ctx.params.concurrency, count)
  await Promise.all(Array.from({ length: lanes }, worker))
  if (failure !== undefined) throw failure
  return { main: out }
}

/** Headers the user typed win over the file's type; the length always comes from the body. */
function withBody(spec: HttpRequestSpec, body: RequestBody): void {
  const headers = spec.headers ?? {}
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name)
  for (const [name, value] of Object.entries(body.headers)) {
    if (name === 'content-length') for (const k of Object.keys(headers)) if (k.toLowerCase() === name) delete headers[k]
    if (name === 'content-length' || !has(name)) headers[name] = value
  }
  spec.headers = headers
  spec.body = body.body
}

async function wholeAnswer(ctx: Ctx, p: HttpRequestParams, spec: HttpRequestSpec): Promise<Item> {
  const res = await ctx.services.http.request(spec)
  if (res.status >= 400 && p.failOnHttpError) throw httpStatusError(p, res)
  return toOutputItem(res, p.responseFormat)
}

/** auto and file: the headers decide; a binary body (or any body, for `file`) streams into the file store. */
async function streamedAnswer(ctx: Ctx, p: HttpRequestParams, spec: HttpRequestSpec, files: () => RunFiles, signal: AbortSignal): Promise<Item> {
  const res = await openResponse(ctx.services.http, spec, ctx.services.files.maxFileBytes)
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
