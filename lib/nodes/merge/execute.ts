import { NodeError, type Item, type NodeExecutor } from '../../engine/types'
import { getPath } from '../paths'
import { MERGE_INPUTS, type MergeParams } from './definition'

function keyOf(item: Item, path: string, field: string): string | undefined {
  const v = getPath(item, path, field)
  if (v === undefined || v === null) return undefined
  // 42 and "42" join: keys are compared as text; objects by their JSON.
  return typeof v === 'object' ? `j:${JSON.stringify(v)}` : `s:${String(v)}`
}

export function joinByKey(left: Item[], right: Item[], p: Pick<MergeParams, 'joinKind' | 'field1' | 'field2' | 'preferOnClash'>): Item[] {
  const index = new Map<string, number[]>()
  right.forEach((item, i) => {
    const k = keyOf(item, p.field2, 'field2')
    if (k !== undefined) index.set(k, [...(index.get(k) ?? []), i])
  })
  const usedRight = new Set<number>()
  const out: Item[] = []
  for (const l of left) {
    const k = keyOf(l, p.field1, 'field1')
    const matches = k === undefined ? [] : (index.get(k) ?? [])
    for (const ri of matches) {
      usedRight.add(ri)
      out.push(p.preferOnClash === 'input2' ? { ...l, ...right[ri] } : { ...right[ri], ...l })
    }
    if (matches.length === 0 && p.joinKind !== 'inner') out.push(l)
  }
  if (p.joinKind === 'outer') right.forEach((r, i) => !usedRight.has(i) && out.push(r))
  return out
}

export const execute: NodeExecutor<MergeParams> = async (ctx) => {
  const p = ctx.params
  const input = (name: string): Item[] => ctx.inputs[name] ?? []
  switch (p.mode) {
    case 'append':
      return { main: MERGE_INPUTS.flatMap(input) }
    case 'waitForAll':
      return { main: input(p.output) }
    case 'byKey':
      for (const [field, path] of [['field1', p.field1], ['field2', p.field2]] as const) {
        if (!path.trim()) throw new NodeError(`${field} must name the field to join on`, { code: 'INVALID_PARAM', field })
      }
      return { main: joinByKey(input('input1'), input('input2'), p) }
  }
}
