// Test builders for the AI router: deployments pointing at a fake LLM server, a router over a static catalog.
import { StaticCatalog } from '../../../lib/ai/catalog'
import { MemoryLedger } from '../../../lib/ai/ledger'
import { AiRouter } from '../../../lib/ai/router'
import type { Budget, Deployment, RoutePolicy } from '../../../lib/ai/types'
import { createGuardedFetch, type GuardedFetch } from '../../../lib/net/ssrf'

/** Provider calls go through the real outbound guard, with exactly the deployments' fake servers allow-listed. */
const guardedFetches = new Map<string, GuardedFetch>()
function fetchAllowing(deployments: Deployment[]): typeof globalThis.fetch {
  const allowList = [...new Set(deployments.flatMap((d) => (d.baseUrl ? [new URL(d.baseUrl).host] : [])))].sort()
  const key = allowList.join(',')
  let guarded = guardedFetches.get(key)
  if (!guarded) guardedFetches.set(key, (guarded = createGuardedFetch({ allowList, field: 'baseUrl' })))
  return guarded.fetch
}

export function dep(name: string, baseUrl: string, o: Partial<Deployment> = {}): Deployment {
  return {
    id: `dep-${name}`,
    name,
    provider: 'openai',
    modelId: name,
    baseUrl,
    credentialId: 'cred',
    contextLength: 16_000,
    capabilities: { tools: true, json: true, vision: false },
    inputPriceMicros: 1_000_000n, // $1 / 1M input tokens
    outputPriceMicros: 2_000_000n, // $2 / 1M output tokens
    timeoutMs: 10_000,
    maxRetries: 0,
    status: 'active',
    ...o,
  }
}

export function buildRouter(cfg: { deployments: Deployment[]; routes?: RoutePolicy[]; budgets?: Budget[]; spent?: bigint; now?: () => number; cooldownMs?: number }) {
  const ledger = new MemoryLedger()
  const router = new AiRouter({
    catalog: new StaticCatalog(cfg),
    ledger,
    credentials: async () => ({ apiKey: 'test-key' }),
    fetch: fetchAllowing(cfg.deployments),
    spend: { spentSince: async () => cfg.spent ?? 0n },
    breaker: { failureThreshold: 2, cooldownMs: cfg.cooldownMs ?? 1_000 },
    retryBackoffMs: 1,
    now: cfg.now,
  })
  return { router, ledger }
}

export const T = { tenantId: 'tenant-1', workflowId: 'wf-1', executionId: 'ex-1', stepId: 'node-1' }
export const hi = [{ role: 'user' as const, content: 'hi' }]
