// Differences between two graphs (version diff and the 409 conflict dialog).
import type { WorkflowGraphInput } from '@/lib/engine/graph-schema'
import { edgeId } from './graph-ops'

export interface GraphDiff {
  added: { id: string; name: string }[]
  removed: { id: string; name: string }[]
  moved: { id: string; name: string }[]
  renamed: { id: string; from: string; to: string }[]
  changed: { id: string; name: string; fields: string[] }[]
  edgesAdded: string[]
  edgesRemoved: string[]
}

const stable = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x))

/** What changed going from `a` to `b`. */
export function diffGraphs(a: WorkflowGraphInput, b: WorkflowGraphInput): GraphDiff {
  const an = new Map(a.nodes.map((n) => [n.id, n]))
  const bn = new Map(b.nodes.map((n) => [n.id, n]))
  const d: GraphDiff = { added: [], removed: [], moved: [], renamed: [], changed: [], edgesAdded: [], edgesRemoved: [] }
  for (const [id, n] of bn) if (!an.has(id)) d.added.push({ id, name: n.name })
  for (const [id, n] of an) if (!bn.has(id)) d.removed.push({ id, name: n.name })
  for (const [id, x] of an) {
    const y = bn.get(id)
    if (!y) continue
    const px = x.position ?? { x: 0, y: 0 }
    const py = y.position ?? { x: 0, y: 0 }
    if (px.x !== py.x || px.y !== py.y) d.moved.push({ id, name: y.name })
    if (x.name !== y.name) d.renamed.push({ id, from: x.name, to: y.name })
    const fields: string[] = []
    const px2 = (x.params ?? {}) as Record<string, unknown>
    const py2 = (y.params ?? {}) as Record<string, unknown>
    for (const k of new Set([...Object.keys(px2), ...Object.keys(py2)])) if (stable(px2[k]) !== stable(py2[k])) fields.push(k)
    const sx = (x.settings ?? {}) as Record<string, unknown>
    const sy = (y.settings ?? {}) as Record<string, unknown>
    for (const k of new Set([...Object.keys(sx), ...Object.keys(sy)])) if (stable(sx[k]) !== stable(sy[k])) fields.push(`settings.${k}`)
    if (fields.length) d.changed.push({ id, name: y.name, fields: fields.sort() })
  }
  const key = (e: WorkflowGraphInput['edges'] extends (infer E)[] | undefined ? E : never) =>
    edgeId({ source: e.source, sourcePort: e.sourcePort ?? 'main', target: e.target, targetPort: e.targetPort ?? 'main' })
  const ae = new Set((a.edges ?? []).map(key))
  const be = new Set((b.edges ?? []).map(key))
  const nameOf = (id: string) => bn.get(id)?.name ?? an.get(id)?.name ?? id
  const label = (k: string) => {
    const [s, t] = k.split('->')
    return `${nameOf(s.split(':')[0])} → ${nameOf(t.split(':')[0])}`
  }
  for (const k of be) if (!ae.has(k)) d.edgesAdded.push(label(k))
  for (const k of ae) if (!be.has(k)) d.edgesRemoved.push(label(k))
  return d
}

export const isEmptyDiff = (d: GraphDiff) => Object.values(d).every((v) => v.length === 0)
