'use client'
// A template's graph on a read-only React Flow canvas drawn with the designer's own node components: a store of its
// own (like one designer page) in "viewing a version" mode, so the nodes render exactly as in the designer and no
// edit is possible (nothing drags, connects or selects).
import { useEffect, useMemo, useState } from 'react'
import { Provider } from 'react-redux'
import { Background, BackgroundVariant, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import '@/components/canvas/canvas.css'
import { CountedEdge } from '@/components/canvas/CountedEdge'
import { NoteNode } from '@/components/canvas/NoteNode'
import { StepNode } from '@/components/canvas/StepNode'
import { api } from '@/lib/client/api'
import type { WorkflowGraphInput } from '@/lib/engine/graph-schema'
import { graphLoaded, makeStore, nodeTypesLoaded, useAppSelector, versionViewed } from '@/lib/store'
import { makeFlowSelectors, type FlowEdge, type FlowNode } from '@/lib/store/selectors'

const nodeTypes = { step: StepNode, note: NoteNode }
const edgeTypes = { counted: CountedEdge }
const defaultEdgeOptions = { type: 'counted' as const }
const FIT_OPTIONS = { maxZoom: 1, padding: 0.15 }

export function TemplateCanvas({ graph, version }: { graph: WorkflowGraphInput; version: number }) {
  const [store] = useState(makeStore)
  useEffect(() => {
    store.dispatch(graphLoaded(graph))
    store.dispatch(versionViewed(version))
  }, [store, graph, version])
  useEffect(() => {
    api.nodeTypes.list().then((r) => store.dispatch(nodeTypesLoaded(r.nodeTypes)), () => {})
  }, [store])
  return (
    <Provider store={store}>
      <ReactFlowProvider>
        <Flow />
      </ReactFlowProvider>
    </Provider>
  )
}

function Flow() {
  const { selectFlowNodes, selectFlowEdges } = useMemo(makeFlowSelectors, [])
  const nodes = useAppSelector(selectFlowNodes)
  const edges = useAppSelector(selectFlowEdges)
  const ready = nodes.length > 0
  return (
    <div className="h-full w-full" data-testid="template-canvas">
      {ready && (
        <ReactFlow<FlowNode, FlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          edgesReconnectable={false}
          deleteKeyCode={null}
          fitView
          fitViewOptions={FIT_OPTIONS}
          minZoom={0.1}
          maxZoom={1.5}
        >
          <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
          <Controls showInteractive={false} />
        </ReactFlow>
      )}
    </div>
  )
}
