// Which nodes take part in a run and how they wait for each other: the nodes reachable from the trigger, their edges,
// and the loops among them. Back edges of a loop feed its done port, not its readiness; a body node waits per
// iteration on the loop and the body (`bodyWaiting`), and its inputs from outside the body hold the loop node back.
// All of it depends on the graph, the registry and the trigger only, so it is kept with a cached graph (./plan.ts)
// and shared by every run of it: nothing here is written to during a run (a run's mutable state is its NodeRuntimes).
import { nodeSettingsSchema, MAIN_PORT, type GraphEdge, type GraphNode, type NodeSettings, type WorkflowGraph } from './graph-schema'
import { hasExpression } from './expressions'
import { backEdgeSet, findLoops, type LoopShape } from './loops'
import { inputPortNames } from './ports'
import { lookupDefinition } from './registry'
import type { NodeDefinition, NodeRegistry } from './types'

const SETTINGS_DEFAULTS = nodeSettingsSchema.parse({})

/** Settings were validated with the graph; only fill in what is missing (an explicit undefined counts as missing). */
function withDefaults(settings: Partial<NodeSettings>): NodeSettings {
  const out: NodeSettings = { ...SETTINGS_DEFAULTS }
  for (const [key, value] of Object.entries(settings)) if (value !== undefined) (out as Record<string, unknown>)[key] = value
  return out
}

/** What a node brings to every run of its graph. */
export interface NodePlan {
  readonly node: GraphNode
  readonly def: NodeDefinition
  readonly settings: Readonly<NodeSettings>
  /** Edges from nodes that take part in the run, in graph order. */
  readonly inEdges: GraphEdge[]
  readonly outEdges: GraphEdge[]
  /** In-edges (and edges into a loop's body from outside it) the node waits for before it is ready. */
  readonly waiting: number
  readonly inPorts: readonly string[]
  /** The first input port (items, params' scope); `main` for a node without inputs. */
  readonly firstPort: string
  /** The nodes whose wait drops by one when this one settles, an entry per out-edge (a loop's body port left out:
   * the loop releases its body per iteration). */
  readonly releases: readonly string[]
  /** Whether params hold an expression: without one they are parsed once (./params.ts). */
  readonly dynamic: boolean
}

export interface RunWiring {
  /** The nodes taking part, in the order they were reached from the trigger. */
  nodes: NodePlan[]
  loops: Map<string, LoopShape>
  /** Body node → its loop. */
  loopOf: Map<string, LoopShape>
  /** Per body node: the in-edges from its loop's body port and from the body, counted again at each iteration. */
  bodyWaiting: Map<string, number>
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
  const defs = new Map<string, NodeDefinition>()
  const visit = [trigger.id]
  while (visit.length > 0) {
    const id = visit.pop()!
    if (defs.has(id)) continue
    const node = nodesById.get(id)!
    const found = lookupDefinition(registry, node.type, node.typeVersion)
    if (!found.ok) throw new Error('unreachable: validated graph')
    defs.set(id, found.def)
    for (const e of outgoing.get(id) ?? []) visit.push(e.target)
  }

  const loops = findLoops(defs, graph.edges)
  const backEdges = backEdgeSet(loops)
  const loopOf = new Map<string, LoopShape>()
  const externalEdges = new Set<GraphEdge>()
  for (const loop of loops.values()) {
    for (const id of loop.body) loopOf.set(id, loop)
    for (const e of loop.externalEdges) externalEdges.add(e)
  }
  /** The node an edge's source holds back until it settles (none: a back edge, or an edge its loop releases). */
  const holderOf = (e: GraphEdge): string | undefined => {
    if (backEdges.has(e)) return undefined
    const loop = loopOf.get(e.target)
    if (!loop) return e.target
    return externalEdges.has(e) ? loop.nodeId : undefined
  }
  const inEdges = new Map<string, GraphEdge[]>([...defs.keys()].map((id) => [id, []]))
  const waiting = new Map<string, number>()
  const bodyWaiting = new Map<string, number>()
  for (const e of graph.edges) {
    const targetIn = inEdges.get(e.target)
    if (!targetIn || !defs.has(e.source) || backEdges.has(e)) continue
    targetIn.push(e)
    const holder = holderOf(e)
    if (holder !== undefined) waiting.set(holder, (waiting.get(holder) ?? 0) + 1)
    else bodyWaiting.set(e.target, (bodyWaiting.get(e.target) ?? 0) + 1)
  }

  const nodes: NodePlan[] = []
  for (const [id, def] of defs) {
    const node = nodesById.get(id)!
    const outEdges = outgoing.get(id) ?? []
    const bodyPort = loops.get(id)?.bodyPort
    const releases: string[] = []
    for (const e of outEdges) {
      if (e.sourcePort === bodyPort) continue
      const holder = holderOf(e) ?? (loopOf.has(e.target) ? e.target : undefined)
      if (holder !== undefined) releases.push(holder)
    }
    const inPorts = inputPortNames(def)
    nodes.push({
      node,
      def,
      settings: withDefaults(node.settings),
      inEdges: inEdges.get(id)!,
      outEdges,
      waiting: waiting.get(id) ?? 0,
      inPorts,
      firstPort: inPorts[0] ?? MAIN_PORT,
      releases,
      dynamic: hasExpression(node.params),
    })
  }
  return { nodes, loops, loopOf, bodyWaiting }
}
