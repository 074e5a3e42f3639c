// How a workflow's Page Changed triggers are doing, for the studio: when each was last checked, how many checks and
// changes, its baseline, and the last check's error (site down, address refused, selector not found).
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'

export interface PageMonitorStatus {
  nodeId: string
  checks: number
  changes: number
  /** ISO times; null before the first check / baseline. */
  lastCheckedAt: string | null
  baselineAt: string | null
  /** The last check's failure; null once a check succeeds again. */
  lastError: string | null
  lastErrorAt: string | null
  /** Baselines kept (the first check's and each change that fired; the last 10). */
  snapshots: number
}

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export async function pageMonitorStatuses(prisma: PrismaClient, tenantId: string, workflowId: string): Promise<PageMonitorStatus[]> {
  const rows = await forTenant(prisma, tenantId).pageMonitor.findMany({
    where: { workflowId },
    orderBy: { nodeId: 'asc' },
    select: { nodeId: true, checks: true, changes: true, lastCheckedAt: true, baselineAt: true, lastError: true, lastErrorAt: true, _count: { select: { snapshots: true } } },
  })
  return rows.map((r) => ({
    nodeId: r.nodeId, checks: r.checks, changes: r.changes, lastCheckedAt: iso(r.lastCheckedAt), baselineAt: iso(r.baselineAt),
    lastError: r.lastError, lastErrorAt: iso(r.lastErrorAt), snapshots: r._count.snapshots,
  }))
}
