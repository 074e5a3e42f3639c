// The template file: written from a version's content, read back equal; every malformed file refused naming the field.
import { describe, expect, it } from 'vitest'
import { AppError } from '@/lib/errors'
import { MAX_WORKFLOW_FILE_BYTES } from '@/lib/services/workflow-file'
import { builtinSummaries, builtinTemplate, facetsOf, filterTemplates } from '@/lib/templates/catalog'
import { parseTemplateFile, templateFile, templateFileName } from '@/lib/templates/file'
import { templateContentSchema, type BuiltinTemplate, type TemplateContentInput } from '@/lib/templates/types'

const contentInput = (over: Partial<TemplateContentInput> = {}): TemplateContentInput => ({
  name: 'Greeter',
  description: 'Says hello',
  category: 'productivity',
  tags: ['hello'],
  graph: {
    nodes: [
      { id: 't', type: 'manual-trigger', name: 'Start', params: {} },
      { id: 's', type: 'set', name: 'Set', params: { fields: [{ name: 'greeting', value: '{{ $param.greeting }}', type: 'auto' }], keepOtherFields: true } },
    ],
    edges: [{ source: 't', target: 's' }],
  },
  parameters: [{ name: 'greeting', type: 'string', default: 'Hello' }],
  ...over,
})
const content = () => templateContentSchema.parse(contentInput())
const fileOf = () => JSON.parse(JSON.stringify(templateFile(content(), { version: 3, changelog: 'Third' })))

function failure(input: unknown): { status: number; fields: Record<string, string> } | null {
  try {
    parseTemplateFile(input)
    return null
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return { status: err.status, fields: err.fields ?? {} }
  }
}

describe('template files', () => {
  it('round-trips a version: the same content, as an object or as its text', () => {
    const file = templateFile(content(), { version: 3, changelog: 'Third' })
    expect(file).toMatchObject({ format: 'auterity.template', formatVersion: 1, version: 3, changelog: 'Third' })
    // As stored: a node's absent settings read back with their defaults written out (the same run either way).
    const stored = templateContentSchema.parse(content())
    for (const input of [JSON.stringify(file), JSON.parse(JSON.stringify(file))]) {
      const read = parseTemplateFile(input)
      expect(read.template).toEqual(stored)
      expect(read.nodeTypes).toEqual(['manual-trigger', 'set'])
    }
  })

  it('names the download after the template', () => {
    expect(templateFileName('Sync <new> leads!')).toBe('sync-new-leads.template.auterity.json')
  })

  it('cleans control characters out of the name and keeps markup as text', () => {
    const file = fileOf()
    file.template.name = '<b>Greeter</b>\u0007\u202e'
    expect(parseTemplateFile(file).template.name).toBe('<b>Greeter</b>')
  })

  it.each([
    ['malformed JSON', '{"format": ', 'file'],
    ['an empty file', '   ', 'file'],
    ['not an object', '[1, 2]', 'file'],
    ['another format', { ...fileOf(), format: 'auterity.workflow' }, 'format'],
    ['a missing format version', { ...fileOf(), formatVersion: undefined }, 'formatVersion'],
    ['a newer format version', { ...fileOf(), formatVersion: 2 }, 'formatVersion'],
    ['a missing template', { ...fileOf(), template: undefined }, 'template'],
    ['a node without a type', (() => { const f = fileOf(); delete f.template.graph.nodes[1].type; return f })(), 'template.graph.nodes.1.type'],
    ['a prototype key', '{"format":"auterity.template","formatVersion":1,"template":{"graph":{"constructor":{}}}}', 'file.template.graph.constructor'],
    ['a name of control characters only', (() => { const f = fileOf(); f.template.name = '\u0000\u0007'; return f })(), 'template.name'],
    ['an undeclared $param', (() => { const f = fileOf(); f.template.parameters = []; return f })(), 'template.graph.nodes.s.params.fields.0.value'],
    ['a concrete credential', (() => {
      const f = fileOf()
      f.template.graph.nodes.push({ id: 'm', type: 'send-email', name: 'Mail', params: { credential: 'cred_1', to: 'a@example.com' }, settings: {}, position: { x: 0, y: 0 } })
      f.template.graph.edges.push({ source: 's', target: 'm', sourcePort: 'main', targetPort: 'main' })
      return f
    })(), 'template.graph.nodes.m.params.credential'],
  ])('refuses %s, naming the field', (_, input, field) => {
    const found = failure(input)
    expect(found?.status).toBe(400)
    expect(Object.keys(found!.fields)[0]).toBe(field)
  })

  it('refuses a file over the size limit with a 413', () => {
    expect(failure(`"${'x'.repeat(MAX_WORKFLOW_FILE_BYTES)}"`)?.status).toBe(413)
  })

  it('refuses more nodes than a graph may hold, saying so', () => {
    const f = fileOf()
    f.template.graph.nodes = Array.from({ length: 20_001 }, (_, i) => ({ id: `n${i}`, type: 'set', name: `N${i}` }))
    expect(failure(f)?.fields).toEqual({ 'template.graph.nodes': 'more than 20000 nodes' })
  })
})

describe('catalog', () => {
  const builtins: BuiltinTemplate[] = [
    { slug: 'greeter', versions: [{ number: 1, changelog: 'First', content: contentInput() }, { number: 2, changelog: 'Second', content: contentInput({ description: 'Says hello, twice', tags: ['Hello', 'twice'] }) }] },
    { slug: 'waiter', versions: [{ number: 1, changelog: '', content: contentInput({ name: 'Waiter', category: 'other', tags: [], description: 'Waits', graph: { nodes: [{ id: 't', type: 'manual-trigger', name: 'Start' }, { id: 'w', type: 'wait', name: 'Wait', params: { amount: 1, unit: 'ms' } }], edges: [] }, parameters: [] }) }] },
  ]

  it('finds a built-in by id, its newest version current', () => {
    const found = builtinTemplate('builtin:greeter', builtins)!
    expect(found.meta).toMatchObject({ id: 'builtin:greeter', source: 'builtin', currentVersion: 2, latestVersion: 2, description: 'Says hello, twice' })
    expect(found.versions.map((v) => v.number)).toEqual([1, 2])
    expect(builtinTemplate('builtin:nope', builtins)).toBeNull()
    expect(builtinTemplate('greeter', builtins)).toBeNull()
  })

  it('summarizes with a preview, and filters by text, category, node type and source', () => {
    const list = builtinSummaries(builtins)
    expect(list[0]).toMatchObject({ nodeTypes: ['manual-trigger', 'set'], parameterCount: 1, credentialKinds: [] })
    expect(list[0].preview).toEqual({ nodes: [{ id: 't', type: 'manual-trigger', name: 'Start', position: { x: 0, y: 0 } }, { id: 's', type: 'set', name: 'Set', position: { x: 0, y: 0 } }], edges: [{ source: 't', target: 's' }] })
    const ids = (f: Parameters<typeof filterTemplates>[1]) => filterTemplates(list, f).map((t) => t.id)
    expect(ids({ q: 'TWICE' })).toEqual(['builtin:greeter'])
    expect(ids({ q: 'hello' })).toEqual(['builtin:greeter'])
    expect(ids({ q: 'waits' })).toEqual(['builtin:waiter'])
    expect(ids({ category: 'other' })).toEqual(['builtin:waiter'])
    expect(ids({ nodeType: 'set' })).toEqual(['builtin:greeter'])
    expect(ids({ source: 'workspace' })).toEqual([])
    expect(facetsOf(list)).toEqual({
      categories: [{ name: 'other', count: 1 }, { name: 'productivity', count: 1 }],
      nodeTypes: [
        { type: 'manual-trigger', label: expect.any(String), count: 2 },
        { type: 'set', label: expect.any(String), count: 1 },
        { type: 'wait', label: expect.any(String), count: 1 },
      ],
    })
  })
})
