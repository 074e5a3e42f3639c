// What runs spent on AI, from the usage ledger (AiUsage rows carry the run's executionId and the node's id as
// stepId): one grouped query per page of runs for the executions list, one per run for its detail. Amounts are the
// ledger's USD strings with 12 decimals (sums of Decimal(24,12) are exact); a run with no AI call has none (null).
// Calls inside a sub-workflow are the child run's, not its parent's.
import type { PrismaClient } from '../db/generated/client'
import { picoToUsd, usdToPico } from '../ai/pricing'

/** Total AI cost per run of `executionIds` (the tenant's rows only); runs without calls are absent. */
export async function aiCostByRun(prisma: PrismaClient, tenantId: string, executionIds: string[]): Promise<Map<string, string>> {
  if (executionIds.length === 0) return new Map()
  const rows = await prisma.$queryRaw<{ executionId: string; cost: string }[]>`
    SELECT "executionId", sum("costUsd")::text AS "cost" FROM "AiUsage"
    WHERE "executionId" = ANY(${executionIds}) AND "tenantId" = ${tenantId}
    GROUP BY "executionId"`
  return new Map(rows.map((r) => [r.executionId, r.cost]))
}

/** One run's AI cost: the total and per node (attempts and loop iterations of a node together). */
export async function aiCostOfRun(prisma: PrismaClient, tenantId: string, executionId: string): Promise<{ aiCostUsd: string | null; aiCostByNode: Record<string, string> }> {
  const rows = await prisma.$queryRaw<{ stepId: string | null; cost: string }[]>`
    SELECT "stepId", sum("costUsd")::text AS "cost" FROM "AiUsage"
    WHERE "executionId" = ${executionId} AND "tenantId" = ${tenantId}
    GROUP BY "stepId"`
  if (rows.length === 0) return { aiCostUsd: null, aiCostByNode: {} }
  const total = rows.reduce((sum, r) => sum + usdToPico(r.cost), 0n)
  return { aiCostUsd: picoToUsd(total), aiCostByNode: Object.fromEntries(rows.filter((r) => r.stepId !== null).map((r) => [r.stepId!, r.cost])) }
}
