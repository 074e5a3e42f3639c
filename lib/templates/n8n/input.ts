// Checks an n8n workflow file before anything reads it: JSON text or a parsed value, plain JSON only (no
// `__proto__` / `constructor` / `prototype` keys anywhere, no class instances), bounded size and depth, and the
// shape the importer relies on. Every refusal is a ValidationError naming the field.
import { ValidationError } from '../../errors'
import { RESERVED_KEYS } from '../../engine/safe-keys'
import { isRecord, type N8nNode } from './context'

export const MAX_N8N_NODES = 10_000
/** JSON text accepted (routes cap request bodies before this). */
export const MAX_N8N_JSON_CHARS = 20_000_000
export const MAX_N8N_DEPTH = 64

export interface N8nWorkflow {
  nodes: N8nNode[]
  connections: Record<string, unknown>
  settings: Record<string, unknown>
  /** Names of the nodes n8n holds pinned (test) data for. */
  pinned: string[]
  /** The workflow's name (absent in what n8n's canvas copies). */
  name?: string
}

const refuse = (field: string, message: string): never => {
  throw new ValidationError(`${field}: ${message}`, { [field]: message })
}

/** Walks the whole value once (depth-bounded): only JSON values, only plain objects, no reserved keys. */
function checkPlainJson(value: unknown, path: string, depth: number): void {
  if (depth > MAX_N8N_DEPTH) refuse(path, `nested more than ${MAX_N8N_DEPTH} levels deep`)
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) refuse(path, 'not a JSON number')
    return
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkPlainJson(value[i], `${path}.${i}`, depth + 1)
    return
  }
  if (typeof value !== 'object') return refuse(path, `a ${typeof value} is not JSON`)
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) refuse(path, 'not a plain JSON object')
  for (const key of Object.keys(value)) {
    if (RESERVED_KEYS.has(key)) refuse(path ? `${path}.${key}` : key, `the key "${key}" is not allowed (${[...RESERVED_KEYS].join(', ')} are refused anywhere in the file)`)
    checkPlainJson((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1)
  }
}

function parseText(text: string): unknown {
  if (text.length > MAX_N8N_JSON_CHARS) refuse('file', `larger than ${MAX_N8N_JSON_CHARS.toLocaleString('en-US')} characters`)
  try {
    return JSON.parse(text)
  } catch (err) {
    return refuse('file', `not valid JSON (${err instanceof Error ? err.message : String(err)})`)
  }
}

function readNode(raw: unknown, i: number): N8nNode {
  const at = `nodes.${i}`
  if (!isRecord(raw)) return refuse(at, 'each node must be an object')
  if (typeof raw.name !== 'string' || raw.name.trim() === '') refuse(`${at}.name`, 'a node needs a name (text)')
  if ((raw.name as string).length > 1000) refuse(`${at}.name`, 'a node name may hold at most 1,000 characters')
  if (typeof raw.type !== 'string' || raw.type === '' || raw.type.length > 200) refuse(`${at}.type`, 'a node needs a type (text of at most 200 characters)')
  const version = raw.typeVersion ?? 1
  if (typeof version !== 'number' || version <= 0) refuse(`${at}.typeVersion`, 'must be a positive number')
  const parameters = raw.parameters ?? {}
  if (!isRecord(parameters)) refuse(`${at}.parameters`, 'must be an object')
  return { ...raw, name: raw.name as string, type: raw.type as string, typeVersion: version as number, parameters: parameters as Record<string, unknown> }
}

export function readN8nWorkflow(input: unknown): N8nWorkflow {
  const value = typeof input === 'string' ? parseText(input) : input
  if (!isRecord(value)) return refuse('workflow', 'an n8n workflow is a JSON object with "nodes" and "connections"')
  if (!Array.isArray(value.nodes)) refuse('nodes', 'missing: an n8n workflow lists its nodes in "nodes" (an array)')
  if (!isRecord(value.connections)) refuse('connections', 'missing: an n8n workflow has a "connections" object (it may be empty)')
  const rawNodes = value.nodes as unknown[]
  if (rawNodes.length > MAX_N8N_NODES) refuse('nodes', `${rawNodes.length.toLocaleString('en-US')} nodes; at most ${MAX_N8N_NODES.toLocaleString('en-US')} can be imported`)
  checkPlainJson(value, '', 0)
  const nodes = rawNodes.map(readNode)
  const seen = new Set<string>()
  nodes.forEach((n, i) => {
    if (seen.has(n.name)) refuse(`nodes.${i}.name`, `two nodes are named "${n.name}" (connections refer to nodes by name)`)
    seen.add(n.name)
  })
  const settings = isRecord(value.settings) ? value.settings : {}
  const pinned = isRecord(value.pinData) ? Object.keys(value.pinData) : []
  const name = typeof value.name === 'string' && value.name.trim() ? value.name : undefined
  return { nodes, connections: value.connections as Record<string, unknown>, settings, pinned, name }
}

const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g

/**
 * A node name without control or invisible characters and markup, which our expressions can quote: no backslash,
 * backtick or double brace (it would end the {{ … }} around it), and not both kinds of quote. At most 200 characters.
 */
export function cleanNodeName(raw: string): string {
  let name = raw
    .replace(/<[^>]*>/g, ' ')
    .replace(INVISIBLE, ' ')
    .replace(/[<>\\`]|\{\{|\}\}/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  if (name.includes('"') && name.includes("'")) name = name.replaceAll('"', "'")
  return name.slice(0, 200).trim()
}

/** Our name per n8n name: cleaned, and made unique again when cleaning made two alike. */
export function assignNames(nodes: N8nNode[]): Map<string, string> {
  const names = new Map<string, string>()
  const taken = new Set<string>()
  nodes.forEach((n, i) => {
    const base = cleanNodeName(n.name) || `${n.type.split('.').pop() ?? 'Node'} ${i + 1}`
    let name = base
    for (let k = 2; taken.has(name); k++) name = `${base.slice(0, 190)} (${k})`
    taken.add(name)
    names.set(n.name, name)
  })
  return names
}
