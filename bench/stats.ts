// Small helpers the bench modules share.

/** The p-th percentile (nearest rank) of an ascending list; NaN when it is empty. */
export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN
}
