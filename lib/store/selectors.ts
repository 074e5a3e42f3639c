// React Flow nodes/edges derived from the normalised store. Each element object is reused while its inputs are
// unchanged, so dragging one node among 1,000 hands React Flow one new object, not 1,000.
import { createSelector } from '@reduxjs/toolkit'
import type { Edge, Node } from '@xyflow/react'
import type { RootState } from './index'
import type { Problem } from './types'
import { NODE_WIDTH } from './graph-ops'

/**
 * Size assumed for a node React Flow has not measured yet. Giving every node a size up front lets
 * `onlyRenderVisibleElements` cull off-screen nodes on the very first render (otherwise React Flow mounts all
 * of them just to measure them); the real size replaces it as soon as a node is rendered.
 */
const ESTIMATED = { width: NODE_WIDTH, height: 64 }

export type StepNodeData = { kind: 'step' }
export type NoteNodeData = { kind: 'note' }
export type FlowNode = Node<StepNodeData, 'step'> | Node<NoteNodeData, 'note'>
export type FlowEdge = Edge<Record<string, never>, 'counted'>

interface CacheEntry<T> {
  deps: unknown[]
  value: T
}

function reuse<T>(cache: Map<string, CacheEntry<T>>, id: string, deps: unknown[], make: () => T): T {
  const hit = cache.get(id)
  if (hit && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i])) return hit.value
  const value = make()
  cache.set(id, { deps, value })
  return value
}

export function makeFlowSelectors() {
  const nodeCache = new Map<string, CacheEntry<FlowNode>>()
  const edgeCache = new Map<string, CacheEntry<FlowEdge>>()

  const selectFlowNodes = createSelector(
    [(s: RootState) => s.graph, (s: RootState) => s.selection, (s: RootState) => s.ui.measured, (s: RootState) => s.ui.viewingVersion !== null],
    (g, sel, measured, readOnly): FlowNode[] => {
      const selected = new Set([...sel.nodeIds, ...sel.noteIds])
      const out: FlowNode[] = []
      for (const id of g.noteIds) {
        const n = g.notes[id]
        const isSel = selected.has(id)
        out.push(reuse(nodeCache, id, [n.position, isSel, n.width, n.height, readOnly], () => ({
          id, type: 'note', position: n.position, data: { kind: 'note' }, selected: isSel, draggable: !readOnly, zIndex: -1,
          width: n.width, height: n.height, measured: { width: n.width, height: n.height },
        })))
      }
      for (const id of g.nodeIds) {
        const n = g.nodes[id]
        const isSel = selected.has(id)
        const m = measured[id]
        out.push(reuse(nodeCache, id, [n.position, isSel, m, readOnly], () => ({
          id, type: 'step', position: n.position, data: { kind: 'step' }, selected: isSel, draggable: !readOnly, measured: m ?? ESTIMATED,
        })))
      }
      if (nodeCache.size > out.length * 2) for (const k of nodeCache.keys()) if (!g.nodes[k] && !g.notes[k]) nodeCache.delete(k)
      return out
    },
  )

  // Depends on edges only: moving nodes must not hand React Flow a new edge list (it re-indexes every edge).
  const selectFlowEdges = createSelector([(s: RootState) => s.graph.edges, (s: RootState) => s.graph.edgeIds, (s: RootState) => s.selection.edgeIds], (edges, edgeIds, selEdges): FlowEdge[] => {
    const selected = new Set(selEdges)
    return edgeIds.map((id) => {
      const e = edges[id]
      const isSel = selected.has(id)
      return reuse(edgeCache, id, [e, isSel], () => ({
        id, type: 'counted', source: e.source, target: e.target, sourceHandle: e.sourcePort, targetHandle: e.targetPort, selected: isSel, data: {},
      }))
    })
  })

  return { selectFlowNodes, selectFlowEdges }
}

const EMPTY: Problem[] = []

/** Problems grouped by node id (graph-level problems under ""). */
export const selectProblemsByNode = createSelector([(s: RootState) => s.ui.problems], (problems) => {
  const by: Record<string, Problem[]> = {}
  for (const p of problems) (by[p.nodeId ?? ''] ??= []).push(p)
  return by
})

export const selectNodeProblems = (s: RootState, nodeId: string) => selectProblemsByNode(s)[nodeId] ?? EMPTY

export const selectIsDirty = (s: RootState) => s.history.saved !== null && s.history.saved !== s.graph
export const selectCanUndo = (s: RootState) => s.history.past.length > 0
export const selectCanRedo = (s: RootState) => s.history.future.length > 0
export const selectReadOnly = (s: RootState) => s.ui.viewingVersion !== null

/** The single selected node (inspector target), if exactly one is selected. */
export const selectInspectedNodeId = (s: RootState) => (s.selection.nodeIds.length === 1 ? s.selection.nodeIds[0] : null)

const NO_PORTS: string[] = []
/** Source ports in use per node (recomputed only when edges change, not on drags). */
export const selectSourcePortsByNode = createSelector([(s: RootState) => s.graph.edges], (edges) => {
  const by: Record<string, string[]> = {}
  for (const e of Object.values(edges)) {
    const list = (by[e.source] ??= [])
    if (!list.includes(e.sourcePort)) list.push(e.sourcePort)
  }
  return by
})
export const selectSourcePorts = (s: RootState, nodeId: string) => selectSourcePortsByNode(s)[nodeId] ?? NO_PORTS
