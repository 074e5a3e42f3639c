// What a run derives from its graph before anything runs: the structural check, node names, the trigger, the wiring.
// A saved version runs many times, so for a graph that cannot change any more (deep-frozen: the worker freezes every
// graph it parses) all of it is kept with the graph object and paid once. Anything else (a test's graph, a designer's
// draft being edited, "test this step") is planned afresh on every run. The key is the graph object itself and the
// registry it was planned against; a plan is used only when every node's definition is still the one it was built
// with, so nothing derived from an older graph or registry is ever used.
import type { GraphNode, WorkflowGraph } from './graph-schema'
import type { NodeDefinition, NodeRegistry } from './types'
import { validateGraph, type ValidationResult } from './validate'
import { wireRun, type RunWiring } from './wiring'

export interface GraphPlan {
  check: ValidationResult
  /** Present when the check passed. */
  nodesByName?: ReadonlyMap<string, GraphNode>
  /** Per `triggerNodeId` asked for ('' for none): the trigger and the wiring from it; null when there is no such trigger. */
  readonly runs: Map<string, RunPlan | null>
  /** The definition each graph node had when planned (by position in `graph.nodes`). */
  readonly defs: readonly (NodeDefinition | undefined)[]
}

export interface RunPlan {
  trigger: GraphNode
  wiring: RunWiring
}

const plans = new WeakMap<object, WeakMap<NodeRegistry, GraphPlan>>()

export function graphPlan(graph: WorkflowGraph, registry: NodeRegistry): GraphPlan {
  const cached = plans.get(graph)?.get(registry)
  if (cached && sameDefinitions(graph, registry, cached.defs)) return cached
  const plan = buildPlan(graph, registry)
  if (isImmutableGraph(graph)) {
    let byRegistry = plans.get(graph)
    if (!byRegistry) plans.set(graph, (byRegistry = new WeakMap()))
    byRegistry.set(registry, plan)
  }
  return plan
}

/** The trigger a run starts from and the wiring from it (undefined: not a trigger of this graph, or none). */
export function runPlan(plan: GraphPlan, registry: NodeRegistry, triggerNodeId: string | undefined): RunPlan | undefined {
  const key = triggerNodeId ?? ''
  let found = plan.runs.get(key)
  if (found === undefined) {
    const graph = plan.check.graph!
    const trigger = pickTrigger(registry, graph.nodes, triggerNodeId)
    found = trigger ? { trigger, wiring: wireRun(graph, registry, trigger) } : null
    plan.runs.set(key, found)
  }
  return found ?? undefined
}

function buildPlan(graph: WorkflowGraph, registry: NodeRegistry): GraphPlan {
  const check = validateGraph(graph, registry, { params: false, parsed: true })
  const nodes: unknown = (graph as { nodes?: unknown } | null)?.nodes
  const defs = Array.isArray(nodes) ? nodes.map((n: { type?: unknown }) => (typeof n?.type === 'string' ? registry.get(n.type) : undefined)) : []
  const nodesByName = check.ok && check.graph ? new Map(check.graph.nodes.map((n) => [n.name, n])) : undefined
  return { check, nodesByName, runs: new Map(), defs }
}

function pickTrigger(registry: NodeRegistry, nodes: GraphNode[], triggerNodeId: string | undefined): GraphNode | undefined {
  const isTrigger = (n: GraphNode) => Boolean(registry.get(n.type)?.trigger)
  if (triggerNodeId) {
    const n = nodes.find((x) => x.id === triggerNodeId)
    return n && isTrigger(n) ? n : undefined
  }
  return nodes.find(isTrigger)
}

/** A registry is a Map: one whose definitions were swapped since the plan was made gets a new plan. */
function sameDefinitions(graph: WorkflowGraph, registry: NodeRegistry, defs: readonly (NodeDefinition | undefined)[]): boolean {
  const nodes = graph.nodes
  for (let i = 0; i < defs.length; i++) if (registry.get(nodes[i].type) !== defs[i]) return false
  return true
}

/**
 * A graph whose nodes and edges are deep-frozen cannot change, so its plan can never be stale. Checked once per graph
 * object (a hit in `plans` was checked when it was stored). Notes and pinned data are not part of a plan.
 */
export function isImmutableGraph(graph: unknown): boolean {
  if (!Object.isFrozen(graph) || graph === null || typeof graph !== 'object') return false
  const { nodes, edges } = graph as { nodes?: unknown; edges?: unknown }
  const seen = new Set<object>()
  return Array.isArray(nodes) && Array.isArray(edges) && deepFrozen(nodes, seen) && deepFrozen(edges, seen)
}

function deepFrozen(value: unknown, seen: Set<object>): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function'
  if (seen.has(value)) return true
  if (!Object.isFrozen(value)) return false
  seen.add(value)
  for (const v of Object.values(value)) if (!deepFrozen(v, seen)) return false
  return true
}
