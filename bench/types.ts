// Every bench module default-exports a function returning rows; bench/run.ts prints them as a table and writes JSON.
export interface BenchRow {
  /** What was measured, e.g. "engine overhead per step, 1,000-step chain" */
  name: string
  value: number
  unit: string
  /** The bar to beat, in words, when the issue sets one: "< 2 ms p99" */
  bar?: string
  /** Whether the bar is met (omit when there is no bar). */
  pass?: boolean
  notes?: string
}
export type BenchModule = { default: () => Promise<BenchRow[]> }
