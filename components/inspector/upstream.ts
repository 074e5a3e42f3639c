// The nodes before the inspected one with a sample item each, for expression completion and the preview: the
// first item of its last run (the execution-data context, which also carries pinned data), else the item its
// node type declares (lib/nodes/define.ts OutputSample), else null ("run the previous node to see its fields").
import type { StepRecord } from '@/lib/client/types'
import type { UpstreamSample } from '@/lib/forms/expression'
import type { GraphState, NodeTypeInfo } from '@/lib/store/types'
import { ancestors } from '@/lib/store/graph-ops'
import { firstItem } from './execution-data'

type Item = Record<string, unknown>

function parentsOf(g: GraphState): Map<string, string[]> {
  const parents = new Map<string, string[]>()
  for (const id of g.edgeIds) {
    const e = g.edges[id]
    parents.set(e.target, [...(parents.get(e.target) ?? []), e.source])
  }
  return parents
}

/** `fieldsFrom` rows (Set fields: `{ name: "customer.city" }`) as fields of the declared item. */
function declaredFields(params: Record<string, unknown>, list: string): Item {
  const out: Item = {}
  const rows = params[list]
  if (!Array.isArray(rows)) return out
  for (const row of rows) {
    const name = (row as { name?: unknown } | null)?.name
    if (typeof name !== 'string' || !name) continue
    const keys = name.split('.')
    let cur = out
    keys.forEach((k, i) => {
      if (i === keys.length - 1) cur[k] = (row as { value?: unknown }).value ?? ''
      else cur = (cur[k] && typeof cur[k] === 'object' ? cur[k] : (cur[k] = {})) as Item
    })
  }
  return out
}

export function upstreamSamples(g: GraphState, nodeId: string, steps: Record<string, StepRecord>, types: Record<string, NodeTypeInfo>): UpstreamSample[] {
  const parents = parentsOf(g)
  const memo = new Map<string, { item: Item | null; source?: 'run' | 'declared' }>()
  const sampleOf = (id: string, seen: Set<string>): { item: Item | null; source?: 'run' | 'declared' } => {
    const known = memo.get(id)
    if (known) return known
    const ran = firstItem(steps[id]?.output)
    let result: { item: Item | null; source?: 'run' | 'declared' } = { item: null }
    if (ran) result = { item: ran, source: 'run' }
    else {
      const node = g.nodes[id]
      const declared = node ? types[node.type]?.outputSample : undefined
      if (declared && !seen.has(id)) {
        const parent = (parents.get(id) ?? [])[0]
        const input = declared.passesInput && parent ? sampleOf(parent, new Set([...seen, id])).item : null
        const added = declared.fieldsFrom ? declaredFields(node.params, declared.fieldsFrom) : {}
        const item = { ...(input ?? {}), ...declared.item, ...added }
        const unknown = declared.passesInput && !input && Object.keys(item).length === 0
        if (!unknown) result = { item, source: 'declared' }
      }
    }
    memo.set(id, result)
    return result
  }
  const direct = new Set(parents.get(nodeId) ?? [])
  const ids = ancestors(g, nodeId)
  return ids.map((id) => {
    const { item, source } = sampleOf(id, new Set([nodeId]))
    const trigger = !!types[g.nodes[id].type]?.trigger && !(parents.get(id)?.length)
    return { name: g.nodes[id].name, item, direct: direct.has(id), ...(trigger ? { trigger } : {}), ...(source ? { source } : {}) }
  })
}
