import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { describeIssue, fieldLabel, httpUrlProblem, schemaAt } from '@/lib/engine/param-words'
import { validateGraph } from '@/lib/engine/validate'
import { nodeRegistry } from '@/lib/nodes/registry'

const schema = z.object({
  url: z.string(),
  timeoutMs: z.coerce.number().int().min(10).max(60_000).default(5_000),
  retries: z.number().min(0),
  name: z.string().min(1),
  code: z.string().min(3),
  email: z.email().optional(),
  site: z.url(),
  method: z.enum(['GET', 'POST']),
  tags: z.array(z.string()).min(1),
  nested: z.object({ maxAttempts: z.number() }),
  rows: z.array(z.object({ name: z.string().min(1, 'Name the field') })),
  titled: z.string().meta({ title: 'API base' }),
})

const valid = { url: 'u', retries: 1, name: 'n', code: 'abc', site: 'https://x.test', method: 'GET', tags: ['a'], nested: { maxAttempts: 1 }, rows: [], titled: 't' }

function wordsFor(patch: Record<string, unknown>): string[] {
  const params = { ...valid, ...patch }
  const r = schema.safeParse(params)
  if (r.success) return []
  return r.error.issues.map((issue) => {
    let value: unknown = params
    for (const k of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[k]
    return describeIssue(issue, fieldLabel(schema, issue.path), value, schemaAt(schema, issue.path))
  })
}

describe('param problems in words', () => {
  it.each([
    [{ url: undefined }, 'URL is required'],
    [{ url: 42 }, 'URL must be text'],
    [{ timeoutMs: 5 }, 'Enter a whole number between 10 and 60000 for Timeout (ms)'],
    [{ timeoutMs: 'soon' }, 'Enter a whole number between 10 and 60000 for Timeout (ms)'],
    [{ retries: -1 }, 'Retries must be a number of at least 0'],
    [{ name: '' }, 'Name is required'],
    [{ code: 'ab' }, 'Code needs at least 3 characters'],
    [{ email: 'nope' }, 'Email must be an email address, like ana@example.com'],
    [{ site: 'nope' }, 'Site must be a full URL, like https://example.com'],
    [{ method: 'FETCH' }, 'Method must be one of: GET, POST'],
    [{ method: undefined }, 'Method is required'],
    [{ tags: [] }, 'Tags needs at least 1 entry'],
    [{ nested: { maxAttempts: 'x' } }, 'Max attempts must be a number'],
    [{ rows: [{ name: '' }] }, 'Name the field'],
    [{ titled: undefined }, 'API base is required'],
  ])('%j → %s', (patch, words) => expect(wordsFor(patch)).toEqual([words]))

  it.each([
    ['https://api.example.com/x', null],
    ['http://localhost:3000', null],
    ['htp//x', /URL is not a full URL: “htp\/\/x”/],
    ['ftp://files.example.com', /must start with http:\/\/ or https:\/\//],
  ])('%s as a URL', (value, expected) => {
    const p = httpUrlProblem(value, 'URL')
    if (expected === null) expect(p).toBeNull()
    else expect(p).toMatch(expected)
  })
})

describe('validateGraph words node params for people', () => {
  const graph = (http: Record<string, unknown>, code: Record<string, unknown> = {}) => ({
    nodes: [
      { id: 't', type: 'manual-trigger', name: 'Start' },
      { id: 'h', type: 'http-request', name: 'Fetch', params: http },
      { id: 'c', type: 'code', name: 'Shape', params: code },
    ],
    edges: [{ source: 't', target: 'h' }, { source: 'h', target: 'c' }],
  })
  const messages = (g: unknown) => validateGraph(g, nodeRegistry).problems.map((p) => [p.path, p.message])

  it('checks a fixed URL at design time, naming the field', () => {
    expect(messages(graph({ url: 'htp//x' }))).toEqual([['nodes.h.params.url', expect.stringMatching(/^Fetch: URL is not a full URL: “htp\/\/x”/)]])
    expect(messages(graph({ url: 'https://api.example.com' }))).toEqual([])
  })

  it('leaves a URL with an expression to the run', () => {
    expect(messages(graph({ url: '{{ $json.link }}' }))).toEqual([])
    expect(messages(graph({ url: 'https://x.test/{{ $json.id }}' }))).toEqual([])
  })

  it('rewords zod’s own messages with the field’s label', () => {
    expect(messages(graph({}))).toEqual([['nodes.h.params.url', 'Fetch: URL is required']])
    expect(messages(graph({ url: 'https://x.test' }, { timeoutMs: 5 }))).toEqual([['nodes.c.params.timeoutMs', 'Shape: Enter a whole number between 10 and 60000 for Timeout (ms)']])
  })
})
