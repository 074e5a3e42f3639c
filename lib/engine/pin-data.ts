// Pinned data: items a node outputs in place of running, while a workflow is designed. Kept with the graph
// (`pinData` by node id), checked here (browser and server) and used only by runs the host says may use it
// (the designer's manual runs, never production triggers: see RunOptions.applyPinData).
import { z } from 'zod'
import { utf8Length } from './step-log'
import type { Item, StepLogLine } from './types'

/** All pinned items of one workflow together, as JSON. */
export const PIN_DATA_MAX_BYTES = 1_000_000

const itemSchema = z.record(z.string(), z.unknown())

export const pinDataSchema = z.record(z.string().min(1).max(100), z.array(itemSchema)).superRefine((value, ctx) => {
  const bytes = pinDataBytes(value)
  if (bytes > PIN_DATA_MAX_BYTES) {
    ctx.addIssue({ code: 'custom', message: `Pinned data is ${formatBytes(bytes)}; a workflow may pin at most ${formatBytes(PIN_DATA_MAX_BYTES)} in all. Unpin a node or pin fewer items.` })
  }
})
export type PinData = z.infer<typeof pinDataSchema>

export function pinDataBytes(value: Record<string, unknown>): number {
  return utf8Length(JSON.stringify(value))
}

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} bytes`
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} KB`
  return `${(n / 1_000_000).toFixed(2)} MB`
}

export type PinParse = { ok: true; items: Item[] } | { ok: false; error: string }

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'string' ? 'text' : `a ${typeof v}`)

/** What a person typed or pasted as pinned items: a JSON array of objects, or one object (one item). */
export function parsePinnedItems(text: string): PinParse {
  if (text.trim() === '') return { ok: false, error: 'Enter JSON: an array of objects, or one object.' }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    const detail = err instanceof Error ? err.message.replace(/^JSON\.parse: /, '') : ''
    return { ok: false, error: `This is not valid JSON${detail ? ` (${detail})` : ''}.` }
  }
  const list = Array.isArray(value) ? value : [value]
  if (!Array.isArray(value) && (value === null || typeof value !== 'object')) {
    return { ok: false, error: `Pinned data must be an array of objects or one object; this is ${kindOf(value)}.` }
  }
  for (let i = 0; i < list.length; i++) {
    const item = list[i]
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      return { ok: false, error: `Item ${i + 1} is ${kindOf(item)}; every item must be an object such as {"name": "Ada"}.` }
    }
  }
  return { ok: true, items: list as Item[] }
}

/** Pinned items of one node, or the reason the whole pin data would be too large with them. */
export function withPinned(pinData: Record<string, Item[]>, nodeId: string, items: Item[] | null): { ok: true; pinData: Record<string, Item[]> } | { ok: false; error: string } {
  const next = { ...pinData }
  if (items === null) delete next[nodeId]
  else next[nodeId] = items
  const bytes = pinDataBytes(next)
  if (bytes > PIN_DATA_MAX_BYTES) {
    return { ok: false, error: `Pinning these items would make the workflow's pinned data ${formatBytes(bytes)}; the limit is ${formatBytes(PIN_DATA_MAX_BYTES)}. Pin fewer items.` }
  }
  return { ok: true, pinData: next }
}

/** The log line that marks a step record as pinned (read back by isPinnedStep). */
export function pinnedLogLine(count: number, at = Date.now()): StepLogLine {
  return { at, level: 'info', message: `Pinned data: this step did not run; it output its ${count} pinned item${count === 1 ? '' : 's'}.`, data: { pinned: true } }
}

/** Whether a recorded step output pinned data instead of running. */
export function isPinnedStep(step: { logs?: unknown } | undefined | null): boolean {
  return Array.isArray(step?.logs) && step.logs.some((l) => (l as StepLogLine | null)?.data?.pinned === true)
}
