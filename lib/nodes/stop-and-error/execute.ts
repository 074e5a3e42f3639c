import { NodeError, type NodeExecutor } from '../../engine/types'
import type { StopAndErrorParams } from './definition'

export const STOPPED = 'STOPPED'

export const execute: NodeExecutor<StopAndErrorParams> = async (ctx) => {
  if (ctx.items.length === 0) return { main: [] }
  throw new NodeError(ctx.params.message, { code: ctx.params.code ?? STOPPED, retryable: false })
}
