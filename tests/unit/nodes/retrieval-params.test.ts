// The retrieval nodes' params: what the inspector and the engine accept, and the errors naming the field otherwise;
// the Agent's retrieval tool kind beside the existing ones.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { checkName } from '@/lib/vector/collections'
import { describeParams, type JsonSchema } from '@/lib/forms/schema'
import { agentParams } from '@/lib/nodes/agent/definition'
import { toolSpec, RETRIEVAL_TOOL_PARAMETERS } from '@/lib/nodes/agent/retrieval-tool'
import { ragAnswerParams } from '@/lib/nodes/retrieval/rag-answer/definition'
import { deleteParams } from '@/lib/nodes/retrieval/vector-delete/definition'
import { ingestParams } from '@/lib/nodes/retrieval/vector-ingest/definition'
import { searchParams } from '@/lib/nodes/retrieval/vector-search/definition'

/** The first issue of a failed parse, as `path: message`. */
function issue(schema: z.ZodType, input: unknown): string {
  const r = schema.safeParse(input)
  if (r.success) return 'ok'
  const first = r.error.issues[0]
  return `${first.path.join('.')}: ${first.message}`
}

describe('Search Collection params', () => {
  it('defaults to a hybrid search of five hits, one item each', () => {
    expect(searchParams.parse({ collection: 'handbook', query: 'holidays' })).toEqual({ collection: 'handbook', query: 'holidays', mode: 'hybrid', topK: 5, rerankModel: '', output: 'hits' })
  })

  it.each([
    [{ query: 'x' }, 'collection: Invalid input: expected string, received undefined'],
    [{ collection: '  ', query: 'x' }, 'collection: Name the collection'],
    [{ collection: 'c', topK: 0 }, 'topK: At least 1'],
    [{ collection: 'c', topK: 101 }, 'topK: At most 100'],
    [{ collection: 'c', mode: 'semantic' }, 'mode: Invalid input'],
    [{ collection: 'c', filter: '{ lang: en }' }, 'filter: Write a JSON object, e.g. { "lang": "en" }'],
    [{ collection: 'c', filter: { lang: { like: 'e%' } } }, 'filter.lang: Unrecognized key: "like"'],
    [{ collection: 'c', filter: { tags: ['a'] } }, 'filter.tags: Invalid input'],
  ])('refuses %j naming the field', (input, expected) => {
    expect(issue(searchParams, input)).toBe(expected)
  })

  it('takes a filter as an object or as JSON text (from an expression), and conditions of every kind', () => {
    const filter = { lang: 'en', year: { gte: 2020, lt: 2025 }, team: { in: ['hr', 'ops'] }, draft: false, status: { ne: 'old' } }
    expect(searchParams.parse({ collection: 'c', filter }).filter).toEqual(filter)
    expect(searchParams.parse({ collection: 'c', filter: JSON.stringify(filter) }).filter).toEqual(filter)
    expect(searchParams.parse({ collection: 'c', filter: '' }).filter).toBeUndefined()
  })

  it('reads an empty minimum score as none, and text as a number', () => {
    expect(searchParams.parse({ collection: 'c', minScore: '' }).minScore).toBeUndefined()
    expect(searchParams.parse({ collection: 'c', minScore: '0.5' }).minScore).toBe(0.5)
    expect(issue(searchParams, { collection: 'c', minScore: 'high' })).toBe('minScore: Invalid input: expected number, received NaN')
  })

  it('shows the modes with human labels in the form', () => {
    const fields = describeParams(z.toJSONSchema(searchParams, { io: 'input', unrepresentable: 'any' }) as JsonSchema)
    expect(fields.find((f) => f.key === 'mode')?.options).toEqual([
      { value: 'hybrid', label: 'Hybrid: meaning and keywords' },
      { value: 'vector', label: 'Meaning (vector similarity)' },
      { value: 'keyword', label: 'Keywords (full-text, BM25)' },
    ])
  })
})

describe('collection names', () => {
  it.each([['handbook'], ['HR policies 2024'], ['wiki:en'], ['Ünïcode_docs-1.0'], ['  handbook  '], ['-draft'], ['_x'], [''], ['a'.repeat(101)], ['bad/slash'], ['semi;colon']])(
    'the param and the store agree on %j',
    (name) => {
      const param = searchParams.safeParse({ collection: name }).success
      let store = true
      try {
        checkName(name.trim())
      } catch {
        store = false
      }
      expect(param).toBe(store)
    },
  )
})

describe('Ingest Documents params', () => {
  it('defaults to text, keyed by the item, creating nothing', () => {
    const p = ingestParams.parse({ collection: 'c', text: 'hello' })
    expect(p).toMatchObject({ source: 'text', textType: 'plain', key: '', fileField: 'file', metadataFields: [], embeddingModel: '', chunkSize: 400 })
    expect(p.chunkOverlap).toBeUndefined()
  })

  it.each([
    [{ collection: 'c', chunkSize: 16 }, 'chunkSize: At least 32 tokens'],
    [{ collection: 'c', chunkSize: 100, chunkOverlap: 51 }, 'chunkOverlap: At most half the chunk size (50)'],
    [{ collection: 'c', source: 'url' }, 'source: Invalid input'],
    [{ collection: 'c', fileField: ' ' }, 'fileField: Name the field holding the file'],
    [{ collection: 'c', metadata: '[1' }, 'metadata: Write a JSON object, e.g. { "lang": "en" }'],
    [{ collection: 'c', metadata: [1, 2] }, 'metadata: Invalid input: expected record, received array'],
  ])('refuses %j naming the field', (input, expected) => {
    expect(issue(ingestParams, input)).toBe(expected)
  })

  it('reads numbers given as text (template parameters, expressions) and metadata as JSON text', () => {
    expect(ingestParams.parse({ collection: 'c', chunkSize: '200', chunkOverlap: '20', key: 7, metadata: '{"lang":"en"}' })).toMatchObject({ chunkSize: 200, chunkOverlap: 20, key: '7', metadata: { lang: 'en' } })
  })

  it('shows the text fields only for text and the file field only for files', () => {
    const fields = describeParams(z.toJSONSchema(ingestParams, { io: 'input', unrepresentable: 'any' }) as JsonSchema)
    const showIf = Object.fromEntries(fields.map((f) => [f.key, f.showIf]))
    expect(showIf).toMatchObject({ text: { source: ['text'] }, textType: { source: ['text'] }, fileField: { source: ['file'] } })
    expect(showIf.collection).toBeUndefined()
  })
})

describe('Delete Documents params', () => {
  it.each([
    ['a list', ['a.md', ' b.md '], ['a.md', 'b.md']],
    ['one key per line', 'a.md\nb.md\n', ['a.md', 'b.md']],
    ['comma-separated', 'a.md, b.md', ['a.md', 'b.md']],
    ['a number', 7, ['7']],
  ])('takes keys as %s', (_kind, keys, expected) => {
    expect(deleteParams.parse({ collection: 'c', keys }).keys).toEqual(expected)
  })

  it.each([
    [{ collection: 'c' }, 'keys: Give the keys of the documents to delete'],
    [{ collection: 'c', operation: 'filter' }, 'filter: Give a filter (an empty one would match every document: choose "Every document" for that)'],
    [{ collection: 'c', operation: 'filter', filter: {} }, 'filter: Give a filter (an empty one would match every document: choose "Every document" for that)'],
    [{ collection: 'c', operation: 'truncate' }, 'operation: Invalid input'],
  ])('refuses %j naming the field', (input, expected) => {
    expect(issue(deleteParams, input)).toBe(expected)
  })

  it('needs nothing more to delete everything or drop the collection', () => {
    expect(deleteParams.parse({ collection: 'c', operation: 'all' })).toMatchObject({ operation: 'all', keys: [] })
    expect(deleteParams.parse({ collection: 'c', operation: 'drop' })).toMatchObject({ operation: 'drop' })
  })

  it('labels dropping the collection as destructive', () => {
    const fields = describeParams(z.toJSONSchema(deleteParams, { io: 'input', unrepresentable: 'any' }) as JsonSchema)
    expect(fields.find((f) => f.key === 'operation')?.options?.find((o) => o.value === 'drop')?.label).toMatch(/destructive/)
  })
})

describe('Answer with Sources params', () => {
  it('answers from five passages, without calling the model when nothing is found', () => {
    expect(ragAnswerParams.parse({ collection: 'c', model: 'default', question: 'q' })).toMatchObject({ mode: 'hybrid', topK: 5, onNothingFound: 'answer', temperature: 0, instructions: '' })
  })

  it.each([
    [{ collection: 'c', question: 'q' }, 'model: Invalid input: expected string, received undefined'],
    [{ collection: 'c', model: ' ', question: 'q' }, 'model: Choose a model deployment or route'],
    [{ collection: 'c', model: 'm', topK: 51 }, 'topK: At most 50'],
    [{ collection: 'c', model: 'm', onNothingFound: 'guess' }, 'onNothingFound: Invalid input'],
  ])('refuses %j naming the field', (input, expected) => {
    expect(issue(ragAnswerParams, input)).toBe(expected)
  })
})

describe('the Agent\'s retrieval tool', () => {
  const base = { model: 'default', userMessage: 'hi' }

  it('needs a collection', () => {
    expect(issue(agentParams, { ...base, tools: [{ name: 'docs', description: 'Search the docs', kind: 'retrieval' }] })).toBe('tools.0.collection: Name the collection this tool searches')
  })

  it('always takes { query } whatever its parameters say; other kinds keep theirs', () => {
    const p = agentParams.parse({
      ...base,
      tools: [
        { name: 'docs', description: 'Search the docs', kind: 'retrieval', collection: 'handbook', parameters: { type: 'object', properties: { q: { type: 'number' } } } },
        { name: 'get_order', description: 'Fetch an order', kind: 'node', nodeType: 'http-request', parameters: { type: 'object', properties: { id: { type: 'string' } } } },
      ],
    })
    expect(p.tools[0]).toMatchObject({ kind: 'retrieval', collection: 'handbook', mode: 'hybrid', topK: 5 })
    expect(p.tools.map(toolSpec)).toEqual([
      { name: 'docs', description: 'Search the docs', parameters: RETRIEVAL_TOOL_PARAMETERS },
      { name: 'get_order', description: 'Fetch an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } },
    ])
  })

  it('keeps node and workflow tools as they were', () => {
    const p = agentParams.parse({ ...base, tools: [{ name: 'sub', description: 'Run it', kind: 'workflow', workflowId: 'wf_1' }, { name: 'tag', description: 'Tag it', nodeType: 'set' }] })
    expect(p.tools.map((t) => [t.kind, t.workflowId ?? t.nodeType])).toEqual([['workflow', 'wf_1'], ['node', 'set']])
  })

  it.each([
    ['collection', ['retrieval']],
    ['topK', ['retrieval']],
    ['nodeType', ['node']],
    ['parameters', ['node', 'workflow']],
  ])('shows %s only for the kinds it applies to', (key, kinds) => {
    const tools = describeParams(z.toJSONSchema(agentParams, { io: 'input', unrepresentable: 'any' }) as JsonSchema).find((f) => f.key === 'tools')!
    expect(tools.item?.children?.find((f) => f.key === key)?.showIf).toEqual({ kind: kinds })
  })
})
