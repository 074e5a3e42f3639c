// Editor-side shapes. The graph is kept normalised (records + ordered ids); React Flow nodes are derived.
import type { GraphNode, NodeSettings } from '@/lib/engine/graph-schema'
import type { NodeDocs } from '@/lib/engine/types'
import type { OutputSample } from '@/lib/nodes/define'
import type { NodeIcon } from '@/lib/nodes/icons'

export type EditorNode = GraphNode
export type { NodeSettings }

export interface EditorEdge {
  id: string
  source: string
  sourcePort: string
  target: string
  targetPort: string
}

export interface EditorNote {
  id: string
  text: string
  position: { x: number; y: number }
  width: number
  height: number
  color?: string
}

export interface GraphState {
  nodes: Record<string, EditorNode>
  nodeIds: string[]
  edges: Record<string, EditorEdge>
  edgeIds: string[]
  notes: Record<string, EditorNote>
  noteIds: string[]
  /** Items pinned per node id (saved with the graph; used by the designer's manual runs only). */
  pinData?: Record<string, Record<string, unknown>[]>
}

/** A validation problem as the engine / POST /api/workflows/validate reports it. */
export interface Problem {
  path: string
  nodeId?: string
  field?: string
  code: string
  message: string
}

/** What the palette and inspector know about a node type (GET /api/node-types). */
export interface NodeTypeInfo {
  type: string
  version: number
  label: string
  description: string
  icon: NodeIcon
  category: string
  trigger?: { kind: string }
  inputs: { name: string; label?: string }[]
  /** Static outputs; node types with dynamic outputs send their default ports. */
  outputs: { name: string; label?: string }[]
  credential?: { param: string; kinds: string[]; optional?: boolean }
  /** Triggers a provider calls (Twilio, WhatsApp): the hook path (`{workflowId}`, `{nodeId}`) and where it goes. */
  hook?: { path: string; where: string }
  params: Record<string, unknown>
  /** Params a freshly dropped node starts with. */
  defaults?: Record<string, unknown>
  /** Outputs depend on params (Switch): `outputs` holds the ports for default params. */
  dynamicOutputs?: true
  /** A loop node (Loop Over Items): an edge from the nodes after `bodyPort` back into it may close a cycle. */
  loop?: { bodyPort: string; donePort: string }
  /** Host services the node type uses (e.g. 'ai'). */
  services?: string[]
  /** Reference text and worked examples: the palette's hover card and the inspector's Docs tab. */
  docs?: NodeDocs
  /** What an output item looks like before the node has run (expression completion). */
  outputSample?: OutputSample
}

export const emptyGraph = (): GraphState => ({ nodes: {}, nodeIds: [], edges: {}, edgeIds: [], notes: {}, noteIds: [] })
