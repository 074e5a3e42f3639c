import type { NodeExecutor } from '../../../engine/types'
import type { CallTriggerParams } from './definition'

/** The hook hands the run its one item ({ callId, callSid, from, to }); a tested step without a call has none. */
export const execute: NodeExecutor<CallTriggerParams> = async (ctx) => ({
  main: ctx.items.length > 0 ? ctx.items : [{ callId: null, callSid: null, from: null, to: null }],
})
