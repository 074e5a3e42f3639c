// PostgreSQL-backed pieces of the router: the catalog loader (registry → deployments, routes, budgets),
// the spend source for budgets and the ledger writer.
import type { PrismaClient } from '../db/generated/client'
import { CachedCatalog, type CatalogSnapshot } from './catalog'
import { BatchingLedger } from './ledger'
import { picoToUsd, usdToPico } from './pricing'
import type { Budget, Deployment, ProviderKind, RoutePolicy } from './types'

export async function loadCatalog(prisma: PrismaClient, tenantId: string): Promise<CatalogSnapshot> {
  const [deps, routes, budgets] = await Promise.all([
    prisma.aiDeployment.findMany({ where: { tenantId, status: { not: 'retired' } }, include: { model: true } }),
    prisma.aiRoute.findMany({ where: { tenantId } }),
    prisma.aiBudget.findMany({ where: { tenantId } }),
  ])
  return {
    deployments: new Map(
      deps.map((d): [string, Deployment] => [
        d.name,
        {
          id: d.id,
          name: d.name,
          provider: d.model.provider as ProviderKind,
          modelId: d.model.modelId,
          kind: d.model.kind === 'embedding' ? 'embedding' : 'chat',
          dimensions: d.model.dimensions,
          baseUrl: d.baseUrl,
          credentialId: d.credentialId,
          contextLength: d.model.contextLength,
          capabilities: { tools: d.model.supportsTools, json: d.model.supportsJson, vision: d.model.supportsVision },
          inputPriceMicros: d.model.inputPriceMicros,
          outputPriceMicros: d.model.outputPriceMicros,
          timeoutMs: d.timeoutMs,
          maxRetries: d.maxRetries,
          // A retired model retires its deployments; a draft model keeps them out of routes.
          status: (d.model.status === 'active' ? d.status : d.model.status) as Deployment['status'],
        },
      ]),
    ),
    routes: new Map(
      routes.map((r): [string, RoutePolicy] => [
        r.name,
        { name: r.name, strategy: r.strategy as RoutePolicy['strategy'], deployments: r.deployments, requires: (r.requires ?? {}) as RoutePolicy['requires'], onBudgetExceeded: r.onBudgetExceeded as 'fail' | 'cheaper' },
      ]),
    ),
    budgets: budgets.map((b): Budget => ({ tenantId: b.tenantId, workflowId: b.workflowId, period: b.period as Budget['period'], limitUsd: b.limitUsd.toString() })),
  }
}

export function prismaCatalog(prisma: PrismaClient, ttlMs?: number) {
  return new CachedCatalog((tenantId) => loadCatalog(prisma, tenantId), ttlMs)
}

export async function spentSince(prisma: PrismaClient, tenantId: string, workflowId: string | null, since: Date): Promise<bigint> {
  const agg = await prisma.aiUsage.aggregate({ where: { tenantId, createdAt: { gte: since }, ...(workflowId ? { workflowId } : {}) }, _sum: { costUsd: true } })
  return agg._sum.costUsd ? usdToPico(agg._sum.costUsd.toString()) : 0n
}

export function prismaLedger(prisma: PrismaClient, opts?: { delayMs?: number; maxBatch?: number }) {
  return new BatchingLedger(async (rows) => {
    await prisma.aiUsage.createMany({
      data: rows.map((r) => ({
        tenantId: r.tenantId,
        workflowId: r.workflowId ?? null,
        executionId: r.executionId ?? null,
        stepId: r.stepId ?? null,
        apiKeyId: r.apiKeyId ?? null,
        source: r.source,
        target: r.target,
        deploymentId: r.deploymentId ?? null,
        deploymentName: r.deploymentName ?? null,
        provider: r.provider ?? null,
        model: r.model ?? null,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        costUsd: picoToUsd(r.costPico),
        latencyMs: r.latencyMs,
        outcome: r.outcome,
        errorCode: r.errorCode ?? null,
        fallbackIndex: r.fallbackIndex,
        attempts: r.attempts ? (r.attempts as object[]) : undefined,
        streamed: r.streamed,
        createdAt: r.createdAt,
      })),
    })
  }, opts)
}
