// Upgrading a workflow made from a template: a three-way merge by node id. `base` is the template version the
// workflow was made from, `theirs` the version it moves to (both resolved with the workflow's own inputs, so they
// compare with it value for value), `ours` the workflow as it is now. What only the template changed is applied,
// what only the workflow changed is kept, what both changed differently is a conflict for the user to settle per
// node. Params merge per top-level key, so edits to different keys of one node both survive. Pure. docs/templates.md.
import type { GraphEdge, GraphNode, WorkflowGraph } from '../engine/graph-schema'
import { ValidationError } from '../errors'

export type ChangeKind =
  | 'unchanged'
  | 'template-changed'
  | 'workflow-edited'
  | 'both-changed'
  | 'added-by-template'
  | 'removed-by-template'
  | 'added-by-workflow'
  | 'removed-by-workflow'

export type Resolution = 'template' | 'workflow'

export interface NodeChange {
  nodeId: string
  name: string
  kind: ChangeKind
  /** What the template changed on this node: param keys, and `name`, `type`, `typeVersion`, `settings`. */
  paramsChanged: string[]
  /** What the workflow changed on this node since it was made (or last upgraded). */
  workflowChanged: string[]
  /** Keys both changed to different values (a removal against an edit has none: the whole node is in question). */
  conflictKeys: string[]
  conflict: boolean
  base: GraphNode | null
  theirs: GraphNode | null
  ours: GraphNode | null
}

export interface UpgradePlan {
  changes: NodeChange[]
  conflicts: string[]
  /** The workflow after the upgrade; every conflicting node needs a resolution. */
  merged(resolutions?: Readonly<Record<string, Resolution>>): WorkflowGraph
}

/** Structural equality of JSON values; key order does not matter. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => sameJson(v, (b as unknown[])[i]))
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

const NODE_FIELDS = ['name', 'type', 'typeVersion', 'settings'] as const

/** A node as named values: its fields and each top-level param as `params.<key>` (position is merged apart). */
function facets(node: GraphNode): Map<string, unknown> {
  const out = new Map<string, unknown>(NODE_FIELDS.map((f) => [f, node[f]]))
  for (const [k, v] of Object.entries(node.params)) out.set(`params.${k}`, v)
  return out
}

const label = (key: string) => (key.startsWith('params.') ? key.slice('params.'.length) : key)

function changedKeys(from: Map<string, unknown>, to: Map<string, unknown>): string[] {
  const keys = new Set([...from.keys(), ...to.keys()])
  return [...keys].filter((k) => !sameJson(from.get(k), to.get(k)))
}

function fromFacets(values: Map<string, unknown>, position: GraphNode['position'], id: string): GraphNode {
  const params: Record<string, unknown> = {}
  for (const [k, v] of values) if (k.startsWith('params.') && v !== undefined) params[k.slice('params.'.length)] = v
  return {
    id,
    name: values.get('name') as string,
    type: values.get('type') as string,
    typeVersion: values.get('typeVersion') as number,
    settings: values.get('settings') as GraphNode['settings'],
    params,
    position,
  }
}

/** Both sides present: merge key by key; `pick` settles the keys in conflict. */
function mergeNode(base: GraphNode, theirs: GraphNode, ours: GraphNode, pick: Resolution | undefined): GraphNode {
  const b = facets(base), t = facets(theirs), o = facets(ours)
  const out = new Map<string, unknown>()
  for (const key of new Set([...b.keys(), ...t.keys(), ...o.keys()])) {
    const bv = b.get(key), tv = t.get(key), ov = o.get(key)
    if (sameJson(tv, bv)) out.set(key, ov)
    else if (sameJson(ov, bv) || sameJson(ov, tv)) out.set(key, tv)
    else out.set(key, pick === 'template' ? tv : ov)
  }
  // A node the workflow moved stays where it is; otherwise it follows the template.
  const position = sameJson(ours.position, base.position) ? theirs.position : ours.position
  return fromFacets(out, position, ours.id)
}

function describe(base: GraphNode | null, theirs: GraphNode | null, ours: GraphNode | null): NodeChange {
  const id = (ours ?? theirs ?? base)!.id
  const name = (ours ?? theirs ?? base)!.name
  const empty = new Map<string, unknown>()
  const tKeys = base && theirs ? changedKeys(facets(base), facets(theirs)) : []
  const oKeys = base && ours ? changedKeys(facets(base), facets(ours)) : []
  const change = (kind: ChangeKind, conflictKeys: string[] = [], conflict = conflictKeys.length > 0): NodeChange => ({
    nodeId: id, name, kind, paramsChanged: tKeys.map(label), workflowChanged: oKeys.map(label), conflictKeys: conflictKeys.map(label), conflict, base, theirs, ours,
  })
  if (!base) {
    if (theirs && ours) {
      const differ = changedKeys(facets(theirs), facets(ours))
      return { ...change('added-by-template', differ), paramsChanged: changedKeys(empty, facets(theirs)).map(label) }
    }
    return theirs ? { ...change('added-by-template'), paramsChanged: changedKeys(empty, facets(theirs)).map(label) } : change('added-by-workflow')
  }
  if (!theirs) return change('removed-by-template', [], ours !== null && oKeys.length > 0)
  if (!ours) return change('removed-by-workflow', [], tKeys.length > 0)
  if (tKeys.length === 0) return change(oKeys.length === 0 ? 'unchanged' : 'workflow-edited')
  if (oKeys.length === 0) return change('template-changed')
  const t = facets(theirs), o = facets(ours)
  return change('both-changed', tKeys.filter((k) => oKeys.includes(k) && !sameJson(t.get(k), o.get(k))))
}

const edgeKey = (e: GraphEdge) => `${e.source}\0${e.sourcePort}\0${e.target}\0${e.targetPort}`

/**
 * The plan for moving `ours` from `base` to `theirs`. `changes` lists every node of the three graphs (nodes all
 * three lack are not there to list); `merged(resolutions)` builds the result, refusing with a 400 naming
 * `resolutions.<nodeId>` for each conflict left unresolved. Edges merge as sets keyed by their two ends (an edge
 * the template removed goes unless the workflow added it itself; one the workflow removed stays removed); an edge
 * whose node is gone goes with it. Sticky notes are the workflow's own.
 */
export function planUpgrade(base: WorkflowGraph, theirs: WorkflowGraph, ours: WorkflowGraph): UpgradePlan {
  const byId = (g: WorkflowGraph) => new Map(g.nodes.map((n) => [n.id, n]))
  const b = byId(base), t = byId(theirs), o = byId(ours)
  const order = [...new Set([...ours.nodes.map((n) => n.id), ...theirs.nodes.map((n) => n.id), ...base.nodes.map((n) => n.id)])]
  const changes = order.map((id) => describe(b.get(id) ?? null, t.get(id) ?? null, o.get(id) ?? null))
  const conflicts = changes.filter((c) => c.conflict).map((c) => c.nodeId)

  function merged(resolutions: Readonly<Record<string, Resolution>> = {}): WorkflowGraph {
    const missing = conflicts.filter((id) => resolutions[id] !== 'template' && resolutions[id] !== 'workflow')
    if (missing.length > 0) {
      const fields = Object.fromEntries(missing.map((id) => [`resolutions.${id}`, `"${o.get(id)?.name ?? t.get(id)?.name}" changed in both: choose "template" or "workflow"`]))
      throw new ValidationError(`resolutions: ${missing.length} conflict(s) need a choice (${missing.join(', ')})`, fields, { conflicts: missing })
    }
    const nodes: GraphNode[] = []
    for (const c of changes) {
      const pick = resolutions[c.nodeId]
      const node = nodeAfter(c, pick)
      if (node) nodes.push(node)
    }
    const present = new Set(nodes.map((n) => n.id))
    const baseEdges = new Set(base.edges.map(edgeKey))
    const theirEdges = new Set(theirs.edges.map(edgeKey))
    const edges = new Map<string, GraphEdge>()
    for (const e of ours.edges) if (!baseEdges.has(edgeKey(e)) || theirEdges.has(edgeKey(e))) edges.set(edgeKey(e), e)
    for (const e of theirs.edges) if (!baseEdges.has(edgeKey(e)) && !edges.has(edgeKey(e))) edges.set(edgeKey(e), e)
    return { nodes, edges: [...edges.values()].filter((e) => present.has(e.source) && present.has(e.target)), notes: ours.notes }
  }

  return { changes, conflicts, merged }
}

function nodeAfter(c: NodeChange, pick: Resolution | undefined): GraphNode | null {
  const { base, theirs, ours } = c
  switch (c.kind) {
    case 'added-by-workflow':
      return ours
    case 'added-by-template':
      return ours && c.conflict && pick === 'workflow' ? ours : theirs
    case 'removed-by-template':
      return c.conflict && pick === 'workflow' ? ours : null
    case 'removed-by-workflow':
      return c.conflict && pick === 'template' ? theirs : null
    default:
      return mergeNode(base!, theirs!, ours!, pick)
  }
}
