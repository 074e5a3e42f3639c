import type { NodeExecutor } from '../../../engine/types'
import type { WhatsAppTriggerParams } from './definition'

/** A webhook hands the run its one item; a run without input (a tested step) has no message. */
export const execute: NodeExecutor<WhatsAppTriggerParams> = async (ctx) => ({
  main: ctx.items.length > 0 ? ctx.items : [{ event: null }],
})
