// The n8n importer's contracts: what the report says about each n8n node, and what a node mapper gets and returns.
// Browser-safe: no Node imports anywhere under lib/templates/n8n.
import type { GraphNode } from '../../engine/graph-schema'
import type { N8nNode } from './context'

/** A parameter (or expression, connection, setting) of an n8n node that did not come across as it was. */
export interface UnmappedEntry {
  /** Dotted path in the n8n node: `parameters.options.timeout`, `settings.onError`, `connections.main.2`. */
  path: string
  reason: string
  /** The original value, as JSON text (cut at 500 characters). */
  original?: string
}

export type NodeImportStatus = 'mapped' | 'placeholder' | 'stickyNote' | 'foldedIntoOther'

export interface NodeImportEntry {
  /** The node's name in the n8n file. */
  n8nName: string
  /** Its name here (differs when control characters or markup were removed, or two names collided afterwards). */
  name: string
  n8nType: string
  n8nTypeVersion: number
  /** mapped: a node of `type`; placeholder: a no-op keeping the name, position and connections (unknown or
   * unconvertible type); stickyNote: became a canvas note; foldedIntoOther: an AI sub-node read by `foldedInto`. */
  status: NodeImportStatus
  type?: string
  nodeId?: string
  foldedInto?: string
  unmapped: UnmappedEntry[]
  /** Mapped, but not exactly the same behaviour (read before running). */
  notes: string[]
}

export interface ImportReport {
  nodes: NodeImportEntry[]
  /** Workflow-level entries (settings, connections to missing nodes). */
  workflow: UnmappedEntry[]
  /** What validation of the produced graph says (e.g. NO_TRIGGER); empty when the graph can be saved as is. */
  graphProblems: { path: string; code: string; message: string }[]
  summary: { nodes: number; mapped: number; placeholders: number; stickyNotes: number; unmappedEntries: number }
}

/** What a mapper returns: our node type and params, and how n8n's output / input indexes become our port names. */
export interface MappedNode {
  type: string
  params: Record<string, unknown>
  /** Our ports for n8n output index i (several when one n8n output stands for several of ours); default: 0 → main. */
  outputPorts?: (index: number) => string[]
  /** How many outputs the n8n node has before its error output (`onError: continueErrorOutput`); default 1. */
  outputCount?: number
  /** Our input port for n8n input index i; default: 0 → main. */
  inputPort?: (index: number) => string | undefined
}

/** An imported node: its n8n origin, our node, its report entry and how its n8n outputs / inputs map to our ports. */
export interface ImportedNode {
  n8n: N8nNode
  node: GraphNode
  entry: NodeImportEntry
  mapped: MappedNode | null
}
