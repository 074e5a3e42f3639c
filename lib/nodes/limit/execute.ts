import type { NodeExecutor } from '../../engine/types'
import type { LimitParams } from './definition'

/** The kept window in whole-input positions, cut down to this page. */
export const execute: NodeExecutor<LimitParams> = async (ctx) => {
  const { maxItems, keep } = ctx.params
  const from = keep === 'first' ? 0 : Math.max(0, ctx.inputCount - maxItems)
  const to = keep === 'first' ? maxItems : ctx.inputCount
  const start = Math.max(0, from - ctx.inputOffset)
  const end = Math.max(0, Math.min(ctx.items.length, to - ctx.inputOffset))
  return { main: start < end ? ctx.items.slice(start, end) : [] }
}
