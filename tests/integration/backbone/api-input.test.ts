// Hostile input to the JSON API answers 4xx, never 500: NUL characters (PostgreSQL stores none) in bodies, query
// strings and path parameters, JSON nested 10,000 deep, and bodies over the limit, cut off while streaming.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node, streamedRequest } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as workflow from '../../../app/api/workflows/[id]/route'
import * as validate from '../../../app/api/workflows/validate/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as executions from '../../../app/api/executions/route'
import * as credentials from '../../../app/api/credentials/route'
import * as webhook from '../../../app/api/webhooks/[...path]/route'
import { closeAppServices } from '../../../lib/services/app'

const LIMIT = 64 * 1024
const LARGE_LIMIT = 256 * 1024
const graph = chain(node.manual(), node.set('s', { x: 1 }))

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let workflowId: string

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_API_BODY_LIMIT: String(LIMIT), AUTERITY_API_LARGE_BODY_LIMIT: String(LARGE_LIMIT) })
  a = await seedTenant(t.db.prisma)
  const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Flow', graph } })
  workflowId = created.json.id
})
afterAll(async () => {
  await closeAppServices()
  await t.teardown()
})

function deepJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth)
}

describe('NUL characters', () => {
  it.each([
    ['a workflow name', () => call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'a\u0000b', graph } }), 'name'],
    [
      'a node name deep in the graph',
      () => call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'x', graph: chain(node.manual(), { ...node.set('s', {}), name: 'S\u0000' }) } }),
      'graph.nodes.1.name',
    ],
    ['run input', () => call(run.POST, { method: 'POST', headers: a.headers, params: { id: workflowId }, body: { input: [{ text: 'a\u0000' }] } }), 'input.0.text'],
    ['an object key', () => call(run.POST, { method: 'POST', headers: a.headers, params: { id: workflowId }, body: { input: [{ 'k\u0000': 1 }] } }), 'input.0.k\\0'],
    ['a credential name', () => call(credentials.POST, { method: 'POST', headers: a.headers, body: { name: '\u0000', kind: 'bearer', data: { token: 't' } } }), 'name'],
    ['a query string', () => call(executions.GET, { headers: a.headers, url: '/api/executions?workflowId=a%00b' }), 'workflowId'],
    ['a path parameter', () => call(workflow.GET, { headers: a.headers, params: { id: 'a\u0000b' } }), 'id'],
  ])('in %s is a 400 naming the field', async (_, send, field) => {
    const res = await send()
    expect(res.status, JSON.stringify(res.json)).toBe(400)
    expect(res.json.error.fields).toEqual({ [field]: 'must not contain NUL characters' })
  })

  it('in a webhook body (which the API does not parse) is accepted and stored with U+FFFD in its place, not a 500', async () => {
    const hook = chain(node.webhook('nul-hook'), node.set('s', {}))
    expect((await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Hook', graph: hook, active: true } })).status).toBe(201)
    const res = await call(webhook.POST, { method: 'POST', params: { path: ['nul-hook'] }, body: { text: 'a\u0000' } })
    expect(res.status, JSON.stringify(res.json)).toBe(202)
    const row = await t.db.prisma.execution.findUniqueOrThrow({ where: { id: res.json.executionId }, select: { input: true } })
    expect(row.input).toMatchObject([{ body: { text: 'a\uFFFD' } }])
  })
})

describe('nesting', () => {
  it.each([
    ['validate', () => call(validate.POST, { method: 'POST', headers: a.headers, body: `{"graph":${deepJson(10_000)}}` })],
    ['run input', () => call(run.POST, { method: 'POST', headers: a.headers, params: { id: workflowId }, body: `{"input":[{"a":${deepJson(10_000)}}]}` })],
    ['a workflow save', () => call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id: workflowId }, body: `{"baseVersion":1,"description":${deepJson(10_000)}}` })],
  ])('answers 400 to 10,000-deep JSON (%s)', async (_, send) => {
    const res = await send()
    expect(res.status, JSON.stringify(res.json)).toBe(400)
    expect(res.json.error.fields).toEqual({ '(body)': 'nested deeper than 128 levels' })
  })

  it('accepts nesting up to the limit, strings with brackets not counted', async () => {
    const input = [{ a: JSON.parse(deepJson(100)), s: '[[[[{{{{'.repeat(100) }]
    const res = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: workflowId }, body: { input } })
    expect(res.status, JSON.stringify(res.json)).toBe(202)
  })
})


describe('body size', () => {
  it('answers 413 above the default limit and accepts a graph up to the larger one', async () => {
    const pad = 'x'.repeat(LIMIT)
    const small = await call(credentials.POST, { method: 'POST', headers: a.headers, body: { name: pad, kind: 'bearer', data: { token: 't' } } })
    expect(small.status).toBe(413)
    expect(small.json.error.code).toBe('PAYLOAD_TOO_LARGE')
    const bigGraph = (size: number) => chain(node.manual(), node.set('s', { text: 'x'.repeat(size) }))
    const big = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'big', graph: bigGraph(2 * LIMIT) } })
    expect(big.status, JSON.stringify(big.json)).toBe(201)
    const tooBig = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'big', graph: bigGraph(LARGE_LIMIT) } })
    expect(tooBig.status).toBe(413)
  })

  it('cuts off a streamed body without a length at the limit instead of reading it all', async () => {
    const { req, sent } = streamedRequest('/api/credentials', 256 * 1024 * 1024, a.headers)
    const res = await credentials.POST(req, { params: Promise.resolve({}) })
    expect(res.status).toBe(413)
    // Read up to the limit, plus what the stream had buffered ahead: a few chunks, not the 256 MiB on offer.
    expect(sent()).toBeLessThan(LIMIT + 8 * 16 * 1024)
  })
})
