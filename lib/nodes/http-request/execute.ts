import type { Item, NodeExecutor } from '../../engine/types'
import type { HttpRequestParams } from './definition'
import { buildRequestSpec, httpStatusError, toOutputItem } from './request-spec'

/** One request per input item, a few at a time, outputs in input order. The first failure cancels the rest. */
export const execute: NodeExecutor<HttpRequestParams> = async (ctx) => {
  const count = ctx.items.length
  const out: Item[] = new Array(count)
  const cred = await ctx.credential()
  const stop = new AbortController()
  const signal = AbortSignal.any([ctx.signal, stop.signal])
  let next = 0
  let failure: unknown

  async function worker(): Promise<void> {
    while (failure === undefined && next < count) {
      const i = next++
      try {
        const p = await ctx.paramsFor(i)
        // One key per request: the step's key and the item's index (each item is a distinct request to the target).
        const res = await ctx.services.http.request(buildRequestSpec(p, cred, signal, `${ctx.idempotencyKey}:${i}`))
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

  const lanes = Math.min(ctx.params.concurrency, count)
  await Promise.all(Array.from({ length: lanes }, worker))
  if (failure !== undefined) throw failure
  return { main: out }
}
