import type { NodeExecutor } from '../engine/types'

/**
 * A broker trigger's step: the run's input is the message's item, built by the worker's consumer. Run by hand (or
 * "test this step") with no message, it outputs one empty item so the steps after it can be tried.
 */
export const execute: NodeExecutor = async (ctx) => ({ main: ctx.items.length > 0 ? ctx.items : [{}] })
