// Graph validation: reports every problem at once, each with a path the canvas can point at.
// Linear in nodes + edges (maps, iterative Tarjan), so a 10,000-node graph validates in milliseconds.
import type { z } from 'zod'
import { graphEdgeSchema, graphNodeSchema, stickyNoteSchema, type GraphEdge, type GraphNode, type WorkflowGraph } from './graph-schema'
import { backEdgeSet, findLoops, reachableFrom } from './loops'
import { inputPortNames, outputPortNames } from './ports'
import { describeIssue, fieldLabel, httpUrlProblem, isUrlField, schemaAt } from './param-words'
import { lookupDefinition } from './registry'
import type { NodeDefinition, NodeRegistry } from './types'

export type GraphProblemCode =
  | 'INVALID_SHAPE'
  | 'UNKNOWN_NODE_TYPE'
  | 'UNKNOWN_TYPE_VERSION'
  | 'DUPLICATE_NODE_ID'
  | 'DUPLICATE_NODE_NAME'
  | 'EDGE_UNKNOWN_SOURCE'
  | 'EDGE_UNKNOWN_TARGET'
  | 'EDGE_UNKNOWN_SOURCE_PORT'
  | 'EDGE_UNKNOWN_TARGET_PORT'
  | 'DUPLICATE_EDGE'
  | 'CYCLE'
  | 'LOOP_NESTED'
  | 'LOOP_INPUT_AFTER_LOOP'
  | 'NO_TRIGGER'
  | 'INVALID_PARAM'

export interface GraphProblem {
  /** Dotted path into the graph: nodes are addressed by id ("nodes.n3.params.url"), edges by index ("edges.2.target"). */
  path: string
  nodeId?: string
  field?: string
  code: GraphProblemCode
  message: string
}

export interface ValidationResult {
  ok: boolean
  graph?: WorkflowGraph
  problems: GraphProblem[]
}

export interface ValidateOptions {
  /** Check node params against their schemas (default true). The engine skips it: it validates params per step. */
  params?: boolean
  /** The input is an already parsed WorkflowGraph (defaults applied): skip the per-entry zod parse. */
  parsed?: boolean
}

const MAX_NODES = 20_000
const MAX_EDGES = 100_000

export function validateGraph(input: unknown, registry: NodeRegistry, options: ValidateOptions = {}): ValidationResult {
  const problems: GraphProblem[] = []
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: [{ path: '', code: 'INVALID_SHAPE', message: 'A workflow graph must be an object with nodes and edges' }] }
  }
  const raw = input as Record<string, unknown>
  const trusted = options.parsed === true && Array.isArray(raw.nodes) && Array.isArray(raw.edges)
  const nodes = trusted ? (raw.nodes as GraphNode[]) : parseList(raw.nodes, 'nodes', graphNodeSchema, MAX_NODES, problems, true)
  const edges = trusted ? (raw.edges as GraphEdge[]) : parseList(raw.edges ?? [], 'edges', graphEdgeSchema, MAX_EDGES, problems, false)
  const notes = trusted ? ((raw.notes ?? []) as WorkflowGraph['notes']) : parseList(raw.notes ?? [], 'notes', stickyNoteSchema, Infinity, problems, false)

  const byId = new Map<string, GraphNode>()
  const defs = new Map<string, NodeDefinition>()
  const names = new Map<string, string>()
  nodes.forEach((node, index) => {
    if (byId.has(node.id)) {
      problems.push({ path: `nodes.${index}.id`, nodeId: node.id, field: 'id', code: 'DUPLICATE_NODE_ID', message: `Node id "${node.id}" is used more than once` })
      return
    }
    byId.set(node.id, node)
    const other = names.get(node.name)
    if (other !== undefined) {
      problems.push({ path: `nodes.${node.id}.name`, nodeId: node.id, field: 'name', code: 'DUPLICATE_NODE_NAME', message: `Node name "${node.name}" is also used by node "${other}"` })
    } else names.set(node.name, node.id)
    const found = lookupDefinition(registry, node.type, node.typeVersion)
    if (!found.ok) {
      problems.push(
        found.reason === 'unknown-type'
          ? { path: `nodes.${node.id}.type`, nodeId: node.id, field: 'type', code: 'UNKNOWN_NODE_TYPE', message: `Node "${node.name}" has unknown type "${node.type}"` }
          : { path: `nodes.${node.id}.typeVersion`, nodeId: node.id, field: 'typeVersion', code: 'UNKNOWN_TYPE_VERSION', message: `Node "${node.name}" needs version ${node.typeVersion} of "${node.type}"; this server has version ${registry.get(node.type)?.version}` },
      )
      return
    }
    defs.set(node.id, found.def)
    if (options.params !== false) checkParams(node, found.def, problems)
  })

  if (nodes.length > 0 && ![...defs.values()].some((d) => d.trigger)) {
    problems.push({ path: 'nodes', code: 'NO_TRIGGER', message: 'The workflow has no trigger node: add one so it can start' })
  } else if (nodes.length === 0 && Array.isArray(raw.nodes)) {
    problems.push({ path: 'nodes', code: 'NO_TRIGGER', message: 'The workflow has no nodes: add a trigger node so it can start' })
  }

  checkEdges(edges, byId, defs, problems)
  const skip = checkLoops(byId, edges, defs, problems)
  checkCycles(byId, edges, skip, problems)

  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, graph: { nodes, edges, notes }, problems }
}

function parseList<S extends z.ZodType>(value: unknown, key: string, schema: S, max: number, problems: GraphProblem[], required: boolean): z.infer<S>[] {
  if (!Array.isArray(value)) {
    if (required || value !== undefined) problems.push({ path: key, code: 'INVALID_SHAPE', message: `${key} must be an array` })
    return []
  }
  if (value.length > max) problems.push({ path: key, code: 'INVALID_SHAPE', message: `${key} has ${value.length} entries; the limit is ${max}` })
  const out: z.infer<S>[] = []
  value.forEach((entry, index) => {
    const parsed = schema.safeParse(entry)
    if (parsed.success) {
      out.push(parsed.data)
      return
    }
    const id = key === 'nodes' && typeof (entry as { id?: unknown })?.id === 'string' ? (entry as { id: string }).id : undefined
    for (const issue of parsed.error.issues) {
      const rest = issue.path.map(String).join('.')
      problems.push({
        path: [key, id ?? String(index), rest].filter(Boolean).join('.'),
        ...(id !== undefined && { nodeId: id }),
        ...(rest && { field: rest }),
        code: 'INVALID_SHAPE',
        message: `${key}.${id ?? index}${rest ? `.${rest}` : ''}: ${describeIssue(issue, fieldLabel(schema, issue.path), valueAt(entry, issue.path), schemaAt(schema, issue.path))}`,
      })
    }
  })
  return out
}

/** String values containing `{{` are expressions: their type is only known at run time. */
function isExpressionAt(params: unknown, path: PropertyKey[]): boolean {
  let cur: unknown = params
  for (const key of path) {
    if (typeof cur === 'string') return cur.includes('{{')
    if (cur === null || typeof cur !== 'object') return false
    cur = (cur as Record<PropertyKey, unknown>)[key]
  }
  return typeof cur === 'string' && cur.includes('{{')
}

function valueAt(params: unknown, path: PropertyKey[]): unknown {
  let cur = params
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<PropertyKey, unknown>)[key]
  }
  return cur
}

/** Top-level params that hold a URL (lib/engine/param-words isUrlField), per node type. */
const urlParams = new WeakMap<NodeDefinition, string[]>()
function urlParamsOf(def: NodeDefinition): string[] {
  let keys = urlParams.get(def)
  if (!keys) {
    const shape = (def.params as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {}
    keys = Object.keys(shape).filter((k) => isUrlField(shape[k]))
    urlParams.set(def, keys)
  }
  return keys
}

function checkParams(node: GraphNode, def: NodeDefinition, problems: GraphProblem[]): void {
  const parsed = def.params.safeParse(node.params)
  const add = (field: string, message: string) =>
    problems.push({ path: `nodes.${node.id}.params${field ? `.${field}` : ''}`, nodeId: node.id, field: field || 'params', code: 'INVALID_PARAM', message: `${node.name}: ${message}` })
  const flagged = new Set<string>()
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (isExpressionAt(node.params, issue.path)) continue
      const field = issue.path.map(String).join('.')
      flagged.add(field)
      add(field, describeIssue(issue, fieldLabel(def.params, issue.path), valueAt(node.params, issue.path), schemaAt(def.params, issue.path)))
    }
  }
  // A fixed URL is checked now; one with an expression only once it is evaluated, at run time.
  for (const key of urlParamsOf(def)) {
    const value = (node.params as Record<string, unknown>)[key]
    if (typeof value !== 'string' || value.trim() === '' || value.includes('{{') || flagged.has(key)) continue
    const problem = httpUrlProblem(value, fieldLabel(def.params, [key]))
    if (problem) add(key, problem)
  }
}

function checkEdges(edges: GraphEdge[], byId: Map<string, GraphNode>, defs: Map<string, NodeDefinition>, problems: GraphProblem[]): void {
  const seen = new Set<string>()
  const outCache = new Map<string, Set<string> | null>()
  edges.forEach((edge, i) => {
    const source = byId.get(edge.source)
    const target = byId.get(edge.target)
    if (!source) problems.push({ path: `edges.${i}.source`, field: 'source', code: 'EDGE_UNKNOWN_SOURCE', message: `Edge ${i} starts at node "${edge.source}", which does not exist` })
    if (!target) problems.push({ path: `edges.${i}.target`, field: 'target', code: 'EDGE_UNKNOWN_TARGET', message: `Edge ${i} ends at node "${edge.target}", which does not exist` })
    const sourceDef = source && defs.get(source.id)
    if (source && sourceDef) {
      let ports = outCache.get(source.id)
      if (ports === undefined) {
        // Parsed params (defaults applied) only matter to outputs derived from them.
        const params = typeof sourceDef.outputs === 'function' ? (sourceDef.params.safeParse(source.params).data ?? source.params) : source.params
        const names = outputPortNames(sourceDef, params, source.settings)
        ports = names && new Set(names)
        outCache.set(source.id, ports)
      }
      if (ports && !ports.has(edge.sourcePort)) {
        problems.push({ path: `edges.${i}.sourcePort`, nodeId: source.id, field: 'sourcePort', code: 'EDGE_UNKNOWN_SOURCE_PORT', message: `Node "${source.name}" has no output "${edge.sourcePort}" (it has: ${[...ports].join(', ') || 'none'})` })
      }
    }
    const targetDef = target && defs.get(target.id)
    if (target && targetDef) {
      const ports = inputPortNames(targetDef)
      if (!ports.includes(edge.targetPort)) {
        problems.push({ path: `edges.${i}.targetPort`, nodeId: target.id, field: 'targetPort', code: 'EDGE_UNKNOWN_TARGET_PORT', message: `Node "${target.name}" has no input "${edge.targetPort}" (it has: ${ports.join(', ') || 'none'})` })
      }
    }
    const key = `${edge.source}\0${edge.sourcePort}\0${edge.target}\0${edge.targetPort}`
    if (seen.has(key)) problems.push({ path: `edges.${i}`, code: 'DUPLICATE_EDGE', message: `Edge ${i} repeats an earlier edge from "${edge.source}" to "${edge.target}"` })
    seen.add(key)
  })
}

/**
 * Loop nodes (docs/engine.md, "Loops"): returns their back edges, which the cycle check leaves out. Refused: a loop
 * node inside another loop's body, a node in two loops' bodies, and a body node fed by a node that only runs after the
 * loop (it would wait forever).
 */
function checkLoops(byId: Map<string, GraphNode>, edges: GraphEdge[], defs: Map<string, NodeDefinition>, problems: GraphProblem[]): Set<GraphEdge> {
  const loops = findLoops(defs, edges)
  const back = backEdgeSet(loops)
  const name = (id: string) => `"${byId.get(id)!.name}"`
  const owner = new Map<string, string>()
  for (const loop of loops.values()) {
    for (const id of loop.body) {
      const other = owner.get(id)
      owner.set(id, loop.nodeId)
      if (loops.has(id)) {
        problems.push({ path: `nodes.${id}`, nodeId: id, code: 'LOOP_NESTED', message: `${name(id)} is inside the loop of ${name(loop.nodeId)}: a loop inside another loop's body is not supported` })
      } else if (other !== undefined && !loops.get(other)!.body.has(loop.nodeId) && !loop.body.has(other)) {
        problems.push({ path: `nodes.${id}`, nodeId: id, code: 'LOOP_NESTED', message: `${name(id)} is in the loops of both ${name(other)} and ${name(loop.nodeId)}: a node can only be in one loop's body` })
      }
    }
    if (loop.externalEdges.length === 0) continue
    const after = reachableFrom(loop.nodeId, edges, back)
    for (const e of loop.externalEdges) {
      if (e.source !== loop.nodeId && (!after.has(e.source) || loop.body.has(e.source))) continue
      problems.push({
        path: `edges.${edges.indexOf(e)}`,
        nodeId: e.target,
        code: 'LOOP_INPUT_AFTER_LOOP',
        message: `${name(e.target)} runs in each iteration of the loop of ${name(loop.nodeId)}, so it cannot take input from ${name(e.source)}, which only runs after the loop`,
      })
    }
  }
  return back
}

/** Iterative Tarjan: every strongly connected component with more than one node (or a self-loop) is a cycle. Loops'
 * back edges (`skip`) are left out: they are the one way to close a cycle. */
function checkCycles(byId: Map<string, GraphNode>, edges: GraphEdge[], skip: ReadonlySet<GraphEdge>, problems: GraphProblem[]): void {
  const adj = new Map<string, string[]>()
  const selfLoops = new Set<string>()
  for (const e of edges) {
    if (!byId.has(e.source) || !byId.has(e.target) || skip.has(e)) continue
    if (e.source === e.target) selfLoops.add(e.source)
    let list = adj.get(e.source)
    if (!list) adj.set(e.source, (list = []))
    list.push(e.target)
  }
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  let counter = 0
  for (const start of byId.keys()) {
    if (index.has(start)) continue
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }]
    index.set(start, counter)
    low.set(start, counter++)
    stack.push(start)
    onStack.add(start)
    while (work.length > 0) {
      const frame = work[work.length - 1]
      const succ = adj.get(frame.node) ?? []
      if (frame.next < succ.length) {
        const w = succ[frame.next++]
        if (!index.has(w)) {
          index.set(w, counter)
          low.set(w, counter++)
          stack.push(w)
          onStack.add(w)
          work.push({ node: w, next: 0 })
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!))
        }
        continue
      }
      work.pop()
      if (work.length > 0) {
        const parent = work[work.length - 1].node
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!))
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = []
        let w: string
        do {
          w = stack.pop()!
          onStack.delete(w)
          component.push(w)
        } while (w !== frame.node)
        if (component.length > 1 || selfLoops.has(component[0])) {
          component.reverse()
          const named = component.map((id) => `"${byId.get(id)!.name}"`).join(' → ')
          problems.push({
            path: `nodes.${component[0]}`,
            nodeId: component[0],
            code: 'CYCLE',
            message: `These nodes form a cycle: ${named}. Only a loop may go round: an edge from the nodes after a Loop Over Items node's loop output back into that node`,
          })
        }
      }
    }
  }
}
