// Measured latency per deployment (a ring of the last N successful calls) for the "fastest" policy.
// Percentiles are computed on demand and cached until the next sample.

const WINDOW = 200

class Ring {
  private readonly values: number[] = []
  private next = 0
  private sortedCache: number[] | null = null

  push(v: number) {
    if (this.values.length < WINDOW) this.values.push(v)
    else this.values[this.next] = v
    this.next = (this.next + 1) % WINDOW
    this.sortedCache = null
  }

  percentile(p: number): number | undefined {
    if (!this.values.length) return undefined
    const sorted = (this.sortedCache ??= [...this.values].sort((a, b) => a - b))
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
  }
}

export class LatencyBoard {
  private readonly rings = new Map<string, Ring>()

  record(deploymentId: string, ms: number) {
    let r = this.rings.get(deploymentId)
    if (!r) this.rings.set(deploymentId, (r = new Ring()))
    r.push(ms)
  }

  /** Seed from the ledger (e.g. at start-up) so "fastest" works before any local call. */
  seed(deploymentId: string, samples: number[]) {
    for (const s of samples) this.record(deploymentId, s)
  }

  p95(deploymentId: string): number | undefined {
    return this.rings.get(deploymentId)?.percentile(95)
  }
}
