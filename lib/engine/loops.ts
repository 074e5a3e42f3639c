// The shape of the loops in a graph. A loop node (a definition with `loop`, e.g. Loop Over Items) sends batches out
// of its body port; the nodes reached from there (without passing the loop node again) are its body, run once per
// batch, and an edge from the body back into the loop node hands items back. Those back edges are the only edges
// allowed to close a cycle: validate.ts leaves them out of its cycle check, run.ts out of its readiness counts.
import type { GraphEdge } from './graph-schema'
import type { NodeDefinition } from './types'

export interface LoopShape {
  nodeId: string
  bodyPort: string
  donePort: string
  /** Nodes reached from the body port without passing the loop node again, in the order they were found. */
  body: Set<string>
  /** Edges from a body node back into the loop node: what they carry is collected for the done port. */
  backEdges: GraphEdge[]
  /** Edges into body nodes from nodes outside the body (the loop node's done port included). */
  externalEdges: GraphEdge[]
}

/** Loops of the nodes `defs` maps, over `edges` (edges whose ends are not in `defs` are ignored). Linear per loop. */
export function findLoops(defs: ReadonlyMap<string, NodeDefinition>, edges: readonly GraphEdge[]): Map<string, LoopShape> {
  const loops = new Map<string, LoopShape>()
  const loopNodes = [...defs].filter(([, def]) => def.loop)
  if (loopNodes.length === 0) return loops // most graphs: no edge maps to build on every run
  const outgoing = new Map<string, GraphEdge[]>()
  const incoming = new Map<string, GraphEdge[]>()
  for (const e of edges) {
    if (!defs.has(e.source) || !defs.has(e.target)) continue
    push(outgoing, e.source, e)
    push(incoming, e.target, e)
  }
  for (const [id, def] of loopNodes) {
    const { bodyPort, donePort } = def.loop!
    const body = new Set<string>()
    const visit = (outgoing.get(id) ?? []).filter((e) => e.sourcePort === bodyPort).map((e) => e.target)
    while (visit.length > 0) {
      const next = visit.pop()!
      if (next === id || body.has(next)) continue
      body.add(next)
      for (const e of outgoing.get(next) ?? []) visit.push(e.target)
    }
    const backEdges = (incoming.get(id) ?? []).filter((e) => body.has(e.source))
    const externalEdges: GraphEdge[] = []
    for (const member of body) {
      for (const e of incoming.get(member) ?? []) if (!body.has(e.source) && !(e.source === id && e.sourcePort === bodyPort)) externalEdges.push(e)
    }
    loops.set(id, { nodeId: id, bodyPort, donePort, body, backEdges, externalEdges })
  }
  return loops
}

/** Every back edge of these loops, for skipping them in cycle checks and readiness counts. */
export function backEdgeSet(loops: ReadonlyMap<string, LoopShape>): Set<GraphEdge> {
  const out = new Set<GraphEdge>()
  for (const loop of loops.values()) for (const e of loop.backEdges) out.add(e)
  return out
}

/** Nodes reachable from `from` along `edges` minus `skip` (used to find inputs of a body that only exist after the loop). */
export function reachableFrom(from: string, edges: readonly GraphEdge[], skip: ReadonlySet<GraphEdge>): Set<string> {
  const outgoing = new Map<string, string[]>()
  for (const e of edges) if (!skip.has(e)) push(outgoing, e.source, e.target)
  const seen = new Set<string>()
  const visit = [...(outgoing.get(from) ?? [])]
  while (visit.length > 0) {
    const next = visit.pop()!
    if (seen.has(next)) continue
    seen.add(next)
    visit.push(...(outgoing.get(next) ?? []))
  }
  return seen
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
