import type { NodeExecutor } from '../../engine/types'
import type { ScheduleTriggerParams } from './definition'
import { scheduleItem } from './fire-item'

/** A tick's run passes its item on; run by hand (or "test this step"), the node makes one for now. */
export const execute: NodeExecutor<ScheduleTriggerParams> = async (ctx) => {
  if (ctx.items.length > 0) return { main: ctx.items }
  const now = new Date()
  const zone = ctx.params.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  return { main: [scheduleItem(now, now, zone)] }
}
