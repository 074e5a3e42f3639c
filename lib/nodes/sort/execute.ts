import type { Item, NodeExecutor } from '../../engine/types'
import { stableStringify } from '../conditions'
import { isLastPage, pageDigest } from '../page-state'
import { getPath, parsePath } from '../paths'
import type { SortParams } from './definition'
import { SpilledRuns, type Row } from './runs'

/** Kinds in the order mixed values sort; missing/null is always last, whatever the direction. */
const Kind = { Number: 0, Date: 1, Text: 2, Boolean: 3, Object: 4, Missing: 5 } as const

type SortValue = { kind: number; n: number; s: string }

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/
const OUTPUT_PAGE = 1000

/** Worked out once per item and key, so the n·log n comparisons do no parsing. */
function sortValue(v: unknown): SortValue {
  if (v === undefined || v === null) return { kind: Kind.Missing, n: 0, s: '' }
  if (typeof v === 'number') return { kind: Kind.Number, n: v, s: '' }
  if (typeof v === 'boolean') return { kind: Kind.Boolean, n: v ? 1 : 0, s: '' }
  if (typeof v === 'string') {
    const t = v.trim()
    if (t !== '' && !Number.isNaN(Number(t))) return { kind: Kind.Number, n: Number(t), s: '' }
    if (ISO_DATE.test(t) && !Number.isNaN(Date.parse(t))) return { kind: Kind.Date, n: Date.parse(t), s: '' }
    return { kind: Kind.Text, n: 0, s: v }
  }
  return { kind: Kind.Object, n: 0, s: stableStringify(v) }
}

// In a run file: [kind, n, s] with ±Infinity as text (JSON has no Infinity).
const encode = (v: SortValue) => [v.kind, Number.isFinite(v.n) ? v.n : String(v.n), v.s]
const decode = (raw: unknown): SortValue => {
  const [kind, n, s] = raw as [number, number | string, string]
  return { kind, n: Number(n), s }
}

function compareValues(a: SortValue, b: SortValue, desc: boolean): number {
  if (a.kind !== b.kind) return a.kind === Kind.Missing ? 1 : b.kind === Kind.Missing ? -1 : desc ? b.kind - a.kind : a.kind - b.kind
  const order = a.n !== b.n ? Math.sign(a.n - b.n) : a.s < b.s ? -1 : a.s > b.s ? 1 : 0
  return desc ? -order : order
}

interface SortState {
  buffer: Row<SortValue>[]
  runs: SpilledRuns<SortValue>
  seq: number
}

/**
 * Pages accumulate until `inMemoryItems`; past that, each full buffer is sorted and spilled as a run to a temporary
 * file, and the last page merges the runs, writing the output page by page (ctx.write). Small inputs never touch disk.
 */
export const execute: NodeExecutor<SortParams> = async (ctx) => {
  const { sortBy, inMemoryItems } = ctx.params
  sortBy.forEach((key, i) => parsePath(key.field, `sortBy.${i}.field`))
  const compare = (x: Row<SortValue>, y: Row<SortValue>) => {
    for (let k = 0; k < sortBy.length; k++) {
      const order = compareValues(x.values[k]!, y.values[k]!, sortBy[k]!.order === 'desc')
      if (order !== 0) return order
    }
    return x.seq - y.seq
  }
  const state = pageDigest<SortState>(ctx, 'sort', () => {
    const runs = new SpilledRuns<SortValue>(encode, decode)
    ctx.signal.addEventListener('abort', () => void runs.dispose(), { once: true })
    return { buffer: [], runs, seq: 0 }
  })
  try {
    for (const item of ctx.items) state.buffer.push({ item, seq: state.seq++, values: sortBy.map((key) => sortValue(getPath(item, key.field))) })
    if (state.buffer.length >= inMemoryItems) {
      await state.runs.spill(state.buffer.sort(compare))
      state.buffer = []
    }
    if (!isLastPage(ctx)) return { main: [] }
    if (state.runs.files.length === 0) return { main: state.buffer.sort(compare).map((row) => row.item) }
    if (state.buffer.length > 0) await state.runs.spill(state.buffer.sort(compare))
    state.buffer = []
    let page: Item[] = []
    for await (const row of state.runs.merge(compare)) {
      page.push(row.item)
      if (page.length === OUTPUT_PAGE) {
        await ctx.write({ main: page })
        page = []
      }
    }
    await state.runs.dispose()
    return { main: page }
  } catch (err) {
    await state.runs.dispose()
    throw err
  }
}
