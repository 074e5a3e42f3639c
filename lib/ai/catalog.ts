// Where the router learns a tenant's deployments, routes and budgets. The Prisma catalog caches one snapshot
// per tenant for a few seconds (the hot path does not query the registry on every call); registry writes in
// this process invalidate it at once, other processes see changes within the TTL.
import type { Budget, Deployment, RoutePolicy } from './types'

export interface CatalogSnapshot {
  deployments: Map<string, Deployment>
  routes: Map<string, RoutePolicy>
  budgets: Budget[]
}

export interface AiCatalog {
  snapshot(tenantId: string): Promise<CatalogSnapshot>
  invalidate(tenantId?: string): void
}

/** Fixed configuration: tests, benchmarks, embedding the router without a database. */
export class StaticCatalog implements AiCatalog {
  private readonly snap: CatalogSnapshot
  constructor(cfg: { deployments: Deployment[]; routes?: RoutePolicy[]; budgets?: Budget[] }) {
    this.snap = {
      deployments: new Map(cfg.deployments.map((d) => [d.name, d])),
      routes: new Map((cfg.routes ?? []).map((r) => [r.name, r])),
      budgets: cfg.budgets ?? [],
    }
  }
  async snapshot(tenantId: string): Promise<CatalogSnapshot> {
    return { ...this.snap, budgets: this.snap.budgets.filter((b) => b.tenantId === tenantId) }
  }
  invalidate(): void {}
}

export class CachedCatalog implements AiCatalog {
  private readonly cache = new Map<string, { at: number; snap: Promise<CatalogSnapshot> }>()
  constructor(private readonly load: (tenantId: string) => Promise<CatalogSnapshot>, private readonly ttlMs = 5_000, private readonly now: () => number = Date.now) {}

  snapshot(tenantId: string): Promise<CatalogSnapshot> {
    const hit = this.cache.get(tenantId)
    if (hit && this.now() - hit.at < this.ttlMs) return hit.snap
    const snap = this.load(tenantId)
    this.cache.set(tenantId, { at: this.now(), snap })
    snap.catch(() => this.cache.delete(tenantId))
    return snap
  }

  invalidate(tenantId?: string): void {
    if (tenantId) this.cache.delete(tenantId)
    else this.cache.clear()
  }
}
