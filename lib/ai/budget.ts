// Budgets checked BEFORE a call: spent + in-flight reservations + this call's estimate must stay within every
// applicable limit (tenant-wide and the workflow's, per day and per month, UTC). Spend is loaded from the ledger
// once per period window and refreshed every `refreshMs`; in between it is tracked in memory, so the check costs
// no query on the hot path. Reservations are settled with the real cost after the call.
import { BudgetExceededError } from './errors'
import { picoToUsd, usdToPico } from './pricing'
import type { Budget } from './types'

export interface SpendSource {
  /** Picodollars spent since `since` by the tenant (workflowId null) or one workflow. */
  spentSince(tenantId: string, workflowId: string | null, since: Date): Promise<bigint>
}

interface Counter {
  spent: bigint
  reserved: bigint
  loadedAt: number
}

export function periodStart(period: 'day' | 'month', now: number): Date {
  const d = new Date(now)
  return period === 'day' ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())) : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))
}

export interface Reservation {
  settle(actualPico: bigint): void
}

const NO_RESERVATION: Reservation = { settle() {} }

export class BudgetGuard {
  private readonly counters = new Map<string, Counter>()
  private readonly loading = new Map<string, Promise<Counter>>()

  constructor(private readonly source: SpendSource, private readonly refreshMs = 30_000, private readonly now: () => number = Date.now) {}

  static applicable(budgets: Budget[], workflowId: string | undefined): Budget[] {
    return budgets.filter((b) => b.workflowId === null || b.workflowId === workflowId)
  }

  private key(b: Budget, now: number) {
    return `${b.tenantId}|${b.workflowId ?? '*'}|${b.period}|${periodStart(b.period, now).getTime()}`
  }

  private async counter(b: Budget, now: number): Promise<Counter> {
    const key = this.key(b, now)
    const c = this.counters.get(key)
    if (c && now - c.loadedAt < this.refreshMs) return c
    let pending = this.loading.get(key)
    if (!pending) {
      pending = this.source.spentSince(b.tenantId, b.workflowId, periodStart(b.period, now)).then((spent) => {
        const fresh = { spent, reserved: c?.reserved ?? 0n, loadedAt: this.now() }
        this.counters.set(key, fresh)
        return fresh
      })
      this.loading.set(key, pending)
      pending.finally(() => this.loading.delete(key)).catch(() => {})
    }
    return pending
  }

  /** The smallest amount left across the budgets (picodollars), or null when no budget applies. */
  async headroom(budgets: Budget[]): Promise<{ left: bigint; tightest: Budget; spent: bigint } | null> {
    if (!budgets.length) return null
    const now = this.now()
    let best: { left: bigint; tightest: Budget; spent: bigint } | null = null
    for (const b of budgets) {
      const c = await this.counter(b, now)
      const left = usdToPico(b.limitUsd) - c.spent - c.reserved
      if (!best || left < best.left) best = { left, tightest: b, spent: c.spent }
    }
    return best
  }

  /** Synchronous after headroom() loaded the counters: no await between check and reservation. */
  reserve(budgets: Budget[], estimatePico: bigint): Reservation {
    if (!budgets.length) return NO_RESERVATION
    const now = this.now()
    const counters = budgets.map((b) => this.counters.get(this.key(b, now))).filter((c): c is Counter => Boolean(c))
    for (const c of counters) c.reserved += estimatePico
    let settled = false
    return {
      settle(actual) {
        if (settled) return
        settled = true
        for (const c of counters) {
          c.reserved -= estimatePico
          c.spent += actual
        }
      },
    }
  }

  exceeded(h: { left: bigint; tightest: Budget; spent: bigint }, estimatePico: bigint): BudgetExceededError {
    const b = h.tightest
    const scope = b.workflowId ? `workflow ${b.workflowId}` : 'tenant'
    return new BudgetExceededError(
      `AI budget exceeded: the ${b.period}ly ${scope} budget of $${b.limitUsd} has ${picoToUsd(h.left > 0n ? h.left : 0n)} USD left, this call may cost up to ${picoToUsd(estimatePico)} USD`,
      { scope, period: b.period, limitUsd: b.limitUsd, spentUsd: picoToUsd(h.spent), estimateUsd: picoToUsd(estimatePico) },
    )
  }
}
