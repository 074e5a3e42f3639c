import type { Item, NodeExecutor } from '../../engine/types'
import { stableStringify } from '../conditions'
import { getPath, parsePath } from '../paths'
import type { SortParams } from './definition'

/** Kinds in the order mixed values sort; missing/null is always last, whatever the direction. */
const Kind = { Number: 0, Date: 1, Text: 2, Boolean: 3, Object: 4, Missing: 5 } as const

type SortValue = { kind: number; n: number; s: string }

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

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

function compare(a: SortValue, b: SortValue, desc: boolean): number {
  if (a.kind !== b.kind) return a.kind === Kind.Missing ? 1 : b.kind === Kind.Missing ? -1 : desc ? b.kind - a.kind : a.kind - b.kind
  const order = a.n !== b.n ? Math.sign(a.n - b.n) : a.s < b.s ? -1 : a.s > b.s ? 1 : 0
  return desc ? -order : order
}

export const execute: NodeExecutor<SortParams> = async (ctx) => {
  const { sortBy } = ctx.params
  sortBy.forEach((key, i) => parsePath(key.field, `sortBy.${i}.field`))
  const rows = ctx.items.map((item: Item) => ({ item, values: sortBy.map((key) => sortValue(getPath(item, key.field))) }))
  rows.sort((x, y) => {
    for (let k = 0; k < sortBy.length; k++) {
      const order = compare(x.values[k], y.values[k], sortBy[k].order === 'desc')
      if (order !== 0) return order
    }
    return 0
  })
  return { main: rows.map((row) => row.item) }
}
