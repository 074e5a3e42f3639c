import type { NodeExecutor } from '../../engine/types'
import type { EventTriggerParams } from './definition'

/** A delivery hands the run its one item ({ event, payload }); a run without input (a tested step) has no event. */
export const execute: NodeExecutor<EventTriggerParams> = async (ctx) => ({
  main: ctx.items.length > 0 ? ctx.items : [{ event: null, payload: null }],
})
