// The built-in gallery is well formed: every template parses, its graph (parameters at their defaults and at each
// case's values, credential slots filled) validates against the real registry with params checked, the parameters
// it uses are the ones it declares, its credential slots are declared with kinds its nodes accept, it reads left to
// right, and the gallery covers every integration the studio has. Their cases run on a worker in
// tests/integration/builtin-templates.test.ts.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { WorkflowGraph } from '@/lib/engine/graph-schema'
import { validateGraph } from '@/lib/engine/validate'
import { nodeRegistry } from '@/lib/nodes/registry'
import { credentialRefOf } from '@/lib/services/workflow-file'
import { builtinTemplates } from '@/lib/templates/builtin'
import { checkParamValues, paramUses, resolveTemplateParams } from '@/lib/templates/params'
import { checkTemplateContent } from '@/lib/templates/publish'
import { TEMPLATE_CATEGORIES, templateContentSchema, type TemplateContent } from '@/lib/templates/types'

const latest = builtinTemplates.map((t) => ({ slug: t.slug, content: templateContentSchema.parse(t.versions[t.versions.length - 1].content) }))

/** The graph as a workflow made from the template would hold it: values in place, each slot holding a credential id. */
function instantiate(content: TemplateContent, params: Record<string, unknown>): WorkflowGraph {
  const graph = resolveTemplateParams(content.graph, checkParamValues(content.parameters, params))
  return {
    ...graph,
    nodes: graph.nodes.map((n) => ({ ...n, params: Object.fromEntries(Object.entries(n.params).map(([k, v]) => [k, credentialRefOf(v) ? `cred_${credentialRefOf(v)}` : v])) })),
  }
}

describe('the built-in gallery', () => {
  it('has at least 16 templates with distinct slugs and names', () => {
    expect(builtinTemplates.length).toBeGreaterThanOrEqual(16)
    expect(new Set(builtinTemplates.map((t) => t.slug)).size).toBe(builtinTemplates.length)
    expect(new Set(latest.map((t) => t.content.name)).size).toBe(builtinTemplates.length)
  })

  it('are all listed in docs/templates-builtin.md', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/templates-builtin.md'), 'utf8')
    expect(builtinTemplates.map((t) => t.slug).filter((slug) => !doc.includes(`\`builtin:${slug}\``))).toEqual([])
  })

  it('covers every integration and the data transforms', () => {
    const used = new Set(latest.flatMap((t) => t.content.graph.nodes.map((n) => n.type)))
    const wanted = [
      'webhook-trigger', 'respond-to-webhook', 'schedule-trigger', 'http-request',
      'llm-chat', 'classify', 'extract', 'agent',
      'event-trigger', 'publish-event', 'error-trigger', 'execute-workflow-trigger',
      'rabbitmq-trigger', 'mqtt-trigger', 'mqtt', 'nats',
      'postgres', 'mysql', 'redis', 'send-email',
      'set', 'if', 'switch', 'filter', 'code', 'merge', 'aggregate', 'summarize', 'sort', 'remove-duplicates', 'loop-over-items',
      'split-out', 'limit', 'xml', 'html', 'date-time', 'crypto',
      'vector-ingest', 'rag-answer',
    ]
    expect(wanted.filter((type) => !used.has(type))).toEqual([])
  })
})

describe.each(latest)('$slug', ({ slug, content }) => {
  const template = builtinTemplates.find((t) => t.slug === slug)!

  it('has a kebab-case slug, a description, a known category, tags, numbered versions and test cases', () => {
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    expect(content.description.length).toBeGreaterThan(40)
    expect(TEMPLATE_CATEGORIES).toContain(content.category)
    expect(content.tags.length).toBeGreaterThan(0)
    expect(template.versions.map((v) => v.number)).toEqual(template.versions.map((_, i) => i + 1))
    expect(content.testCases.length).toBeGreaterThan(0)
  })

  it('validates against the registry with its defaults and with every case\'s parameters', () => {
    for (const params of [{}, ...content.testCases.map((c) => c.params)]) {
      const result = validateGraph(instantiate(content, params), nodeRegistry)
      expect(result.problems).toEqual([])
    }
  })

  it('passes the checks a published workspace template passes', () => {
    const versions = builtinTemplates.find((t) => t.slug === slug)!.versions
    for (const v of versions) expect(() => checkTemplateContent(v.content), `version ${v.number}`).not.toThrow()
  })

  it('uses exactly the parameters it declares', () => {
    const { uses, unsupported } = paramUses(content.graph)
    expect(unsupported).toEqual([])
    expect([...new Set(uses.map((u) => u.name))].sort()).toEqual(content.parameters.map((p) => p.name).sort())
  })

  it('declares each credential slot it uses, with kinds the node accepts, and uses each it declares', () => {
    const used = new Map<string, string[]>()
    for (const n of content.graph.nodes) {
      const accepted = nodeRegistry.get(n.type)?.credential
      for (const [param, value] of Object.entries(n.params)) {
        const ref = credentialRefOf(value)
        if (!ref) continue
        expect(param, `${n.name}: a slot sits in the node's credential param`).toBe(accepted?.param)
        used.set(ref, [...(used.get(ref) ?? []), ...accepted!.kinds])
      }
    }
    expect([...used.keys()].sort()).toEqual(content.credentials.map((c) => c.ref).sort())
    for (const slot of content.credentials) {
      expect(slot.kinds.filter((k) => !used.get(slot.ref)!.includes(k)), `${slot.ref}: kinds no node of it accepts`).toEqual([])
    }
  })

  it('reads left to right: the trigger first, every edge going right', () => {
    const byId = new Map(content.graph.nodes.map((n) => [n.id, n]))
    const trigger = content.graph.nodes.find((n) => nodeRegistry.get(n.type)?.trigger)!
    expect(Math.min(...content.graph.nodes.map((n) => n.position.x))).toBe(trigger.position.x)
    const loops = new Set(content.graph.nodes.filter((n) => nodeRegistry.get(n.type)?.loop).map((n) => n.id))
    for (const e of content.graph.edges) {
      if (loops.has(e.target)) continue // a loop's back edge
      expect(byId.get(e.target)!.position.x, `${e.source} → ${e.target}`).toBeGreaterThan(byId.get(e.source)!.position.x)
    }
  })
})
