// Measured performance and spend, aggregated from the usage ledger in SQL: per deployment (calls, error rate,
// p50/p95 latency, tokens, cost) and cost over time by day, model and workflow for the usage page.
import type { PrismaClient } from '../db/generated/client'

export interface DeploymentPerformance {
  deploymentId: string | null
  deploymentName: string | null
  provider: string | null
  model: string | null
  calls: number
  errors: number
  errorRate: number
  fallbacksServed: number
  p50Ms: number | null
  p95Ms: number | null
  inputTokens: number
  outputTokens: number
  costUsd: string
}

export interface UsageReport {
  since: string
  totals: { calls: number; errors: number; budgetBlocked: number; inputTokens: number; outputTokens: number; costUsd: string }
  byDay: { day: string; calls: number; costUsd: string; inputTokens: number; outputTokens: number }[]
  byModel: { model: string; calls: number; costUsd: string }[]
  byWorkflow: { workflowId: string | null; source: string; calls: number; costUsd: string }[]
  deployments: DeploymentPerformance[]
  /** Per deployment per day: the registry's "over time" view. */
  deploymentDays: { day: string; deploymentName: string; calls: number; errors: number; p95Ms: number | null; costUsd: string }[]
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v))
const usd = (v: unknown) => (v === null || v === undefined ? '0' : String(v))

export async function deploymentPerformance(prisma: PrismaClient, tenantId: string, since: Date): Promise<DeploymentPerformance[]> {
  const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT "deploymentId", "deploymentName", "provider", "model",
           count(*)::int AS calls,
           count(*) FILTER (WHERE outcome = 'error')::int AS errors,
           count(*) FILTER (WHERE outcome = 'ok' AND "fallbackIndex" > 0)::int AS "fallbacksServed",
           percentile_cont(0.5) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE outcome = 'ok') AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE outcome = 'ok') AS p95,
           coalesce(sum("inputTokens"), 0)::bigint AS "inputTokens",
           coalesce(sum("outputTokens"), 0)::bigint AS "outputTokens",
           coalesce(sum("costUsd"), 0)::text AS cost
      FROM "AiUsage"
     WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${since} AND "deploymentId" IS NOT NULL
     GROUP BY "deploymentId", "deploymentName", "provider", "model"
     ORDER BY calls DESC`
  // Attempts that failed and were failed over live in the serving row's `attempts`: they count as calls and
  // errors of the deployment that failed (circuit-open skips are not calls).
  const failed = await prisma.$queryRaw<{ name: string; n: number }[]>`
    SELECT a->>'deployment' AS name, count(*)::int AS n
      FROM "AiUsage", jsonb_array_elements(coalesce(attempts, '[]'::jsonb)) AS a
     WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${since} AND a->>'code' <> 'CIRCUIT_OPEN'
     GROUP BY 1`
  const failedBy = new Map(failed.map((f) => [f.name, f.n]))
  const out = rows.map((r) => {
    const extra = failedBy.get(r.deploymentName as string) ?? 0
    failedBy.delete(r.deploymentName as string)
    return { ...r, calls: num(r.calls) + extra, errors: num(r.errors) + extra } as Record<string, unknown>
  })
  for (const [name, n] of failedBy) out.push({ deploymentId: null, deploymentName: name, provider: null, model: null, calls: n, errors: n, fallbacksServed: 0, p50: null, p95: null, inputTokens: 0, outputTokens: 0, cost: '0' })
  return out.map((r) => ({
    deploymentId: r.deploymentId as string,
    deploymentName: r.deploymentName as string,
    provider: r.provider as string,
    model: r.model as string,
    calls: num(r.calls),
    errors: num(r.errors),
    errorRate: num(r.calls) ? num(r.errors) / num(r.calls) : 0,
    fallbacksServed: num(r.fallbacksServed),
    p50Ms: r.p50 === null ? null : num(r.p50),
    p95Ms: r.p95 === null ? null : num(r.p95),
    inputTokens: num(r.inputTokens),
    outputTokens: num(r.outputTokens),
    costUsd: usd(r.cost),
  }))
}

export async function usageReport(prisma: PrismaClient, tenantId: string, days = 30, now = new Date()): Promise<UsageReport> {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)))
  const [totals, byDay, byModel, byWorkflow, deployments, deploymentDays] = await Promise.all([
    prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT count(*)::int AS calls, count(*) FILTER (WHERE outcome = 'error')::int AS errors,
             count(*) FILTER (WHERE outcome = 'budget_exceeded')::int AS blocked,
             coalesce(sum("inputTokens"), 0)::bigint AS "inputTokens", coalesce(sum("outputTokens"), 0)::bigint AS "outputTokens",
             coalesce(sum("costUsd"), 0)::text AS cost
        FROM "AiUsage" WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${since}`,
    prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT to_char(date_trunc('day', "createdAt"), 'YYYY-MM-DD') AS day, count(*)::int AS calls, coalesce(sum("costUsd"), 0)::text AS cost,
             coalesce(sum("inputTokens"), 0)::bigint AS "inputTokens", coalesce(sum("outputTokens"), 0)::bigint AS "outputTokens"
        FROM "AiUsage" WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${since}
       GROUP BY 1 ORDER BY 1`,
    prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT coalesce("model", '(none)') AS model, count(*)::int AS calls, coalesce(sum("costUsd"), 0)::text AS cost
        FROM "AiUsage" WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${since}
       GROUP BY 1 ORDER BY sum("costUsd") DESC NULLS LAST`,
    prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT "workflowId", source, count(*)::int AS calls, coalesce(sum("costUsd"), 0)::text AS cost
        FROM "AiUsage" WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${since}
       GROUP BY 1, 2 ORDER BY sum("costUsd") DESC NULLS LAST LIMIT 50`,
    deploymentPerformance(prisma, tenantId, since),
    prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT to_char(date_trunc('day', "createdAt"), 'YYYY-MM-DD') AS day, "deploymentName", count(*)::int AS calls,
             count(*) FILTER (WHERE outcome = 'error')::int AS errors,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE outcome = 'ok') AS p95,
             coalesce(sum("costUsd"), 0)::text AS cost
        FROM "AiUsage" WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${since} AND "deploymentName" IS NOT NULL
       GROUP BY 1, 2 ORDER BY 1, 2`,
  ])
  const t = totals[0] ?? {}
  return {
    since: since.toISOString(),
    totals: { calls: num(t.calls), errors: num(t.errors), budgetBlocked: num(t.blocked), inputTokens: num(t.inputTokens), outputTokens: num(t.outputTokens), costUsd: usd(t.cost) },
    byDay: byDay.map((r) => ({ day: r.day as string, calls: num(r.calls), costUsd: usd(r.cost), inputTokens: num(r.inputTokens), outputTokens: num(r.outputTokens) })),
    byModel: byModel.map((r) => ({ model: r.model as string, calls: num(r.calls), costUsd: usd(r.cost) })),
    byWorkflow: byWorkflow.map((r) => ({ workflowId: (r.workflowId as string) ?? null, source: r.source as string, calls: num(r.calls), costUsd: usd(r.cost) })),
    deployments,
    deploymentDays: deploymentDays.map((r) => ({ day: r.day as string, deploymentName: r.deploymentName as string, calls: num(r.calls), errors: num(r.errors), p95Ms: r.p95 === null ? null : num(r.p95), costUsd: usd(r.cost) })),
  }
}

/** Seeds the router's "fastest" policy from recent successful calls (the last 200 per deployment). */
export async function recentLatencies(prisma: PrismaClient, tenantId: string): Promise<Map<string, number[]>> {
  const rows = await prisma.$queryRaw<{ deploymentId: string; latencies: number[] }[]>`
    SELECT "deploymentId", (array_agg("latencyMs" ORDER BY "createdAt" DESC))[1:200] AS latencies
      FROM "AiUsage" WHERE "tenantId" = ${tenantId} AND outcome = 'ok' AND "deploymentId" IS NOT NULL AND "createdAt" > now() - interval '7 days'
     GROUP BY 1`
  return new Map(rows.map((r) => [r.deploymentId, r.latencies]))
}
