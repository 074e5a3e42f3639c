import type { NodeExecutor } from '../../engine/types'
import { MAX_WAIT_MS, WAIT_UNITS, type WaitParams } from './definition'

export const execute: NodeExecutor<WaitParams> = async (ctx) => {
  const ms = Math.min(MAX_WAIT_MS, Math.round(ctx.params.amount * WAIT_UNITS[ctx.params.unit]))
  if (ms > 0) await ctx.services.sleep(ms, ctx.signal)
  return { main: ctx.items }
}
