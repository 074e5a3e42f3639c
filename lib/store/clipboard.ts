// Copy/paste as JSON text, so it works across tabs and workflows. Pasted nodes get new ids and unique names,
// and only edges between pasted nodes survive.
import { edgeId, newId, uniqueName } from './graph-ops'
import type { EditorEdge, EditorNode, EditorNote, GraphState } from './types'

export const CLIPBOARD_KIND = 'auterity/graph-fragment'

export interface Fragment {
  kind: typeof CLIPBOARD_KIND
  nodes: EditorNode[]
  edges: EditorEdge[]
  notes: EditorNote[]
}

export function copyFragment(g: GraphState, sel: { nodeIds: string[]; noteIds?: string[] }): Fragment {
  const ids = new Set(sel.nodeIds.filter((id) => g.nodes[id]))
  return {
    kind: CLIPBOARD_KIND,
    nodes: [...ids].map((id) => g.nodes[id]),
    edges: g.edgeIds.map((id) => g.edges[id]).filter((e) => ids.has(e.source) && ids.has(e.target)),
    notes: (sel.noteIds ?? []).filter((id) => g.notes[id]).map((id) => g.notes[id]),
  }
}

/** Parses clipboard text; null when it is not a fragment of ours. */
export function parseFragment(text: string): Fragment | null {
  try {
    const v = JSON.parse(text) as Partial<Fragment>
    if (v?.kind !== CLIPBOARD_KIND || !Array.isArray(v.nodes)) return null
    const nodes = v.nodes.filter((n): n is EditorNode => !!n && typeof n.id === 'string' && typeof n.type === 'string' && typeof n.name === 'string')
    return { kind: CLIPBOARD_KIND, nodes, edges: Array.isArray(v.edges) ? v.edges : [], notes: Array.isArray(v.notes) ? v.notes : [] }
  } catch {
    return null
  }
}

/** New ids, unique names, positions shifted by `offset`. Expressions naming a renamed node are left as they are. */
export function instantiateFragment(f: Fragment, g: GraphState, offset: { x: number; y: number }) {
  const taken = g.nodeIds.map((id) => g.nodes[id].name)
  const idMap = new Map<string, string>()
  const nodes = f.nodes.map((n) => {
    const id = newId()
    idMap.set(n.id, id)
    const name = uniqueName(n.name, taken)
    taken.push(name)
    return {
      ...n,
      id,
      name,
      params: structuredClone(n.params ?? {}),
      settings: { ...(n.settings ?? {}) },
      position: { x: (n.position?.x ?? 0) + offset.x, y: (n.position?.y ?? 0) + offset.y },
    }
  })
  const edges = f.edges
    .filter((e) => idMap.has(e.source) && idMap.has(e.target))
    .map((e) => {
      const base = { source: idMap.get(e.source)!, sourcePort: e.sourcePort ?? 'main', target: idMap.get(e.target)!, targetPort: e.targetPort ?? 'main' }
      return { ...base, id: edgeId(base) }
    })
  const notes = f.notes.map((n) => ({ ...n, id: newId('note'), position: { x: n.position.x + offset.x, y: n.position.y + offset.y } }))
  return { nodes, edges, notes }
}
