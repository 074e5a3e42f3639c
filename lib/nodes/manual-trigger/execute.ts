import type { NodeExecutor } from '../../engine/types'
import type { ManualTriggerParams } from './definition'

/** A run started without input still produces one (empty) item, so the next step runs once. */
export const execute: NodeExecutor<ManualTriggerParams> = async (ctx) => ({ main: ctx.items.length > 0 ? ctx.items : [{}] })
