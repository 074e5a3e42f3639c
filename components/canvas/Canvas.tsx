'use client'
// The React Flow canvas, controlled by the Redux store: nodes/edges are derived (selectors.ts), every change is
// an action, so undo/redo, selection and run state have one source of truth.
import { useCallback, useMemo, useRef, type DragEvent } from 'react'
import {
  Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow,
  type Connection, type EdgeChange, type FinalConnectionState, type IsValidConnection, type NodeChange, type OnConnectEnd,
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import './canvas.css'
import {
  addNode, checkpoint, connect, elementsRemoved, nodesMeasured, nodesMoved, noticeShown, selectionSet, selectionToggled,
  useAppDispatch, useAppSelector, useAppStore,
} from '@/lib/store'
import { connectionProblem } from '@/lib/store/graph-ops'
import { revealAdded } from '@/components/palette/reveal'
import { makeFlowSelectors, type FlowEdge, type FlowNode } from '@/lib/store/selectors'
import { CountedEdge } from './CountedEdge'
import { NoteNode } from './NoteNode'
import { StepNode } from './StepNode'

export const PALETTE_MIME = 'application/x-auterity-node-type'

const nodeTypes = { step: StepNode, note: NoteNode }
const edgeTypes = { counted: CountedEdge }
const defaultEdgeOptions = { type: 'counted' as const }
// A big workflow opens readable (and renders only what is on screen) instead of shrunk to dots; "1" fits it all.
const FIT_OPTIONS = { maxZoom: 1.1, minZoom: 0.5, padding: 0.2 }
const DELETE_KEYS = ['Delete', 'Backspace']
const MULTI_SELECT_KEYS = ['Meta', 'Control', 'Shift']
const minimapColor = (n: FlowNode) => (n.type === 'note' ? '#fde68a' : n.selected ? 'var(--accent)' : '#94a3b8')

const toRequest = (c: Connection | FlowEdge) => ({
  source: c.source, sourcePort: c.sourceHandle ?? 'main', target: c.target, targetPort: c.targetHandle ?? 'main',
})

export function Canvas({ onNodeOpen }: { onNodeOpen?: (nodeId: string) => void }) {
  const dispatch = useAppDispatch()
  const store = useAppStore()
  const { selectFlowNodes, selectFlowEdges } = useMemo(makeFlowSelectors, [])
  const nodes = useAppSelector(selectFlowNodes)
  const edges = useAppSelector(selectFlowEdges)
  const readOnly = useAppSelector((s) => s.ui.viewingVersion !== null)
  const rf = useReactFlow<FlowNode, FlowEdge>()
  const dragGroup = useRef<string | null>(null)

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const positions: Record<string, { x: number; y: number }> = {}
      const sizes: Record<string, { width: number; height: number }> = {}
      const selects: { kind: 'node' | 'note'; id: string; selected: boolean }[] = []
      const notes = store.getState().graph.notes
      for (const c of changes) {
        if (c.type === 'position' && c.position) positions[c.id] = c.position
        else if (c.type === 'dimensions' && c.dimensions && !notes[c.id]) sizes[c.id] = c.dimensions
        else if (c.type === 'select') selects.push({ kind: notes[c.id] ? 'note' : 'node', id: c.id, selected: c.selected })
      }
      if (Object.keys(positions).length) dispatch(nodesMoved({ positions, group: dragGroup.current ?? undefined }))
      if (Object.keys(sizes).length) dispatch(nodesMeasured(sizes))
      if (selects.length) dispatch(selectionToggled(selects))
    },
    [dispatch, store],
  )

  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      const selects = changes.flatMap((c) => (c.type === 'select' ? [{ kind: 'edge' as const, id: c.id, selected: c.selected }] : []))
      if (selects.length) dispatch(selectionToggled(selects))
    },
    [dispatch],
  )

  const onDelete = useCallback(
    ({ nodes: ns, edges: es }: { nodes: FlowNode[]; edges: FlowEdge[] }) => {
      dispatch(elementsRemoved({
        nodeIds: ns.filter((n) => n.type === 'step').map((n) => n.id),
        noteIds: ns.filter((n) => n.type === 'note').map((n) => n.id),
        edgeIds: es.map((e) => e.id),
      }))
      dispatch(selectionSet({}))
    },
    [dispatch],
  )


  const isValidConnection: IsValidConnection<FlowEdge> = useCallback(
    (c) => {
      const s = store.getState()
      return connectionProblem(s.graph, toRequest(c as Connection), s.ui.nodeTypes) === null
    },
    [store],
  )

  const onConnect = useCallback((c: Connection) => void dispatch(connect(toRequest(c))), [dispatch])

  const onConnectEnd: OnConnectEnd = useCallback(
    (_e, st: FinalConnectionState) => {
      if (st.isValid || !st.toNode || !st.fromNode) return
      const s = store.getState()
      const fromIsSource = st.fromHandle?.type !== 'target'
      const req = fromIsSource
        ? { source: st.fromNode.id, sourcePort: st.fromHandle?.id ?? 'main', target: st.toNode.id, targetPort: st.toHandle?.id ?? 'main' }
        : { source: st.toNode.id, sourcePort: st.toHandle?.id ?? 'main', target: st.fromNode.id, targetPort: st.fromHandle?.id ?? 'main' }
      const problem = connectionProblem(s.graph, req, s.ui.nodeTypes)
      if (problem) dispatch(noticeShown('error', `Connection refused: ${problem}`))
    },
    [dispatch, store],
  )

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault()
      e.dataTransfer.dropEffect = 'copy'
    }
  }, [])

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_MIME)
      if (!type) return
      e.preventDefault()
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY })
      const id = dispatch(addNode(type, { x: p.x - 110, y: p.y - 36 }))
      if (id) revealAdded(rf, store.getState, [id])
    },
    [dispatch, rf, store],
  )

  // Every prop handed to React Flow keeps its identity across renders: a new function here would re-render
  // every node wrapper on every drag frame.
  const onNodeDragStart = useCallback(() => {
    dragGroup.current = `drag:${Date.now()}`
  }, [])
  const onNodeDragStop = useCallback(() => {
    dragGroup.current = null
    dispatch(checkpoint())
  }, [dispatch])
  const openRef = useRef(onNodeOpen)
  openRef.current = onNodeOpen
  const onNodeDoubleClick = useCallback((_e: unknown, n: FlowNode) => {
    if (n.type === 'step') openRef.current?.(n.id)
  }, [])
  const onPaneClick = useCallback(() => dispatch(selectionSet({})), [dispatch])

  return (
    <div className="h-full w-full" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        onNodeDoubleClick={onNodeDoubleClick}
        onPaneClick={onPaneClick}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={false}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        onlyRenderVisibleElements
        fitView
        fitViewOptions={FIT_OPTIONS}
        minZoom={0.05}
        maxZoom={2}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <MiniMap pannable zoomable className="!bg-panel" nodeStrokeWidth={3} nodeColor={minimapColor} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  )
}
