// The gallery's catalogue: built-in templates (code, lib/templates/builtin/) and workspace templates (rows) seen
// the same way — a summary per template with its canvas preview, search and filters, and the facets the gallery
// offers (categories, node types with their labels). Pure: the service hands workspace rows in.
import type { WorkflowGraph } from '../engine/graph-schema'
import { nodeRegistry } from '../nodes/registry'
import { builtinTemplates } from './builtin'
import { BUILTIN_PREFIX, templateContentSchema, type BuiltinTemplate, type TemplateContent } from './types'

export type TemplateSource = 'builtin' | 'workspace'

export interface TemplateMeta {
  id: string
  source: TemplateSource
  name: string
  description: string
  category: string
  tags: string[]
  currentVersion: number
  latestVersion: number
}

/** The canvas as the gallery draws it: enough to lay nodes and edges out, nothing of their params. */
export interface TemplatePreview {
  nodes: Array<{ id: string; type: string; name: string; position: { x: number; y: number } }>
  edges: Array<{ source: string; target: string }>
}

export interface TemplateSummary extends TemplateMeta {
  nodeTypes: string[]
  parameterCount: number
  credentialKinds: string[]
  preview: TemplatePreview
}

export interface CatalogVersion {
  number: number
  changelog: string
  createdAt: Date | null
  content: TemplateContent
  nodeTypes: string[]
}

export function nodeTypesOf(graph: Pick<WorkflowGraph, 'nodes'>): string[] {
  return [...new Set(graph.nodes.map((n) => n.type))].sort()
}

export function previewOf(graph: WorkflowGraph): TemplatePreview {
  return {
    nodes: graph.nodes.map((n) => ({ id: n.id, type: n.type, name: n.name, position: n.position })),
    edges: graph.edges.map((e) => ({ source: e.source, target: e.target })),
  }
}

export function summarize(meta: TemplateMeta, content: Pick<TemplateContent, 'graph' | 'parameters' | 'credentials'>): TemplateSummary {
  return {
    ...meta,
    nodeTypes: nodeTypesOf(content.graph),
    parameterCount: content.parameters.length,
    credentialKinds: [...new Set(content.credentials.flatMap((c) => c.kinds))].sort(),
    preview: previewOf(content.graph),
  }
}

const parsedBuiltins = new Map<string, { meta: TemplateMeta; versions: CatalogVersion[] }>()

function parseBuiltin(b: BuiltinTemplate) {
  const versions = [...b.versions]
    .sort((x, y) => x.number - y.number)
    .map((v): CatalogVersion => {
      const content = templateContentSchema.parse(v.content)
      return { number: v.number, changelog: v.changelog, createdAt: null, content, nodeTypes: nodeTypesOf(content.graph) }
    })
  const current = versions[versions.length - 1]
  const meta: TemplateMeta = {
    id: `${BUILTIN_PREFIX}${b.slug}`,
    source: 'builtin',
    name: current.content.name,
    description: current.content.description,
    category: current.content.category,
    tags: current.content.tags,
    currentVersion: current.number,
    latestVersion: current.number,
  }
  return { meta, versions }
}

/** A built-in by id (`builtin:<slug>`), its versions oldest first; the newest is the current one. */
export function builtinTemplate(id: string, from: readonly BuiltinTemplate[] = builtinTemplates): { meta: TemplateMeta; versions: CatalogVersion[] } | null {
  if (!id.startsWith(BUILTIN_PREFIX)) return null
  const cached = from === builtinTemplates ? parsedBuiltins.get(id) : undefined
  if (cached) return cached
  const found = from.find((b) => `${BUILTIN_PREFIX}${b.slug}` === id)
  if (!found) return null
  const parsed = parseBuiltin(found)
  if (from === builtinTemplates) parsedBuiltins.set(id, parsed)
  return parsed
}

export function builtinSummaries(from: readonly BuiltinTemplate[] = builtinTemplates): TemplateSummary[] {
  return from.map((b) => {
    const { meta, versions } = builtinTemplate(`${BUILTIN_PREFIX}${b.slug}`, from)!
    return summarize(meta, versions[versions.length - 1].content)
  })
}

export interface CatalogFilter {
  q?: string
  category?: string
  nodeType?: string
  source?: TemplateSource
}

/** `q` matches name, description or a tag, case-insensitively; the other filters are exact. */
export function filterTemplates(list: readonly TemplateSummary[], f: CatalogFilter): TemplateSummary[] {
  const q = f.q?.trim().toLowerCase()
  return list.filter((t) =>
    (!q || t.name.toLowerCase().includes(q) || t.description.toLowerCase().includes(q) || t.tags.some((tag) => tag.toLowerCase().includes(q))) &&
    (!f.category || t.category === f.category) &&
    (!f.nodeType || t.nodeTypes.includes(f.nodeType)) &&
    (!f.source || t.source === f.source),
  )
}

/** What the filters can offer, counted over `list`: categories and node types (with the registry's label), by name. */
export function facetsOf(list: readonly TemplateSummary[]) {
  const count = (values: string[]) => {
    const counts = new Map<string, number>()
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
    return [...counts].sort(([a], [b]) => a.localeCompare(b))
  }
  return {
    categories: count(list.map((t) => t.category)).map(([name, n]) => ({ name, count: n })),
    nodeTypes: count(list.flatMap((t) => t.nodeTypes)).map(([type, n]) => ({ type, label: nodeRegistry.get(type)?.label ?? type, count: n })),
  }
}
