// Imports an n8n workflow (exported JSON, or what n8n's canvas copies) as one of our graphs plus a report of every
// node, parameter, expression, setting and connection that did not come across exactly. Pure: no database, no
// Node APIs, so the browser can preview an import and the server can save it.
import type { GraphEdge, GraphNode, WorkflowGraphInput } from '../../engine/graph-schema'
import { validateGraph } from '../../engine/validate'
import { nodeRegistry } from '../../nodes/registry'
import { connectionsOf, mapSettings } from './connections'
import { isFoldedModelParam } from './nodes/ai'
import { isRecord, NodeContext, preview, type N8nNode } from './context'
import { assignNames, cleanNodeName, readN8nWorkflow, type N8nWorkflow } from './input'
import { N8N_MAPPERS, STICKY_NOTE_TYPE } from './mappers'
import type { ImportedNode, ImportReport, NodeImportEntry, UnmappedEntry } from './types'

export type { ImportReport, NodeImportEntry, UnmappedEntry } from './types'

function position(n: N8nNode, entry: NodeImportEntry): { x: number; y: number } {
  const p = n.position
  if (Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number') return { x: p[0], y: p[1] }
  if (p !== undefined) entry.unmapped.push({ path: 'position', reason: 'not an [x, y] pair: placed at 0, 0' })
  return { x: 0, y: 0 }
}

/** AI sub-nodes (chat models, tools, memory) by the node they plug into and connection type. */
function aiInputsOf(wf: { nodes: N8nNode[]; connections: Record<string, unknown> }): Map<string, Map<string, N8nNode[]>> {
  const byName = new Map(wf.nodes.map((n) => [n.name, n]))
  const out = new Map<string, Map<string, N8nNode[]>>()
  for (const [source, byType] of Object.entries(wf.connections)) {
    const node = byName.get(source)
    if (!node || !isRecord(byType)) continue
    for (const [kind, outputs] of Object.entries(byType)) {
      if (!kind.startsWith('ai_') || !Array.isArray(outputs)) continue
      for (const target of outputs.flat()) {
        if (!isRecord(target) || typeof target.node !== 'string') continue
        const kinds = out.get(target.node) ?? new Map<string, N8nNode[]>()
        kinds.set(kind, [...(kinds.get(kind) ?? []), node])
        out.set(target.node, kinds)
      }
    }
  }
  return out
}

type StickyNote = NonNullable<WorkflowGraphInput['notes']>[number]

function stickyNote(n: N8nNode, entry: NodeImportEntry, index: number): StickyNote {
  entry.status = 'stickyNote'
  const p = n.parameters
  const size = (v: unknown, fallback: number) => (typeof v === 'number' && v > 0 ? v : fallback)
  const color = p.color !== undefined ? { color: String(p.color).slice(0, 32) } : {}
  return { id: `note-${index}`, text: String(p.content ?? '').slice(0, 20_000), position: position(n, entry), width: size(p.width, 240), height: size(p.height, 160), ...color }
}

/** One n8n node through its mapper (or as a placeholder); `ctx.folded` names the AI sub-nodes it took in. */
function importNode(n: N8nNode, id: string, ctx: NodeContext): ImportedNode {
  const { entry } = ctx
  const mapper = N8N_MAPPERS.get(n.type)
  const mapped = mapper ? mapper(ctx) : null
  if (!mapper) entry.unmapped.push({ path: 'type', reason: `no equivalent here for ${n.type}: kept as a No-op placeholder with its name, position and connections; replace it` })
  else if (!mapped) entry.unmapped.push({ path: 'type', reason: 'this configuration has no equivalent here (see the entries below): kept as a No-op placeholder; replace it' })
  ctx.reportUnread()
  entry.status = mapped ? 'mapped' : 'placeholder'
  entry.type = mapped?.type ?? 'no-op'
  entry.nodeId = id
  const node: GraphNode = { id, type: entry.type, typeVersion: 1, name: entry.name, params: mapped?.params ?? {}, settings: mapSettings(n, entry), position: position(n, entry) }
  return { n8n: n, node, entry, mapped }
}

function entryFor(n: N8nNode, name: string): NodeImportEntry {
  const entry: NodeImportEntry = { n8nName: n.name, name, n8nType: n.type, n8nTypeVersion: n.typeVersion, status: 'mapped', unmapped: [], notes: [] }
  if (name !== n.name) {
    const why = cleanNodeName(n.name) === n.name ? 'another node has this name once control characters and markup are removed' : 'control characters, markup, backslashes, backticks and double braces are removed from names'
    entry.notes.push(`renamed from ${JSON.stringify(n.name)}: ${why}`)
  }
  return entry
}

/** Workflow-level things that are not imported. */
function workflowEntriesOf(wf: N8nWorkflow): UnmappedEntry[] {
  const out: UnmappedEntry[] = []
  if (wf.settings.errorWorkflow !== undefined) {
    out.push({ path: 'settings.errorWorkflow', reason: 'error workflows are not imported: start one with an Error trigger here', original: preview(wf.settings.errorWorkflow) })
  }
  if (wf.pinned.length > 0) out.push({ path: 'pinData', reason: `pinned data is not imported (nodes: ${wf.pinned.join(', ')})` })
  return out
}

function summaryOf(entries: NodeImportEntry[], workflow: UnmappedEntry[]): ImportReport['summary'] {
  const count = (status: NodeImportEntry['status']) => entries.filter((e) => e.status === status).length
  return {
    nodes: entries.length,
    mapped: count('mapped'),
    placeholders: count('placeholder'),
    stickyNotes: count('stickyNote'),
    unmappedEntries: entries.reduce((sum, e) => sum + e.unmapped.length, workflow.length),
  }
}

/** `name`: the workflow's name in the file, if it has one. */
export function importN8nWorkflow(json: unknown): { graph: WorkflowGraphInput; report: ImportReport; name?: string } {
  const wf = readN8nWorkflow(json)
  const names = assignNames(wf.nodes)
  const lookup = (n8nName: string) => names.get(n8nName)
  const aiInputs = aiInputsOf(wf)
  const entries: NodeImportEntry[] = []
  const imported = new Map<string, ImportedNode>()
  const notes: StickyNote[] = []
  const folded = new Map<string, string>()

  for (const n of wf.nodes) {
    const entry = entryFor(n, names.get(n.name) ?? n.name)
    entries.push(entry)
    if (n.type === STICKY_NOTE_TYPE) {
      notes.push(stickyNote(n, entry, notes.length + 1))
      continue
    }
    const ctx = new NodeContext(n, lookup, entry, wf.settings, aiInputs.get(n.name))
    imported.set(n.name, importNode(n, `n${imported.size + 1}`, ctx))
    for (const sub of ctx.folded) folded.set(sub, entry.name)
  }

  // AI sub-nodes read by the node they plug into are part of it, not nodes of their own.
  for (const [subName, into] of folded) {
    const sub = imported.get(subName)
    if (!sub) continue
    imported.delete(subName)
    const unmapped = sub.entry.unmapped.filter((u) => u.path !== 'type' && !isFoldedModelParam(u.path))
    Object.assign(sub.entry, { status: 'foldedIntoOther', foldedInto: into, type: undefined, nodeId: undefined, unmapped })
  }

  const workflow = workflowEntriesOf(wf)
  const edges: GraphEdge[] = connectionsOf(wf.connections, imported, workflow, new Set(folded.keys()))
  const graph = { nodes: [...imported.values()].map((i) => i.node), edges, notes }
  const graphProblems = validateGraph(graph, nodeRegistry).problems.map((p) => ({ path: p.path, code: p.code, message: p.message }))
  return { graph, report: { nodes: entries, workflow, graphProblems, summary: summaryOf(entries, workflow) }, name: wf.name }
}
