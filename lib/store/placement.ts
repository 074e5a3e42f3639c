// Where new nodes go: never on top of a node or a note, right of the node they follow (in the row of the port they
// hang from, below the nodes already on that port), and room made when a node is inserted into an edge. Pure: the
// thunks hand it the graph and the measured sizes.
import { NODE_HEIGHT, NODE_WIDTH } from './graph-ops'
import type { EditorEdge, GraphState, NodeTypeInfo } from './types'

export interface XY {
  x: number
  y: number
}
export interface Size {
  width: number
  height: number
}
export type Rect = XY & Size

/** Horizontal distance from a node to the next one in its row (room for port labels and the "+"). */
export const GAP_X = 100
/** Vertical distance between branches of one node. */
export const GAP_Y = 40
/** The least clearance between a new node and anything already on the canvas. */
export const CLEARANCE = 20

type Sizes = Record<string, Size | undefined>

/** A node's size before React Flow has measured it: StepNode grows with its port count. */
export function estimatedSize(t: NodeTypeInfo | undefined, outputCount = t?.outputs.length ?? 1): Size {
  const ports = Math.max(outputCount, t?.inputs.length ?? 1)
  return { width: NODE_WIDTH, height: Math.max(NODE_HEIGHT, 28 + ports * 22) }
}

export function nodeRect(g: GraphState, sizes: Sizes, id: string): Rect {
  const n = g.nodes[id]
  const s = sizes[id] ?? { width: NODE_WIDTH, height: NODE_HEIGHT }
  return { x: n.position.x, y: n.position.y, width: s.width, height: s.height }
}

/** Everything a new node must keep clear of: nodes and sticky notes, except `exclude`. */
export function obstacles(g: GraphState, sizes: Sizes, exclude: ReadonlySet<string> = new Set()): Rect[] {
  const out: Rect[] = []
  for (const id of g.nodeIds) if (!exclude.has(id)) out.push(nodeRect(g, sizes, id))
  for (const id of g.noteIds) {
    if (exclude.has(id)) continue
    const n = g.notes[id]
    out.push({ x: n.position.x, y: n.position.y, width: n.width, height: n.height })
  }
  return out
}

export const overlaps = (a: Rect, b: Rect, gap = 0) =>
  a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap

export const isFree = (r: Rect, obs: readonly Rect[], gap = CLEARANCE) => !obs.some((o) => overlaps(r, o, gap))

/**
 * The free offset along one axis nearest to `want` for a box spanning [lo, lo + len) on that axis, given the
 * obstacles' spans on it (only those that overlap the box on the other axis). Candidates are `want` and the edges
 * just clear of each obstacle; the nearest one inside no obstacle wins (ties go forward: down or right).
 */
function nearestFree(want: number, len: number, spans: [number, number][], gap: number, forwardOnly: boolean): number {
  const blocked = (v: number) => spans.some(([a, b]) => v < b + gap && a < v + len + gap)
  const candidates = [want, ...spans.flatMap(([a, b]) => [b + gap, a - gap - len])]
  let best: number | null = null
  for (const c of candidates) {
    if (forwardOnly && c < want) continue
    if (blocked(c)) continue
    const better = best === null || Math.abs(c - want) < Math.abs(best - want) || (Math.abs(c - want) === Math.abs(best - want) && c > best)
    if (better) best = c
  }
  return best ?? Math.max(want, ...spans.map(([, b]) => b + gap))
}

/** The free spot nearest `want` in the column at `want.x` (moving the box up or down only). */
export function freeInColumn(want: XY, size: Size, obs: readonly Rect[], opts: { downOnly?: boolean; gap?: number } = {}): XY {
  const gap = opts.gap ?? CLEARANCE
  const spans = obs.filter((o) => want.x < o.x + o.width + gap && o.x < want.x + size.width + gap).map((o): [number, number] => [o.y, o.y + o.height])
  return { x: want.x, y: nearestFree(want.y, size.height, spans, gap, !!opts.downOnly) }
}

/** The free spot nearest `want` in the row at `want.y` (moving the box left or right only). */
export function freeInRow(want: XY, size: Size, obs: readonly Rect[], gap = CLEARANCE): XY {
  const spans = obs.filter((o) => want.y < o.y + o.height + gap && o.y < want.y + size.height + gap).map((o): [number, number] => [o.x, o.x + o.width])
  return { x: nearestFree(want.x, size.width, spans, gap, false), y: want.y }
}

/** `want` when it is free, else the nearer of the nearest free spots straight below/above and left/right of it. */
export function freeNear(want: XY, size: Size, obs: readonly Rect[], gap = CLEARANCE): XY {
  if (isFree({ ...want, ...size }, obs, gap)) return want
  const col = freeInColumn(want, size, obs, { gap })
  const row = freeInRow(want, size, obs, gap)
  return Math.abs(col.y - want.y) <= Math.abs(row.x - want.x) ? col : row
}

export interface PortPlacementInput {
  g: GraphState
  sizes: Sizes
  source: string
  port: string
  /** The source node's output ports, in order (ports.ts `outputPorts`). */
  ports: readonly string[]
  size: Size
}

/**
 * Where a node added after `source`'s `port` goes: one column right of the source; the first node on a port sits in
 * the port's row (branches of a multi-output node fan out around the source's row), later ones below the nodes
 * already on that port. Then the nearest free spot in that column.
 */
export function placeAfterPort({ g, sizes, source, port, ports, size }: PortPlacementInput): XY {
  const src = nodeRect(g, sizes, source)
  const x = src.x + src.width + GAP_X
  const obs = obstacles(g, sizes)
  const siblings = g.edgeIds.map((id) => g.edges[id]).filter((e) => e.source === source && e.sourcePort === port && g.nodes[e.target])
  if (siblings.length) {
    const bottom = Math.max(...siblings.map((e) => nodeRect(g, sizes, e.target)).map((r) => r.y + r.height))
    return freeInColumn({ x, y: bottom + GAP_Y }, size, obs, { downOnly: true })
  }
  const index = Math.max(0, ports.indexOf(port))
  const spread = ports.length > 1 ? (index - (ports.length - 1) / 2) * (size.height + GAP_Y) : 0
  return freeInColumn({ x, y: Math.round(src.y + src.height / 2 - size.height / 2 + spread) }, size, obs)
}

export interface EdgeInsertion {
  /** Where the inserted node goes. */
  position: XY
  /** Nodes and notes moved right to make room (id → new position). */
  moved: Record<string, XY>
}

/**
 * Room for a node inserted into `edge`: it goes one column right of the source, in the target's row. When the
 * target (drawn left to right) is closer than that, the target and everything from its column rightwards move right
 * by the same distance, so their layout is kept and nothing they clear of before overlaps them after. The inserted
 * node then takes the nearest free spot in its column.
 */
export function placeOnEdge(g: GraphState, sizes: Sizes, edge: EditorEdge, size: Size): EdgeInsertion {
  const src = nodeRect(g, sizes, edge.source)
  const dst = nodeRect(g, sizes, edge.target)
  const x = src.x + src.width + GAP_X
  const want = { x, y: Math.round(dst.y + dst.height / 2 - size.height / 2) }
  const moved: Record<string, XY> = {}
  const shift = x + size.width + GAP_X - dst.x
  if (dst.x > src.x && shift > 0) {
    const line = dst.x
    for (const id of g.nodeIds) {
      const p = g.nodes[id].position
      if (p.x >= line) moved[id] = { x: p.x + shift, y: p.y }
    }
    for (const id of g.noteIds) {
      const p = g.notes[id].position
      if (p.x >= line) moved[id] = { x: p.x + shift, y: p.y }
    }
  }
  const obs = obstacles(g, sizes).map((r, i) => {
    const id = i < g.nodeIds.length ? g.nodeIds[i] : g.noteIds[i - g.nodeIds.length]
    return moved[id] ? { ...r, ...moved[id] } : r
  })
  return { position: freeInColumn(want, size, obs), moved }
}

/** The extra shift that puts a pasted fragment (its rects, already at the wanted spot) clear of everything. */
export function freeShift(rects: readonly Rect[], obs: readonly Rect[]): XY {
  if (!rects.length || rects.every((r) => isFree(r, obs))) return { x: 0, y: 0 }
  const box = bounds(rects)
  const to = freeNear(box, box, obs)
  return { x: to.x - box.x, y: to.y - box.y }
}

export function bounds(rects: readonly Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x))
  const y = Math.min(...rects.map((r) => r.y))
  return { x, y, width: Math.max(...rects.map((r) => r.x + r.width)) - x, height: Math.max(...rects.map((r) => r.y + r.height)) - y }
}
