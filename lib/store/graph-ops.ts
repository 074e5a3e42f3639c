// Pure graph helpers shared by reducers, the canvas and tests: normalising, connection rules, naming, layout.
import dagre from '@dagrejs/dagre'
import type { WorkflowGraph, WorkflowGraphInput } from '@/lib/engine/graph-schema'
import { emptyGraph, type EditorEdge, type EditorNode, type GraphState, type NodeTypeInfo } from './types'

export const edgeId = (e: Omit<EditorEdge, 'id'>) => `${e.source}:${e.sourcePort}->${e.target}:${e.targetPort}`

export function normaliseGraph(input: WorkflowGraphInput): GraphState {
  const g = emptyGraph()
  for (const n of input.nodes ?? []) {
    g.nodes[n.id] = {
      id: n.id,
      type: n.type,
      typeVersion: n.typeVersion ?? 1,
      name: n.name,
      params: { ...(n.params ?? {}) },
      settings: { ...(n.settings ?? {}) },
      position: n.position ?? { x: 0, y: 0 },
    }
    g.nodeIds.push(n.id)
  }
  for (const e of input.edges ?? []) {
    const edge = { source: e.source, sourcePort: e.sourcePort ?? 'main', target: e.target, targetPort: e.targetPort ?? 'main' }
    const id = e.id ?? edgeId(edge)
    if (g.edges[id]) continue
    g.edges[id] = { id, ...edge }
    g.edgeIds.push(id)
  }
  for (const n of input.notes ?? []) {
    g.notes[n.id] = { id: n.id, text: n.text ?? '', position: n.position, width: n.width ?? 240, height: n.height ?? 160, color: n.color }
    g.noteIds.push(n.id)
  }
  const pins = Object.entries(input.pinData ?? {}).filter(([id]) => g.nodes[id])
  if (pins.length) g.pinData = Object.fromEntries(pins)
  return laidOutIfStacked(g)
}

/**
 * A graph written by hand or through the API often has no positions (they default to 0,0): every node would sit on
 * the same spot and only the last would show. Such a graph is laid out once, as it is loaded.
 */
function laidOutIfStacked(g: GraphState): GraphState {
  if (g.nodeIds.length < 2) return g
  const { x, y } = g.nodes[g.nodeIds[0]].position
  if (!g.nodeIds.every((id) => g.nodes[id].position.x === x && g.nodes[id].position.y === y)) return g
  const positions = autoLayout(g)
  for (const id of g.nodeIds) g.nodes[id].position = positions[id]
  return g
}

/** The saved shape (what PUT /api/workflows/:id takes). */
export function toWorkflowGraph(g: GraphState): WorkflowGraph {
  return {
    nodes: g.nodeIds.map((id) => g.nodes[id]),
    edges: g.edgeIds.map((id) => g.edges[id]),
    notes: g.noteIds.map((id) => g.notes[id]),
    ...(g.pinData && Object.keys(g.pinData).length > 0 && { pinData: g.pinData }),
  }
}

/** True when `to` can already reach `from` — adding from → to would close a cycle. */
export function wouldCreateCycle(g: GraphState, from: string, to: string): boolean {
  if (from === to) return true
  const out = new Map<string, string[]>()
  for (const id of g.edgeIds) {
    const e = g.edges[id]
    out.set(e.source, [...(out.get(e.source) ?? []), e.target])
  }
  const seen = new Set<string>()
  const stack = [to]
  while (stack.length) {
    const cur = stack.pop()!
    if (cur === from) return true
    if (seen.has(cur)) continue
    seen.add(cur)
    stack.push(...(out.get(cur) ?? []))
  }
  return false
}

export interface ConnectionRequest {
  source: string
  sourcePort?: string | null
  target: string
  targetPort?: string | null
}

/** Why a connection is refused, or null when it is fine. */
export function connectionProblem(g: GraphState, c: ConnectionRequest, types: Record<string, NodeTypeInfo>): string | null {
  const src = g.nodes[c.source]
  const dst = g.nodes[c.target]
  if (!src || !dst) return 'Both ends must be nodes.'
  if (c.source === c.target) return 'A node cannot connect to itself.'
  const dstType = types[dst.type]
  if (dstType?.trigger || dstType?.inputs.length === 0) return `"${dst.name}" is a trigger: it has no input.`
  const targetPort = c.targetPort ?? 'main'
  if (dstType && !dstType.inputs.some((p) => p.name === targetPort)) return `"${dst.name}" has no input "${targetPort}".`
  const sourcePort = c.sourcePort ?? 'main'
  if (g.edges[edgeId({ source: c.source, sourcePort, target: c.target, targetPort })]) return 'These ports are already connected.'
  if (wouldCreateCycle(g, c.source, c.target) && !closesLoop(g, c.source, c.target, dstType)) {
    const hint = dstType?.loop ? ` Only the nodes after its "${dstType.loop.bodyPort}" output may lead back into it.` : ''
    return `That would create a cycle: "${dst.name}" already leads to "${src.name}".${hint}`
  }
  return null
}

/** The one cycle allowed (lib/engine/loops.ts): `from` is in the body of the loop node `loop`, i.e. reached from its
 * body port without passing the loop node again. The server's validation has the last word. */
function closesLoop(g: GraphState, from: string, loop: string, loopType: NodeTypeInfo | undefined): boolean {
  if (!loopType?.loop) return false
  const out = new Map<string, string[]>()
  for (const id of g.edgeIds) {
    const e = g.edges[id]
    out.set(e.source, [...(out.get(e.source) ?? []), e.target])
  }
  const bodyPort = loopType.loop.bodyPort
  const stack = g.edgeIds.map((id) => g.edges[id]).filter((e) => e.source === loop && e.sourcePort === bodyPort).map((e) => e.target)
  const seen = new Set<string>()
  while (stack.length) {
    const cur = stack.pop()!
    if (cur === from) return true
    if (cur === loop || seen.has(cur)) continue
    seen.add(cur)
    stack.push(...(out.get(cur) ?? []))
  }
  return false
}

/** "HTTP Request", then "HTTP Request 2", "HTTP Request 3"… (names are unique: expressions refer to nodes by name). */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const set = new Set(taken)
  if (!set.has(base)) return base
  const stem = base.replace(/ \d+$/, '')
  for (let i = 2; ; i++) if (!set.has(`${stem} ${i}`)) return `${stem} ${i}`
}

let counter = 0
export function newId(prefix = 'n'): string {
  counter = (counter + 1) % 1_000_000
  const rnd = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().slice(0, 8) : Math.random().toString(36).slice(2, 10)
  return `${prefix}_${rnd}${counter.toString(36)}`
}

export function createNode(t: NodeTypeInfo, position: { x: number; y: number }, takenNames: Iterable<string>, params: Record<string, unknown> = {}): EditorNode {
  return { id: newId(), type: t.type, typeVersion: t.version, name: uniqueName(t.label, takenNames), params, settings: {}, position }
}

export const NODE_WIDTH = 220
export const NODE_HEIGHT = 72

/** Left-to-right layered layout (dagre). Returns new positions for every node. */
export function autoLayout(g: GraphState, sizes: Record<string, { width?: number; height?: number }> = {}): Record<string, { x: number; y: number }> {
  const d = new dagre.graphlib.Graph()
  d.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 })
  d.setDefaultEdgeLabel(() => ({}))
  for (const id of g.nodeIds) {
    d.setNode(id, { width: sizes[id]?.width ?? NODE_WIDTH, height: sizes[id]?.height ?? NODE_HEIGHT })
  }
  for (const id of g.edgeIds) d.setEdge(g.edges[id].source, g.edges[id].target)
  dagre.layout(d)
  const out: Record<string, { x: number; y: number }> = {}
  for (const id of g.nodeIds) {
    const n = d.node(id)
    out[id] = { x: Math.round(n.x - n.width / 2), y: Math.round(n.y - n.height / 2) }
  }
  return out
}

/** Node ids upstream of `nodeId`, nearest first (for expression autocomplete). */
export function ancestors(g: GraphState, nodeId: string): string[] {
  const incoming = new Map<string, string[]>()
  for (const id of g.edgeIds) {
    const e = g.edges[id]
    incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source])
  }
  const order: string[] = []
  const seen = new Set([nodeId])
  let frontier = [nodeId]
  while (frontier.length) {
    const next: string[] = []
    for (const id of frontier) for (const p of incoming.get(id) ?? []) if (!seen.has(p)) { seen.add(p); order.push(p); next.push(p) }
    frontier = next
  }
  return order
}
