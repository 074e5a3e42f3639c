// Step metrics of one run, read off the engine's events on their way to the step recorder: each settled attempt's
// duration by node type and status, each retry, and how steps that needed a retry ended. Counter and histogram
// updates only; the node types of a version's graph are looked up once per graph (graphs are cached and frozen).
import type { EngineEvent, NodeRegistry } from '../../lib/engine/types'
import type { WorkflowGraph } from '../../lib/engine/graph-schema'
import type { Metrics } from '../../lib/metrics/metrics'

type OnEvent = (e: EngineEvent) => Promise<void>

const typesByGraph = new WeakMap<WorkflowGraph, Map<string, string>>()

/** Node id → its type as a label: a type the registry does not know is `unknown` (labels stay a known set). */
function nodeTypes(graph: WorkflowGraph, registry: NodeRegistry<any>): Map<string, string> {
  let types = typesByGraph.get(graph)
  if (!types) {
    types = new Map(graph.nodes.map((n) => [n.id, registry.has(n.type) ? n.type : 'unknown']))
    typesByGraph.set(graph, types)
  }
  return types
}

export function observeSteps(next: OnEvent, metrics: Metrics, graph: WorkflowGraph, registry: NodeRegistry<any>): OnEvent {
  const types = nodeTypes(graph, registry)
  const typeOf = (nodeId: string) => types.get(nodeId) ?? 'unknown'
  // Nodes with a retry under way. A node's attempts (and a loop body's iterations) run one after another, so the
  // node id is enough to match a retry with how the step ends.
  const retrying = new Set<string>()
  return (e) => {
    switch (e.type) {
      case 'step.succeeded':
        metrics.stepSettled(typeOf(e.nodeId), 'succeeded', e.durationMs)
        if (retrying.delete(e.nodeId)) metrics.retriedStepEnded(typeOf(e.nodeId), 'succeeded')
        break
      case 'step.failed':
        metrics.stepSettled(typeOf(e.nodeId), 'failed', e.durationMs)
        if (!e.willRetry && retrying.delete(e.nodeId)) metrics.retriedStepEnded(typeOf(e.nodeId), 'failed')
        break
      case 'step.retrying':
        metrics.stepRetrying(typeOf(e.nodeId))
        retrying.add(e.nodeId)
        break
    }
    return next(e)
  }
}
