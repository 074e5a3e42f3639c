import type { Item, NodeExecutor } from '../../engine/types'
import { isLastPage, pageDigest } from '../page-state'
import { getPath, parsePath, setPath } from '../paths'
import { accumulator, outputNameOf, type Accumulator } from './accumulator'
import type { SummarizeParams } from './definition'

interface Group {
  values: unknown[]
  accumulators: Accumulator[]
}

/** Group values as typed JSON: "42" and 42 are different groups; missing and null are the same (null). */
const groupKey = (values: unknown[]) => JSON.stringify(values)

export const execute: NodeExecutor<SummarizeParams> = async (ctx) => {
  const { groupBy, aggregations } = ctx.params
  // Checked once per page, before any item: a reserved name fails even on an empty input.
  groupBy.forEach((path, i) => parsePath(path, `groupBy.${i}`))
  aggregations.forEach((agg, i) => {
    if (agg.field) parsePath(agg.field, `aggregations.${i}.field`)
    parsePath(outputNameOf(agg), `aggregations.${i}.outputName`)
  })
  const groups = pageDigest(ctx, 'summarize.groups', () => new Map<string, Group>())
  for (let i = 0; i < ctx.items.length; i++) {
    const item = ctx.items[i]
    const values = groupBy.map((path) => getPath(item, path) ?? null)
    const key = groupKey(values)
    let group = groups.get(key)
    if (!group) groups.set(key, (group = { values, accumulators: aggregations.map(accumulator) }))
    aggregations.forEach((agg, a) => group.accumulators[a].add(agg.field ? getPath(item, agg.field) : undefined, ctx.inputOffset + i))
  }
  if (!isLastPage(ctx)) return { main: [] }
  // Without groupBy an empty input still gets its one summary (count 0), so the next step can report it.
  if (groups.size === 0 && groupBy.length === 0) groups.set('[]', { values: [], accumulators: aggregations.map(accumulator) })
  const out: Item[] = []
  for (const group of groups.values()) {
    const row: Item = {}
    groupBy.forEach((path, i) => setPath(row, path, group.values[i]))
    aggregations.forEach((agg, a) => setPath(row, outputNameOf(agg), group.accumulators[a].result()))
    out.push(row)
  }
  return { main: out }
}
