// Schedule triggers: what a Schedule node's params mean as fire times. The same functions answer the inspector's
// "next five" preview, refuse a bad schedule on activation, and tell the worker what to hand BullMQ (its job
// schedulers take a cron `pattern` + `tz`, read with cron-parser as here, or an `every` in ms).
import { CronExpressionParser } from 'cron-parser'
import { z } from 'zod'
import { ValidationError } from '../errors'
import { scheduleTriggerParams, UNIT_MS, type ScheduleTriggerParams } from '../nodes/schedule-trigger/definition'

export type ScheduleSpec = { kind: 'cron'; pattern: string; tz: string } | { kind: 'every'; everyMs: number; tz: string }

export interface ScheduleLimits {
  /** Shortest time allowed between two fire times (lib/env `schedules.minIntervalMs`). */
  minIntervalMs: number
  /** The zone of a node whose `timezone` is empty (lib/env `schedules.defaultTimezone`). */
  defaultTimezone: string
}

/**
 * The minimum-interval check looks at the next 100 fire times within two years (cron-parser takes ~0.2 ms a fire).
 * A cron's shortest gap comes from its seconds (or minutes) field and so shows within any minute (hour) it fires.
 */
const CHECKED_FIRES = 100
const CHECKED_SPAN_MS = 2 * 366 * 86_400_000

export class ScheduleProblem extends Error {
  constructor(
    readonly field: keyof ScheduleTriggerParams,
    message: string,
  ) {
    super(message)
    this.name = 'ScheduleProblem'
  }
}

export function scheduleSpec(params: ScheduleTriggerParams, defaultTimezone: string): ScheduleSpec {
  const tz = params.timezone || defaultTimezone
  if (params.mode === 'interval') return { kind: 'every', everyMs: params.every * UNIT_MS[params.unit], tz }
  const fields = params.cron.split(/\s+/).filter(Boolean)
  if (fields.length !== 5 && fields.length !== 6) {
    throw new ScheduleProblem('cron', `A cron expression has 5 fields (minute hour day month weekday) or 6 (second first); this one has ${fields.length}`)
  }
  return { kind: 'cron', pattern: fields.join(' '), tz }
}

function parseCron(spec: Extract<ScheduleSpec, { kind: 'cron' }>, from: Date) {
  try {
    return CronExpressionParser.parse(spec.pattern, { tz: spec.tz, currentDate: from })
  } catch (err) {
    const message = (err as Error).message
    if (/Invalid explicit day of month/i.test(message)) throw new ScheduleProblem('cron', `"${spec.pattern}" never fires: no month has that day`)
    throw new ScheduleProblem('cron', `"${spec.pattern}" is not a cron expression: ${message}`)
  }
}

/**
 * The next `count` fire times strictly after `from`. Intervals fire on multiples of their length since the Unix
 * epoch (what the worker hands BullMQ as the first slot), so the preview and the runs agree.
 */
export function nextFireTimes(spec: ScheduleSpec, from: Date, count: number, until?: Date): Date[] {
  if (spec.kind === 'every') {
    const first = (Math.floor(from.getTime() / spec.everyMs) + 1) * spec.everyMs
    return Array.from({ length: count }, (_, i) => new Date(first + i * spec.everyMs))
  }
  const it = parseCron(spec, from)
  const out: Date[] = []
  try {
    while (out.length < count) {
      const next = it.next().toDate()
      out.push(next)
      if (until && next > until) break
    }
  } catch {
    if (out.length === 0) throw new ScheduleProblem('cron', `"${spec.pattern}" never fires`)
  }
  return out
}

/** The spec of valid params, or the first problem (field + reason). */
export function checkSchedule(params: ScheduleTriggerParams, limits: ScheduleLimits, now = new Date()): ScheduleSpec {
  const spec = scheduleSpec(params, limits.defaultTimezone)
  const seconds = (ms: number) => `${ms / 1000} s`
  if (spec.kind === 'every') {
    if (spec.everyMs < limits.minIntervalMs) {
      throw new ScheduleProblem('every', `Every ${seconds(spec.everyMs)} is more often than this workspace allows (at most once every ${seconds(limits.minIntervalMs)})`)
    }
    return spec
  }
  const fires = nextFireTimes(spec, now, CHECKED_FIRES, new Date(now.getTime() + CHECKED_SPAN_MS))
  for (let i = 1; i < fires.length; i++) {
    const gap = fires[i].getTime() - fires[i - 1].getTime()
    if (gap < limits.minIntervalMs) {
      throw new ScheduleProblem(
        'cron',
        `"${spec.pattern}" fires ${seconds(gap)} apart (${fires[i - 1].toISOString()} and ${fires[i].toISOString()}), more often than this workspace allows (at most once every ${seconds(limits.minIntervalMs)})`,
      )
    }
  }
  return spec
}

export const schedulePreviewBody = z.object({ params: z.record(z.string(), z.unknown()).default({}) })

/** POST /api/schedules/preview: the next five fire times of a node's params as the inspector holds them. */
export function previewSchedule(raw: unknown, limits: ScheduleLimits, now = new Date()): { next: string[]; timezone?: string; error?: { field: string; message: string } } {
  const parsed = scheduleTriggerParams.safeParse(raw ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { next: [], error: { field: issue.path.map(String).join('.'), message: issue.message } }
  }
  try {
    const spec = checkSchedule(parsed.data, limits, now)
    return { next: nextFireTimes(spec, now, 5).map((d) => d.toISOString()), timezone: spec.tz }
  } catch (err) {
    if (err instanceof ScheduleProblem) return { next: [], error: { field: err.field, message: err.message } }
    throw err
  }
}

/**
 * The trigger kind's activation check (lib/services/trigger-kinds.ts): a bad schedule refuses the activation with a
 * ValidationError naming `graph.nodes.<i>.params.<field>`. Typed structurally so this file need not import that one.
 */
export function scheduleKind(limits: () => ScheduleLimits) {
  return {
    check(spec: { nodeIndex: number; config: Record<string, unknown> }) {
      const path = (field: string) => `graph.nodes.${spec.nodeIndex}.params.${field}`
      try {
        checkSchedule(scheduleTriggerParams.parse(spec.config), limits())
      } catch (err) {
        if (!(err instanceof ScheduleProblem)) throw err
        throw new ValidationError(`${path(err.field)}: ${err.message}`, { [path(err.field)]: err.message })
      }
    },
  }
}
