import type { NodeExecutor } from '../../engine/types'
import type { LoopOverItemsParams } from './definition'

/** One iteration: the engine hands over the next batch, which goes out on "loop" as it is. */
export const execute: NodeExecutor<LoopOverItemsParams> = async (ctx) => ({ loop: ctx.items })
