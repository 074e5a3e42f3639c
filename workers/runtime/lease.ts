// Fencing. Each delivery (claim) of a run writes a fresh lease token on its Execution row and an expiry that this
// keeper renews while the run goes on (one statement per worker process every third of the lease, however many runs
// it holds). Step rows and the finish are written only while the token still matches (a condition inside the same
// statements, see lib/services/hot-db.ts), so a worker that was paused or cut off and resumes cannot record anything once another
// delivery claimed the run. It also stops: a heartbeat or a write that finds the lease gone aborts the run, and a
// step with outside effects (an HTTP call…) first checks that the lease is still held and unexpired (`guard`).
import { randomUUID } from 'node:crypto'
import type { PrismaClient } from '../../lib/db/generated/client'
import { hotDb } from '../../lib/services/hot-db'
import { LeaseLostError } from '../../lib/services/lease-lost'
import { log } from '../../lib/log'

const logger = log.child({ component: 'worker' })

/** One delivery's hold on its run. */
export interface RunLease {
  readonly executionId: string
  readonly token: string
  /** Stops the run: the lease is gone (a fenced write, BullMQ's lock lost). */
  lost(): void
  /** Before a step with outside effects: stops the run and throws when the lease is gone or expired. */
  guard(): Promise<void>
}

interface Held {
  token: string
  controller: AbortController
  /** Date.now() of the last renewal that reached the database. */
  renewedAt: number
}

export class LeaseKeeper {
  private readonly held = new Map<string, Held>()
  private readonly timer: NodeJS.Timeout
  private beating = false

  constructor(
    private readonly prisma: PrismaClient,
    readonly leaseMs: number,
  ) {
    this.timer = setInterval(() => void this.beat(), Math.max(50, Math.floor(leaseMs / 3)))
    this.timer.unref()
  }

  static newToken(): string {
    return randomUUID()
  }

  /** Called once the claim with this token committed: from now on the lease is renewed until `release`. */
  hold(executionId: string, token: string, controller: AbortController): RunLease {
    this.held.set(executionId, { token, controller, renewedAt: Date.now() })
    const lost = () => this.markLost(executionId, token)
    return {
      executionId,
      token,
      lost,
      guard: async () => {
        if (controller.signal.aborted) throw controller.signal.reason
        if (!(await holdsLease(this.prisma, executionId, token))) {
          lost()
          throw new LeaseLostError(executionId)
        }
      },
    }
  }

  release(executionId: string, token: string): void {
    if (this.held.get(executionId)?.token === token) this.held.delete(executionId)
  }

  /** BullMQ could not extend the job's lock: another worker may be running it already. */
  lockLost(executionId: string): void {
    const h = this.held.get(executionId)
    if (h) this.markLost(executionId, h.token)
  }

  close(): void {
    clearInterval(this.timer)
  }

  private markLost(executionId: string, token: string): void {
    const h = this.held.get(executionId)
    if (!h || h.token !== token) return
    this.held.delete(executionId)
    if (!h.controller.signal.aborted) h.controller.abort(new LeaseLostError(executionId))
  }

  private async beat(): Promise<void> {
    if (this.beating || this.held.size === 0) return
    this.beating = true
    const leases = [...this.held].map(([id, h]) => ({ id, token: h.token }))
    try {
      const renewed = await renewLeases(this.prisma, leases, this.leaseMs)
      const now = Date.now()
      for (const { id, token } of leases) {
        const h = this.held.get(id)
        if (h?.token !== token) continue
        if (renewed.has(id)) h.renewedAt = now
        else this.markLost(id, token)
      }
    } catch (err) {
      // The database is unreachable: a lease not renewed for its whole length has expired, whatever happens next.
      logger.error({ err }, 'could not renew run leases')
      const now = Date.now()
      for (const { id, token } of leases) {
        const h = this.held.get(id)
        if (h?.token === token && now - h.renewedAt >= this.leaseMs) this.markLost(id, token)
      }
    } finally {
      this.beating = false
    }
  }
}

/** A read, not a renewal: the heartbeat renews; this only has to see that no other delivery took the run. */
async function holdsLease(prisma: PrismaClient, executionId: string, token: string): Promise<boolean> {
  const hot = hotDb(prisma)
  if (hot) return hot.holdsLease(executionId, token)
  const rows = await prisma.$queryRaw<unknown[]>`
    SELECT 1 FROM "Execution" WHERE "id" = ${executionId} AND "leaseToken" = ${token} AND "leaseExpiresAt" > (now() AT TIME ZONE 'UTC')`
  return rows.length === 1
}

/** Extends the leases still held and unexpired; returns the ids renewed. */
async function renewLeases(prisma: PrismaClient, leases: { id: string; token: string }[], leaseMs: number): Promise<Set<string>> {
  const hot = hotDb(prisma)
  if (hot) return hot.renewLeases(leases, leaseMs)
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE "Execution" SET "leaseExpiresAt" = (now() AT TIME ZONE 'UTC') + ${leaseMs} * interval '1 millisecond'
    FROM unnest(${leases.map((l) => l.id)}::text[], ${leases.map((l) => l.token)}::text[]) AS l("lId", "lToken")
    WHERE "Execution"."id" = l."lId" AND "Execution"."leaseToken" = l."lToken" AND "Execution"."leaseExpiresAt" > (now() AT TIME ZONE 'UTC')
    RETURNING "Execution"."id"`
  return new Set(rows.map((r) => r.id))
}
