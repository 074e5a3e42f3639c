// Entry points: build a router over PostgreSQL, and the AI host services (lib/nodes/host-services.ts).
// Hosts (worker, "test this step") provide it as `services.ai`; one router per process serves all
// tenants (the tenant comes with each call), so breakers and latency stats are shared process-wide.
import type { PrismaClient } from '../db/generated/client'
import type { ExecuteContext } from '../engine/types'
import type { HostServices } from '../nodes/host-services'
import { AiRouter, type AiRouterOptions } from './router'
import { CachedCatalog } from './catalog'
import { loadCatalog, prismaLedger, spentSince } from './store'
import { recentLatencies } from '../models/performance'
import type { CredentialResolver, ResolvedCredential } from './providers'
import type { CallMeta } from './types'
import { prismaConversationStore } from './memory'
import { observedLedger, type UsageLedger, type UsageObserver } from './ledger'

export { AiRouter } from './router'
export type * from './types'
export { toNodeError, AiError, BudgetExceededError } from './errors'

export interface CreateAiRouterOptions extends Partial<Omit<AiRouterOptions, 'credentials' | 'fetch'>> {
  prisma: PrismaClient
  /** Required: the host's guarded fetch (lib/net createGuardedFetch with its outbound policy). */
  fetch: typeof globalThis.fetch
  /** Defaults to the encrypted credential store (lib/credentials). */
  credentials?: CredentialResolver
  ledgerDelayMs?: number
  /** Every call's usage row, as it is recorded: the process's metrics. */
  usage?: UsageObserver
}

export function createAiRouter(opts: CreateAiRouterOptions): AiRouter {
  const { prisma, ledgerDelayMs, usage, ...rest } = opts
  // The "fastest" policy starts from the ledger's recent latencies, once per tenant, instead of from nothing.
  const seeded = new Set<string>()
  const catalog =
    rest.catalog ??
    new CachedCatalog(async (tenantId) => {
      const snap = await loadCatalog(prisma, tenantId)
      if (!seeded.has(tenantId) && [...snap.routes.values()].some((r) => r.strategy === 'fastest')) {
        seeded.add(tenantId)
        for (const [id, samples] of await recentLatencies(prisma, tenantId)) router.latency.seed(id, samples)
      }
      return snap
    })
  const router: AiRouter = new AiRouter({
    ...rest,
    catalog,
    ledger: observed(rest.ledger ?? prismaLedger(prisma, { delayMs: ledgerDelayMs }), usage),
    spend: rest.spend ?? { spentSince: (t, w, s) => spentSince(prisma, t, w, s) },
    credentials: opts.credentials ?? credentialStoreResolver,
  })
  return router
}

const observed = (ledger: UsageLedger, usage: UsageObserver | undefined) => (usage ? observedLedger(ledger, usage) : ledger)

/** Credential data fields read by the AI layer: apiKey (all kinds), baseUrl (openaiCompatible, proxies). */
export const credentialStoreResolver: CredentialResolver = async (tenantId, credentialId) => {
  const { getDecryptedCredential } = await import('../credentials')
  const cred = await getDecryptedCredential(tenantId, credentialId)
  const data = cred.data as Record<string, string | undefined>
  const out: ResolvedCredential = { apiKey: data.apiKey, name: cred.name }
  if (cred.allowedHosts?.length) out.allowedHosts = cred.allowedHosts
  if (data.baseUrl) out.baseUrl = data.baseUrl
  return out
}

/** The AI host services over PostgreSQL: `services: { ...createAiServices({ prisma, fetch }), … }`. */
export function createAiServices(opts: CreateAiRouterOptions): Pick<HostServices, 'ai' | 'aiMemory'> {
  return { ai: createAiRouter(opts), aiMemory: prismaConversationStore(opts.prisma) }
}

/** Ledger and budget attribution for a node's calls. */
export function metaFromContext(ctx: Pick<ExecuteContext, 'tenantId' | 'workflowId' | 'executionId' | 'node' | 'signal' | 'log'>): CallMeta {
  return { tenantId: ctx.tenantId, workflowId: ctx.workflowId, executionId: ctx.executionId, stepId: ctx.node.id, source: 'workflow', signal: ctx.signal, log: ctx.log }
}
