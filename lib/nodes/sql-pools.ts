// Connection pools of the SQL nodes, per worker process: one per server, database, user, password and TLS mode (the
// address is the one the outbound guard vetted for this step), so steps reuse warm connections instead of paying a
// connect (and a TLS handshake) each. Idle connections close after POOL_IDLE_MS; at most MAX_POOLS pools are kept
// (the least recently used one is ended first).
import { createHash } from 'node:crypto'
import type { ConnectTarget } from './sql-run'

export const POOL_IDLE_MS = 30_000
/** Connections one pool opens at most; steps beyond it wait for one (up to the connect timeout). */
export const POOL_MAX_CONNECTIONS = 10
const MAX_POOLS = 50

export class PoolCache<P> {
  private readonly pools = new Map<string, P>()

  constructor(
    private readonly create: (t: ConnectTarget) => P,
    private readonly end: (pool: P) => Promise<void>,
  ) {}

  get(t: ConnectTarget): P {
    const key = [t.host, t.address, t.port, t.database, t.user, createHash('sha256').update(t.password).digest('base64'), t.ssl].join('\u0000')
    let pool = this.pools.get(key)
    if (pool) {
      this.pools.delete(key) // re-inserted: most recently used last
    } else {
      pool = this.create(t)
      if (this.pools.size >= MAX_POOLS) {
        const [oldKey, oldest] = this.pools.entries().next().value as [string, P]
        this.pools.delete(oldKey)
        void this.end(oldest).catch(() => undefined)
      }
    }
    this.pools.set(key, pool)
    return pool
  }

  /** Tests and shutdown: end every pool. */
  async clear(): Promise<void> {
    const all = [...this.pools.values()]
    this.pools.clear()
    await Promise.all(all.map((p) => this.end(p).catch(() => undefined)))
  }
}
