import type { Item, NodeExecutor } from '../../engine/types'
import { isLastPage, pageDigest } from '../page-state'
import { getPath, parsePath, setPath } from '../paths'
import type { AggregateField, AggregateParams } from './definition'

const outputNameOf = (f: AggregateField) => f.outputName || String(parsePath(f.field, 'fields').at(-1))

export const execute: NodeExecutor<AggregateParams> = async (ctx) => {
  const p = ctx.params
  const all = p.aggregate === 'allItemData'
  // Checked on every page, before any item: a reserved name fails even on an empty input.
  if (all) parsePath(p.destination, 'destination')
  p.fields.forEach((f, i) => {
    parsePath(f.field, `fields.${i}.field`)
    parsePath(outputNameOf(f), `fields.${i}.outputName`)
  })
  const lists = pageDigest(ctx, 'aggregate.lists', () => (all ? [[]] : p.fields.map(() => [])) as unknown[][])
  for (const item of ctx.items) {
    if (all) {
      lists[0].push(item)
      continue
    }
    p.fields.forEach((f, i) => {
      const value = getPath(item, f.field)
      if (value !== undefined && value !== null) lists[i].push(value)
      else if (p.keepMissing) lists[i].push(null)
    })
  }
  if (!isLastPage(ctx)) return { main: [] }
  const out: Item = {}
  if (all) setPath(out, p.destination, lists[0], 'destination')
  else p.fields.forEach((f, i) => setPath(out, outputNameOf(f), lists[i], `fields.${i}.outputName`))
  return { main: [out] }
}
