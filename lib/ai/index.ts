// Entry points: build a router over PostgreSQL, and the typed accessor nodes use to find it in their services.
// Hosts (worker, "test this step") register it as `services.extra.ai`; one router per process serves all
// tenants (the tenant comes with each call), so breakers and latency stats are shared process-wide.
import type { PrismaClient } from '../db/generated/client'
import type { ExecuteContext } from '../engine/types'
import { NodeError } from '../engine/types'
import { AiRouter, type AiRouterOptions } from './router'
import { CachedCatalog } from './catalog'
import { loadCatalog, prismaLedger, spentSince } from './store'
import { recentLatencies } from '../models/performance'
import type { CredentialResolver, ResolvedCredential } from './providers'
import type { CallMeta } from './types'
import { prismaConversationStore, type ConversationStore } from './memory'

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
}

export function createAiRouter(opts: CreateAiRouterOptions): AiRouter {
  const { prisma, ledgerDelayMs, ...rest } = opts
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
    ledger: rest.ledger ?? prismaLedger(prisma, { delayMs: ledgerDelayMs }),
    spend: rest.spend ?? { spentSince: (t, w, s) => spentSince(prisma, t, w, s) },
    credentials: opts.credentials ?? credentialStoreResolver,
  })
  return router
}

/** Credential data fields read by the AI layer: apiKey (all kinds), baseUrl (openaiCompatible, proxies). */
export const credentialStoreResolver: CredentialResolver = async (tenantId, credentialId) => {
  const { getDecryptedCredential } = await import('../credentials')
  const cred = await getDecryptedCredential(tenantId, credentialId)
  const data = cred.data as Record<string, string | undefined>
  const out: ResolvedCredential = { apiKey: data.apiKey }
  if (data.baseUrl) out.baseUrl = data.baseUrl
  return out
}

export const AI_SERVICE_KEY = 'ai'
export const AI_MEMORY_SERVICE_KEY = 'aiMemory'

/** What a host puts into `services.extra`: `extra: { ...createAiServices({ prisma }) }`. */
export function createAiServices(opts: CreateAiRouterOptions): { ai: AiRouter; aiMemory: ConversationStore } {
  return { ai: createAiRouter(opts), aiMemory: prismaConversationStore(opts.prisma) }
}

export function memoryFromContext(ctx: Pick<ExecuteContext, 'services'>): ConversationStore {
  const m = ctx.services.extra?.[AI_MEMORY_SERVICE_KEY] as ConversationStore | undefined
  if (!m || typeof m.load !== 'function') throw new NodeError('Conversation memory is not available in this host (services.extra.aiMemory)', { code: 'AI_UNAVAILABLE' })
  return m
}

/** The router a host registered for nodes, or a clear error naming what is missing. */
export function aiFromContext(ctx: Pick<ExecuteContext, 'services'>): AiRouter {
  const ai = ctx.services.extra?.[AI_SERVICE_KEY]
  if (!(ai instanceof AiRouter)) throw new NodeError('The AI router is not available in this host (services.extra.ai)', { code: 'AI_UNAVAILABLE' })
  return ai
}

/** Ledger and budget attribution for a node's calls. */
export function metaFromContext(ctx: Pick<ExecuteContext, 'tenantId' | 'workflowId' | 'executionId' | 'node' | 'signal'>): CallMeta {
  return { tenantId: ctx.tenantId, workflowId: ctx.workflowId, executionId: ctx.executionId, stepId: ctx.node.id, source: 'workflow', signal: ctx.signal }
}
