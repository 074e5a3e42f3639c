// The usage ledger. record() only appends to a buffer (no I/O on the hot path); rows are written in batches
// shortly after, and flush() writes everything pending (tests, shutdown, before budget refreshes).
import type { UsageRow } from './types'
import { log } from '../log'

export interface UsageLedger {
  record(row: UsageRow): void
  flush(): Promise<void>
}

/** Keeps rows in memory: unit tests, benchmarks. */
export class MemoryLedger implements UsageLedger {
  readonly rows: UsageRow[] = []
  record(row: UsageRow) {
    this.rows.push(row)
  }
  async flush() {}
}

export class BatchingLedger implements UsageLedger {
  private buffer: UsageRow[] = []
  private timer: NodeJS.Timeout | null = null
  private inFlight: Promise<void> = Promise.resolve()

  constructor(
    private readonly write: (rows: UsageRow[]) => Promise<void>,
    private readonly opts: { delayMs?: number; maxBatch?: number; onError?: (err: unknown, rows: UsageRow[]) => void } = {},
  ) {}

  record(row: UsageRow) {
    this.buffer.push(row)
    if (this.buffer.length >= (this.opts.maxBatch ?? 500)) void this.flush()
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.opts.delayMs ?? 200)
      this.timer.unref?.()
    }
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const rows = this.buffer
    this.buffer = []
    // Serialize batches so a flush() awaited by a test also covers batches already on their way.
    this.inFlight = this.inFlight.then(async () => {
      if (!rows.length) return
      try {
        await this.write(rows)
      } catch (err) {
        ;(this.opts.onError ?? ((e) => log.error({ component: 'ai-ledger', err: e, rows: rows.length }, 'usage rows could not be written and are lost')))(err, rows)
      }
    })
    return this.inFlight
  }
}

/** Hears of every usage row as it is recorded (the process's metrics: lib/metrics). Must not throw or wait. */
export interface UsageObserver {
  aiUsage(row: UsageRow): void
}

/** The ledger, with each row also shown to `observer` (counters only: the row's write stays batched). */
export function observedLedger(ledger: UsageLedger, observer: UsageObserver): UsageLedger {
  return {
    record(row) {
      observer.aiUsage(row)
      ledger.record(row)
    },
    flush: () => ledger.flush(),
  }
}
