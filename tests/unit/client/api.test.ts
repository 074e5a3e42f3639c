// The API client against a local HTTP server speaking the studio's wire format (docs/api.md).
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, buildUrl, createApiClient, errorMessage } from '@/lib/client/api'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

let server: Server
let baseUrl: string
const seen: Seen[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body })
      const json = (status: number, payload: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload))
      const path = req.url!.split('?')[0]
      if (path === '/api/workflows' && req.method === 'GET') return json(200, { workflows: [{ id: 'w1', name: 'One' }] })
      if (path === '/api/workflows' && req.method === 'POST')
        return json(400, { error: { code: 'VALIDATION_ERROR', message: 'name: Required', fields: { name: 'Required', 'graph.nodes': 'Too many' } } })
      if (path === '/api/workflows/w1' && req.method === 'PUT') return json(409, { error: { code: 'CONFLICT', message: 'A newer version exists', details: { currentVersion: 7 } } })
      if (path === '/api/workflows/w1' && req.method === 'DELETE') return void res.writeHead(204).end()
      if (path === '/api/executions') return json(200, { executions: [], nextCursor: null })
      if (path === '/api/executions/e1/retry') return json(202, { executionId: 'e2' })
      if (path === '/api/credentials') return void res.writeHead(403, { 'content-type': 'text/html' }).end('<h1>nope</h1>')
      res.writeHead(502, 'Bad Gateway').end('upstream down')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const last = () => seen[seen.length - 1]

describe('createApiClient', () => {
  it('returns the JSON of a 2xx answer and sends extra headers', async () => {
    const client = createApiClient({ baseUrl, headers: { authorization: 'Bearer ak_test' } })
    await expect(client.workflows.list()).resolves.toEqual({ workflows: [{ id: 'w1', name: 'One' }] })
    expect(last().headers.authorization).toBe('Bearer ak_test')
  })

  it('sends JSON bodies with a content type', async () => {
    const client = createApiClient({ baseUrl })
    await expect(client.executions.retry('e1', true, 'current')).resolves.toEqual({ executionId: 'e2' })
    expect(last()).toMatchObject({ method: 'POST', url: '/api/executions/e1/retry' })
    expect(last().headers['content-type']).toBe('application/json')
    expect(JSON.parse(last().body)).toEqual({ fromFailedStep: true, version: 'current' })
  })

  it('drops empty filters from the query string', async () => {
    await createApiClient({ baseUrl }).executions.list({ workflowId: 'w1', status: undefined, limit: 20 })
    expect(last().url).toBe('/api/executions?workflowId=w1&limit=20')
  })

  it('resolves undefined on 204', async () => {
    await expect(createApiClient({ baseUrl }).workflows.remove('w1')).resolves.toBeUndefined()
  })

  it.each([
    ['validation error with fields', (c: ReturnType<typeof createApiClient>) => c.workflows.create({ name: '', graph: {} }), { status: 400, code: 'VALIDATION_ERROR', message: 'name: Required', fields: { name: 'Required', 'graph.nodes': 'Too many' } }],
    ['conflict with details', (c: ReturnType<typeof createApiClient>) => c.workflows.update('w1', { baseVersion: 3 }), { status: 409, code: 'CONFLICT', details: { currentVersion: 7 }, isConflict: true }],
    ['non-JSON 403', (c: ReturnType<typeof createApiClient>) => c.credentials.list(), { status: 403, code: 'HTTP_ERROR', message: 'Your role does not allow this.' }],
    ['non-JSON 502', (c: ReturnType<typeof createApiClient>) => c.nodeTypes.list(), { status: 502, code: 'HTTP_ERROR', message: 'The server answered 502 Bad Gateway' }],
  ])('throws an ApiError for a %s', async (_name, call, expected) => {
    const err = await call(createApiClient({ baseUrl })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject(expected)
  })

  it('turns an unreachable server into a NETWORK_ERROR', async () => {
    const err = await createApiClient({ baseUrl: 'http://127.0.0.1:1' }).workflows.list().catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 0, code: 'NETWORK_ERROR' })
  })
})

describe('errorMessage', () => {
  it.each([
    [new ApiError(400, 'VALIDATION_ERROR', 'name: Required', { name: 'Required', url: 'Enter a URL' }), 'name: Required (url: Enter a URL)'],
    [new ApiError(404, 'NOT_FOUND', 'Workflow not found'), 'Workflow not found'],
    [new Error('boom'), 'boom'],
    ['plain', 'plain'],
  ])('%#: %s', (err, expected) => {
    expect(errorMessage(err)).toBe(expected)
  })
})

describe('buildUrl', () => {
  it.each([
    [{}, '/api/x'],
    [{ a: 1, b: '', c: null, d: undefined }, '/api/x?a=1'],
    [{ since: '2026-01-01T00:00:00.000Z', flag: true }, '/api/x?since=2026-01-01T00%3A00%3A00.000Z&flag=true'],
  ])('%j → %s', (query, expected) => {
    expect(buildUrl('', '/api/x', query)).toBe(expected)
  })
})
