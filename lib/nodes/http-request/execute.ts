import type { CredentialData, ExecuteContext, Item, NodeExecutor } from '../../engine/types'
import type { HttpRequestParams } from './definition'
import { buildRequestSpec, httpStatusError, toOutputItem } from './request-spec'

type Ctx = ExecuteContext<HttpRequestParams>

/**
 * One request per input item, a page at a time (a batch node), a few in flight at once, outputs in input order. The
 * first failure cancels the rest. With batching, the page is cut where a batch ends (batches count over the whole
 * input) and the node pauses between batches.
 */
export const execute: NodeExecutor<HttpRequestParams> = async (ctx) => {
  const out: Item[] = new Array(ctx.items.length)
  const { batchSize, batchIntervalMs } = ctx.params
  const cred = await ctx.credential()
  for (let from = 0; from < ctx.items.length; ) {
    const index = ctx.inputOffset + from
    if (batchSize > 0 && index > 0 && index % batchSize === 0 && batchIntervalMs > 0) await ctx.services.sleep(batchIntervalMs, ctx.signal)
    const to = batchSize > 0 ? Math.min(ctx.items.length, from + batchSize - (index % batchSize)) : ctx.items.length
    await sendRange(ctx, cred, from, to, out)
    from = to
  }
  return { main: out }
}

/** Requests for items [from, to) of the page, `concurrency` lanes, results into `out` at their positions. */
async function sendRange(ctx: Ctx, cred: CredentialData | undefined, from: number, to: number, out: Item[]): Promise<void> {
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
        // One key per request: the step's key and the item's index in the whole input (each item is a distinct request).
        const res = await ctx.services.http.request(buildRequestSpec(p, cred, signal, `${ctx.idempotencyKey}:${ctx.inputOffset + i}`))
        if (res.status >= 400 && p.failOnHttpError) throw httpStatusError(p, res)
        out[i] = toOutputItem(res, p.responseFormat)
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
