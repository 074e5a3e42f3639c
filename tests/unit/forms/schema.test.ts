import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defaultParams, describeParams, humanize, isVisible, type JsonSchema } from '@/lib/forms/schema'

const json = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema

const http = z.object({
  method: z.enum(['GET', 'POST', 'PUT']).default('GET').describe('HTTP method'),
  url: z.string().url().describe('Address'),
  timeoutMs: z.number().int().min(0).max(60000).default(10000),
  followRedirects: z.boolean().default(true),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).default([]).meta({ ui: 'keyValue' }),
  body: z.string().optional().meta({ ui: { widget: 'json', showIf: { method: ['POST', 'PUT'] } } }),
  credentialId: z.string().optional().meta({ ui: 'credential' }),
  tags: z.array(z.string()).default([]),
  options: z.object({ retries: z.number().default(0), verbose: z.boolean().optional() }).default({ retries: 0 }),
  code: z.string().default('return items').meta({ ui: 'code' }),
  notes: z.string().optional().meta({ ui: 'textarea' }),
  anything: z.unknown().optional(),
  nullable: z.string().nullable().optional(),
  left: z.unknown().meta({ ui: 'expression' }),
})

describe('describeParams', () => {
  const fields = describeParams(json(http), { credential: { param: 'credentialId', kinds: ['bearer'] } })
  const by = Object.fromEntries(fields.map((f) => [f.key, f]))

  it.each([
    ['method', 'enum'],
    ['url', 'text'],
    ['timeoutMs', 'number'],
    ['followRedirects', 'boolean'],
    ['headers', 'keyValue'],
    ['body', 'json'],
    ['credentialId', 'credential'],
    ['tags', 'list'],
    ['options', 'object'],
    ['code', 'code'],
    ['notes', 'textarea'],
    ['anything', 'json'],
    ['nullable', 'text'],
    ['left', 'expression'],
  ])('%s is a %s field', (key, kind) => {
    expect(by[key].kind).toBe(kind)
  })

  it('keeps labels, descriptions, defaults, bounds and options', () => {
    expect(by.method).toMatchObject({ label: 'Method', description: 'HTTP method', default: 'GET', options: [{ value: 'GET', label: 'GET' }, { value: 'POST', label: 'POST' }, { value: 'PUT', label: 'PUT' }] })
    expect(by.timeoutMs).toMatchObject({ integer: true, min: 0, max: 60000, default: 10000, label: 'Timeout (ms)' })
    expect(by.url.required).toBe(true)
    expect(by.notes.required).toBe(false)
    expect(by.credentialId.credentialKinds).toEqual(['bearer'])
    expect(by.code.language).toBe('javascript')
    expect(by.options.children?.map((c) => [c.key, c.kind, c.path.join('.')])).toEqual([['retries', 'number', 'options.retries'], ['verbose', 'boolean', 'options.verbose']])
    expect(by.tags.item?.kind).toBe('text')
  })

  it('shows conditional fields only when the sibling matches', () => {
    expect(isVisible(by.body, { method: 'GET' })).toBe(false)
    expect(isVisible(by.body, { method: 'POST' })).toBe(true)
    expect(isVisible(by.url, {})).toBe(true)
  })

  it('builds default params for a new node', () => {
    expect(defaultParams(fields)).toEqual({
      method: 'GET', timeoutMs: 10000, followRedirects: true, headers: [], tags: [], options: { retries: 0 }, code: 'return items',
    })
  })

  it('handles enums from literal unions and an empty schema', () => {
    const f = describeParams(json(z.object({ mode: z.union([z.literal('a'), z.literal('b')]) })))
    expect(f[0]).toMatchObject({ kind: 'enum', options: [{ value: 'a' }, { value: 'b' }] })
    expect(describeParams(undefined)).toEqual([])
    expect(describeParams(json(z.object({})))).toEqual([])
  })

  it('describes a list of objects with an item form', () => {
    const f = describeParams(json(z.object({ rules: z.array(z.object({ field: z.string(), op: z.enum(['eq', 'ne']) })) })))
    expect(f[0].kind).toBe('list')
    expect(f[0].item?.kind).toBe('object')
    expect(f[0].item?.children?.map((c) => c.kind)).toEqual(['text', 'enum'])
  })
})

describe('conditional fields from descriptions', () => {
  const fields = describeParams(json(z.object({
    bodyType: z.enum(['none', 'json', 'form']).default('none'),
    jsonBody: z.unknown().optional().describe('bodyType json: the body'),
    formBody: z.string().optional().describe('bodyType form: fields'),
    mode: z.enum(['rules', 'expression']).default('rules'),
    rules: z.array(z.string()).default([]).describe('rules mode: one output per rule'),
    other: z.string().optional().describe('plain text: not a condition'),
  })))
  const by = Object.fromEntries(fields.map((f) => [f.key, f]))

  it.each([
    ['jsonBody', { bodyType: ['json'] }, 'The body'],
    ['formBody', { bodyType: ['form'] }, 'Fields'],
    ['rules', { mode: ['rules'] }, 'One output per rule'],
    ['other', undefined, 'plain text: not a condition'],
  ])('%s', (key, showIf, description) => {
    expect(by[key].showIf).toEqual(showIf)
    expect(by[key].description).toBe(description)
  })

  it('hides the field for other values', () => {
    expect(isVisible(by.jsonBody, { bodyType: 'none' })).toBe(false)
    expect(isVisible(by.jsonBody, { bodyType: 'json' })).toBe(true)
  })
})

describe('humanize', () => {
  it.each([
    ['maxAttempts', 'Max attempts'],
    ['url', 'URL'],
    ['apiKey', 'API key'],
    ['continue_on_fail', 'Continue on fail'],
    ['timeoutMs', 'Timeout (ms)'],
    ['memoryMb', 'Memory (MB)'],
    ['maxUploadMb', 'Max upload (MB)'],
    ['waitSeconds', 'Wait (seconds)'],
    ['ms', 'Ms'],
    ['tlsMode', 'TLS mode'],
    ['mediaUrls', 'Media URLs'],
    ['ipAllowlist', 'IP allowlist'],
  ])('%s → %s', (k, label) => expect(humanize(k)).toBe(label))
})

describe('labels from the schema', () => {
  const labelled = z.object({
    mode: z.enum(['runOnceForAllItems', 'runOnceForEachItem']).default('runOnceForAllItems').meta({ optionLabels: { runOnceForAllItems: 'Run once for all items', runOnceForEachItem: 'Run once for each item' } }),
    partial: z.enum(['gt', 'lt']).optional().meta({ optionLabels: { gt: 'is greater than' } }),
    literal: z.union([z.literal('a').meta({ title: 'Title wins' }), z.literal('b')]).meta({ optionLabels: { a: 'ignored', b: 'From optionLabels' } }),
    memoryMb: z.number().default(64).meta({ title: 'Heap (MB)' }),
    rows: z.array(z.object({ op: z.enum(['eq']).meta({ optionLabels: { eq: 'is equal to' } }) }).meta({ title: 'Condition' })).default([]),
  })
  const by = Object.fromEntries(describeParams(json(labelled)).map((f) => [f.key, f]))

  it('reads optionLabels for enum options', () => {
    expect(by.mode.options).toEqual([{ value: 'runOnceForAllItems', label: 'Run once for all items' }, { value: 'runOnceForEachItem', label: 'Run once for each item' }])
  })
  it('falls back to the value for an option without a label', () => {
    expect(by.partial.options).toEqual([{ value: 'gt', label: 'is greater than' }, { value: 'lt', label: 'lt' }])
  })
  it('prefers a literal member\'s title, then optionLabels', () => {
    expect(by.literal.options).toEqual([{ value: 'a', label: 'Title wins' }, { value: 'b', label: 'From optionLabels' }])
  })
  it('takes a field\'s title over humanize, for list rows too', () => {
    expect(by.memoryMb.label).toBe('Heap (MB)')
    expect(by.rows.item?.label).toBe('Condition')
    expect(by.rows.item?.children?.[0].options).toEqual([{ value: 'eq', label: 'is equal to' }])
  })
})

describe('picker widgets', () => {
  const fields = describeParams(json(z.object({
    model: z.string().meta({ ui: 'aiModel' }),
    embedding: z.string().default('').meta({ ui: 'aiModel', modelKind: 'embedding' }),
    collection: z.string().meta({ ui: 'collection' }),
    workflowId: z.string().meta({ ui: 'workflow', title: 'Workflow' }),
    nodeType: z.string().optional().meta({ ui: 'nodeType' }),
  })))
  const by = Object.fromEntries(fields.map((f) => [f.key, f]))

  it('a model field picks chat models unless it asks for embedding ones', () => {
    expect(by.model).toMatchObject({ kind: 'aiModel', modelKind: 'chat' })
    expect(by.embedding).toMatchObject({ kind: 'aiModel', modelKind: 'embedding' })
  })
  it('collections and workflows are picked by name', () => {
    expect(by.collection.kind).toBe('collection')
    expect(by.workflowId).toMatchObject({ kind: 'workflow', label: 'Workflow' })
    expect(by.nodeType.kind).toBe('nodeType')
  })
})
