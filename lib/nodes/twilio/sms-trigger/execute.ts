import type { NodeExecutor } from '../../../engine/types'
import type { SmsTriggerParams } from './definition'

/** The inbound hook hands the run its one item; a run without input (a tested step) has no message. */
export const execute: NodeExecutor<SmsTriggerParams> = async (ctx) => ({
  main: ctx.items.length > 0 ? ctx.items : [{ from: null, to: null, body: null, media: [], optOut: null, messageSid: null }],
})
