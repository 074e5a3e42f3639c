// Which nodes take part in a run and how they wait for each other: the nodes reachable from the trigger, their edges,
// and the loops among them. Back edges of a loop feed its done port, not its readiness; a body node waits per
// iteration on the loop and the body (`bodyWaiting`), and its inputs from outside the body hold the loop node back.
import { nodeSettingsSchema, type GraphEdge, type GraphNode, type NodeSettings, type WorkflowGraph } from './graph-schema'
import { backEdgeSet, findLoops, type LoopShape } from './loops'
import { lookupDefinition } from './registry'
import type { NodeRuntime } from './step'
import type { NodeRegistry } from './types'

const SETTINGS_DEFAULTS = nodeSettingsSchema.parse({})

/** Settings were validated with the graph; only fill in what is missing (an explicit undefined counts as missing). */
function withDefaults(settings: Partial<NodeSettings>): NodeSettings {
  const out: NodeSettings = { ...SETTINGS_DEFAULTS }
  for (const [key, value] of Object.entries(settings)) if (value !== undefined) (out as Record<string, unknown>)[key] = value
  return out
}

export interface RunWiring {
  runtimes: Map<string, NodeRuntime>
  loops: Map<string, LoopShape>
  /** Body node → its loop. */
  loopOf: Map<string, LoopShape>
  /** Per body node: the in-edges from its loop's body port and from the body, counted again at each iteration. */
  bodyWaiting: Map<string, number>
  /** The node an edge's source holds back until it settles (none: a back edge, or an edge its loop releases). */
  waitsOn(e: GraphEdge): NodeRuntime | undefined
}

/** Only nodes reachable from the chosen trigger take part (other triggers' branches do not). */
export function wireRun(graph: WorkflowGraph, registry: NodeRegistry, trigger: GraphNode): RunWiring {
  const nodesById = new Map(graph.nodes.map((n) => [n.id, n]))
  const outgoing = new Map<string, GraphEdge[]>()
  for (const e of graph.edges) {
    let list = outgoing.get(e.source)
    if (!list) outgoing.set(e.source, (list = []))
    list.push(e)
  }
  const runtimes = new Map<string, NodeRuntime>()
  const visit = [trigger.id]
  while (visit.length > 0) {
    const id = visit.pop()!
    if (runtimes.has(id)) continue
    const node = nodesById.get(id)!
    const found = lookupDefinition(registry, node.type, node.typeVersion)
    if (!found.ok) throw new Error('unreachable: validated graph')
    runtimes.set(id, {
      node,
      def: found.def,
      settings: withDefaults(node.settings),
      inEdges: [],
      outEdges: outgoing.get(id) ?? [],
      waiting: 0,
      state: { nodeId: id, status: 'pending', attempts: 0, outputCounts: {} },
    })
    for (const e of outgoing.get(id) ?? []) visit.push(e.target)
  }

  const loops = findLoops(new Map([...runtimes].map(([id, rt]) => [id, rt.def])), graph.edges)
  const backEdges = backEdgeSet(loops)
  const loopOf = new Map<string, LoopShape>()
  const externalEdges = new Set<GraphEdge>()
  for (const loop of loops.values()) {
    for (const id of loop.body) loopOf.set(id, loop)
    for (const e of loop.externalEdges) externalEdges.add(e)
  }
  const waitsOn = (e: GraphEdge): NodeRuntime | undefined => {
    if (backEdges.has(e)) return undefined
    const loop = loopOf.get(e.target)
    if (!loop) return runtimes.get(e.target)
    return externalEdges.has(e) ? runtimes.get(loop.nodeId) : undefined
  }
  const bodyWaiting = new Map<string, number>()
  for (const e of graph.edges) {
    const target = runtimes.get(e.target)
    if (!target || !runtimes.has(e.source) || backEdges.has(e)) continue
    target.inEdges.push(e)
    const holder = waitsOn(e)
    if (holder) holder.waiting++
    else bodyWaiting.set(e.target, (bodyWaiting.get(e.target) ?? 0) + 1)
  }
  return { runtimes, loops, loopOf, bodyWaiting, waitsOn }
}
