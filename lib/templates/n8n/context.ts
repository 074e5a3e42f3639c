// What a node mapper works with: the n8n node's parameters, read through paths that are remembered, so every
// parameter no mapper read can be reported as not mapped (n8n exports only parameters that differ from defaults).
import { convertN8nString, type NameLookup } from './expressions'
import type { MappedNode, NodeImportEntry, UnmappedEntry } from './types'

export interface N8nNode {
  name: string
  type: string
  typeVersion: number
  parameters: Record<string, unknown>
  position?: unknown
  [key: string]: unknown
}

export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** JSON text of a value for the report, cut to 500 characters. */
export function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  return text.length > 500 ? `${text.slice(0, 500)}…` : text
}

export class NodeContext {
  private readonly read = new Set<string>()

  constructor(
    readonly node: N8nNode,
    private readonly names: NameLookup,
    readonly entry: NodeImportEntry,
    /** The workflow's settings (time zone…). */
    readonly workflowSettings: Record<string, unknown>,
    /** AI sub-nodes connected to this node, by connection type (`ai_languageModel`, `ai_tool`, `ai_memory`…). */
    readonly aiInputs: ReadonlyMap<string, N8nNode[]> = new Map(),
  ) {}

  /** Names of the AI sub-nodes this node's mapping took in (they become part of it, not nodes of their own). */
  readonly folded = new Set<string>()

  get version(): number {
    return this.node.typeVersion
  }

  /** The raw parameter at a dotted path (array indexes as numbers), marked as read. */
  raw(path: string): unknown {
    this.read.add(path)
    let cur: unknown = this.node.parameters
    for (const key of path.split('.')) {
      if (Array.isArray(cur) && /^\d+$/.test(key)) cur = cur[Number(key)]
      else if (isRecord(cur) && Object.hasOwn(cur, key)) cur = cur[key]
      else return undefined
    }
    return cur
  }

  has(path: string): boolean {
    return this.peek(path) !== undefined
  }

  /** Reads without marking (to decide which version's shape a node has). */
  peek(path: string): unknown {
    const before = this.read.has(path)
    const v = this.raw(path)
    if (!before) this.read.delete(path)
    return v
  }

  /** The parameter with its expressions converted (deep), or `fallback` when absent. */
  value(path: string, fallback?: unknown): unknown {
    const v = this.raw(path)
    return v === undefined ? fallback : this.convert(v, `parameters.${path}`)
  }

  /** A parameter that must be plain text (an n8n expression becomes ours). */
  text(path: string, fallback = ''): string {
    const v = this.value(path, fallback)
    return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback
  }

  /** A number param: a number, or an expression string our schema coerces when it runs. */
  num(path: string, fallback: number): number | string {
    const v = this.value(path, fallback)
    return typeof v === 'number' || (typeof v === 'string' && v.includes('{{')) ? v : fallback
  }

  /** Items of an array param (n8n fixed collections: `parameters.x.values`), each with its path. */
  list(path: string): { item: Record<string, unknown>; path: string }[] {
    const v = this.peek(path)
    if (!Array.isArray(v)) return []
    return v.flatMap((item, i) => (isRecord(item) ? [{ item, path: `${path}.${i}` }] : []))
  }

  /** Converts any value found in the parameters: strings' expressions, deep through arrays and objects. */
  convert(value: unknown, reportPath: string): unknown {
    if (typeof value === 'string') {
      const c = convertN8nString(value, this.names)
      for (const reason of c.problems) this.unmappedAt(reportPath, reason, value)
      for (const n of c.notes) this.note(`${reportPath}: ${n}`)
      return c.value
    }
    if (Array.isArray(value)) return value.map((v, i) => this.convert(v, `${reportPath}.${i}`))
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.convert(v, `${reportPath}.${k}`)]))
    return value
  }

  /** A parameter (path under `parameters`) that is not mapped, with why. */
  unmapped(path: string, reason: string, original?: unknown): void {
    this.read.add(path)
    const value = original === undefined ? this.peek(path) : original
    this.unmappedAt(`parameters.${path}`, reason, value)
  }

  unmappedAt(path: string, reason: string, original?: unknown): void {
    const entry: UnmappedEntry = { path, reason }
    if (original !== undefined) entry.original = preview(original)
    this.entry.unmapped.push(entry)
  }

  note(message: string): void {
    if (!this.entry.notes.includes(message)) this.entry.notes.push(message)
  }

  /** Reports every parameter leaf no mapper read. */
  reportUnread(): void {
    const visit = (value: unknown, path: string): void => {
      if (path && [...this.read].some((r) => path === r || path.startsWith(`${r}.`))) return
      if (Array.isArray(value)) return value.forEach((v, i) => visit(v, path ? `${path}.${i}` : String(i)))
      if (isRecord(value)) return Object.entries(value).forEach(([k, v]) => visit(v, path ? `${path}.${k}` : k))
      this.unmappedAt(`parameters.${path}`, 'not supported here', value)
    }
    visit(this.node.parameters, '')
  }
}

export type NodeMapper = (ctx: NodeContext) => MappedNode | null
