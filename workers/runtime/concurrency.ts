// Concurrency limits across all workers: at most N runs of one workspace (AUTERITY_WORKSPACE_CONCURRENCY) and of one
// workflow (its settings.maxConcurrency) at once. A run takes a slot in each limited scope before its claim: one Redis
// sorted set per scope, members = execution ids, scores = when the slot expires. A run that finds a scope full is
// postponed (its job goes back to the queue for a moment, not counted as an attempt); a slot is given back when the
// run ends, and renewed while it goes on, so a worker that died frees its slots when they expire.
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../../lib/db/generated/client'
import { Batcher, hotDb } from '../../lib/services/hot-db'

const SLOT_TTL_MS = 120_000
const RENEW_EVERY_MS = 40_000
const LIMIT_CACHE_MS = 5_000

/** KEYS: the scopes' sets; ARGV: now, expiry, member, then one limit per key. 1 = acquired (or already held). */
const ACQUIRE = `local now = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if not redis.call('ZSCORE', key, ARGV[3]) and redis.call('ZCARD', key) >= tonumber(ARGV[3 + i]) then return 0 end
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[2], ARGV[3])
  redis.call('PEXPIRE', key, ${SLOT_TTL_MS * 2})
end
return 1`

export interface ConcurrencyGateOptions {
  redis: Redis
  prisma: PrismaClient
  prefix?: string
  /** Runs of one workspace at once (0: no limit). */
  workspaceLimit: number
}

interface Held {
  keys: string[]
}

export class ConcurrencyGate {
  private readonly held = new Map<string, Held>()
  private readonly limits = new Map<string, { at: number; limit: number }>()
  private readonly reads = new Batcher<string, number>((ids) => this.readLimits(ids))
  private readonly timer: NodeJS.Timeout

  constructor(private readonly opts: ConcurrencyGateOptions) {
    this.timer = setInterval(() => void this.renew(), RENEW_EVERY_MS)
    this.timer.unref()
  }

  private key(scope: string): string {
    return `${this.opts.prefix ?? 'bull'}:executions:slots:${scope}`
  }

  /** settings.maxConcurrency of a workflow, read at most every few seconds per workflow (0: none). Runs of many
   * workflows starting together (1,000 schedules on one tick) share one read. */
  private async workflowLimit(workflowId: string): Promise<number> {
    const hit = this.limits.get(workflowId)
    if (hit && Date.now() - hit.at < LIMIT_CACHE_MS) return hit.limit
    const limit = await this.reads.push(workflowId)
    if (this.limits.size > 10_000) this.limits.clear()
    this.limits.set(workflowId, { at: Date.now(), limit })
    return limit
  }

  private async readLimits(ids: string[]): Promise<number[]> {
    const hot = hotDb(this.opts.prisma)
    const text = `SELECT "id", "settings"->'maxConcurrency' AS "max" FROM "Workflow" WHERE "id" = ANY($1::text[])`
    const rows = hot
      ? (await hot.pool.query<{ id: string; max: unknown }>({ name: 'workflow-limits', text, values: [[...new Set(ids)]] })).rows
      : await this.opts.prisma.$queryRawUnsafe<{ id: string; max: unknown }[]>(text, [...new Set(ids)])
    const byId = new Map(rows.map((r) => [r.id, r.max]))
    return ids.map((id) => {
      const raw = byId.get(id)
      return typeof raw === 'number' && Number.isInteger(raw) && raw > 0 ? raw : 0
    })
  }

  /** True when the run may start now (it holds its slots until release); false when a scope is full. */
  async acquire(executionId: string, owner: { tenantId: string; workflowId: string }): Promise<boolean> {
    const scopes: Array<[string, number]> = []
    if (this.opts.workspaceLimit > 0) scopes.push([this.key(`t:${owner.tenantId}`), this.opts.workspaceLimit])
    const wfLimit = await this.workflowLimit(owner.workflowId)
    if (wfLimit > 0) scopes.push([this.key(`w:${owner.workflowId}`), wfLimit])
    if (scopes.length === 0) return true
    const now = Date.now()
    const ok = await this.opts.redis.eval(ACQUIRE, scopes.length, ...scopes.map(([k]) => k), now, now + SLOT_TTL_MS, executionId, ...scopes.map(([, l]) => l))
    if (Number(ok) !== 1) return false
    this.held.set(executionId, { keys: scopes.map(([k]) => k) })
    return true
  }

  async release(executionId: string): Promise<void> {
    const h = this.held.get(executionId)
    if (!h) return
    this.held.delete(executionId)
    await Promise.all(h.keys.map((k) => this.opts.redis.zrem(k, executionId))).catch(() => undefined)
  }

  private async renew(): Promise<void> {
    if (this.held.size === 0) return
    const expiry = Date.now() + SLOT_TTL_MS
    const pipe = this.opts.redis.pipeline()
    for (const [id, h] of this.held) for (const k of h.keys) pipe.zadd(k, 'XX', expiry, id)
    await pipe.exec().catch(() => undefined)
  }

  close(): void {
    clearInterval(this.timer)
  }
}

/** How long a postponed run waits before it tries again: a short pause with jitter, so postponed runs spread out. */
export function postponeDelayMs(): number {
  return 250 + Math.floor(Math.random() * 750)
}
