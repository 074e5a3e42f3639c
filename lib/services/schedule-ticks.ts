// One schedule tick, as a worker takes it up: start the registration's published version once, or record the tick
// as skipped. "Once" is a unique ScheduleTick row per (workflow, node, tick time) inserted in the same transaction
// as the run's Execution row: a tick delivered twice (a stalled worker's job handed to another) or raced by two
// workers starts one run, and the other delivery finds the row and does nothing.
import type { PrismaClient } from '../db/generated/client'
import { scheduleTriggerParams } from '../nodes/schedule-trigger/definition'
import { scheduleItem } from '../nodes/schedule-trigger/fire-item'
import { startExecutionWith, type ExecutionDeps } from './executions'
import { nextFireTimes, scheduleSpec, type ScheduleSpec } from './schedules'

export interface Tick {
  registrationId: string
  /** The tick's scheduled time (BullMQ's job scheduler slot), not when it was delivered. */
  tickAt: Date
}

export type TickOutcome =
  | { outcome: 'started'; executionId: string; lateMs: number; missedTicks: number }
  | { outcome: 'skipped'; lateMs: number; toleranceMs: number }
  /** Another delivery of this tick already started its run (or skipped it). */
  | { outcome: 'duplicate' }
  /** The registration is gone (workflow deactivated or republished since the tick was scheduled). */
  | { outcome: 'gone' }

/** The most a tick may be late and still count as on time for `missed: skip`. */
export const MAX_TOLERANCE_MS = 60_000

/** Half the time to the tick after it, at most 60 s: a late tick is one a worker took up closer to the next one. */
export function toleranceMs(spec: ScheduleSpec, tickAt: Date): number {
  const [next] = nextFireTimes(spec, tickAt, 1)
  return next ? Math.min(MAX_TOLERANCE_MS, (next.getTime() - tickAt.getTime()) / 2) : MAX_TOLERANCE_MS
}

/** How many fire times fell after `tickAt` up to `now` (capped): the ticks a catch-up run stands for. */
function ticksBetween(spec: ScheduleSpec, tickAt: Date, now: Date, cap = 1000): number {
  let n = 0
  let from = tickAt
  while (n < cap) {
    const batch = nextFireTimes(spec, from, Math.min(500, cap - n))
    for (const t of batch) {
      if (t > now) return n
      n++
    }
    if (batch.length === 0) return n
    from = batch[batch.length - 1]
  }
  return n
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002'

export async function handleScheduleTick(
  deps: ExecutionDeps,
  tick: Tick,
  opts: { defaultTimezone: string; now?: Date; log?: (line: string) => void },
): Promise<TickOutcome> {
  const prisma: PrismaClient = deps.prisma
  const reg = await prisma.triggerRegistration.findUnique({ where: { id: tick.registrationId } })
  if (!reg || reg.kind !== 'schedule') return { outcome: 'gone' }
  const params = scheduleTriggerParams.parse(reg.config)
  const spec = scheduleSpec(params, opts.defaultTimezone)
  const now = opts.now ?? new Date()
  const lateMs = Math.max(0, now.getTime() - tick.tickAt.getTime())
  const tolerance = toleranceMs(spec, tick.tickAt)
  const row = { tenantId: reg.tenantId, workflowId: reg.workflowId, nodeId: reg.nodeId, registrationId: reg.id, tickAt: tick.tickAt, lateMs: Math.round(lateMs) }
  if (lateMs > tolerance && params.missed === 'skip') {
    const { count } = await prisma.scheduleTick.createMany({ data: [{ ...row, status: 'skipped' }], skipDuplicates: true })
    if (count === 0) return { outcome: 'duplicate' }
    opts.log?.(
      `[schedules] skipped the tick of ${tick.tickAt.toISOString()} for workflow ${reg.workflowId} node ${reg.nodeId}: ${Math.round(lateMs)} ms late (tolerance ${tolerance} ms, missed: skip)`,
    )
    return { outcome: 'skipped', lateMs, toleranceMs: tolerance }
  }
  const missedTicks = lateMs > tolerance ? ticksBetween(spec, tick.tickAt, now) : 0
  const item = { ...scheduleItem(tick.tickAt, now, spec.tz), ...(missedTicks > 0 ? { missedTicks } : {}) }
  try {
    const executionId = await startExecutionWith(
      deps,
      {
        tenantId: reg.tenantId, workflowId: reg.workflowId, versionId: reg.versionId, versionNumber: reg.versionNumber,
        input: [item], mode: 'schedule', triggerNodeId: reg.nodeId,
      },
      async (tx, id) => {
        await tx.scheduleTick.create({ data: { ...row, status: 'started', executionId: id } })
      },
    )
    return { outcome: 'started', executionId, lateMs, missedTicks }
  } catch (err) {
    if (isUniqueViolation(err)) return { outcome: 'duplicate' }
    throw err
  }
}
