import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CredentialData } from '@/lib/engine/types'
import { httpRequest } from '@/lib/nodes/http-request/definition'
import { retryAfterMs } from '@/lib/nodes/http-request/request-spec'
import { createSafeHttpClient, type SafeHttpClient } from '@/lib/net/ssrf'
import { sendJson, startLocalServer, type LocalServer } from '../net/local-server'
import { numbered, runFlow } from './flow'
import { runNode, type HarnessOptions } from './harness'
import { memoryFiles } from '../../helpers/files'

const files = memoryFiles()

let server: LocalServer
let http: SafeHttpClient
let inFlight = 0
let maxInFlight = 0

beforeAll(async () => {
  server = await startLocalServer(async (req, res) => {
    const url = new URL(req.url, 'http://x')
    if (url.pathname === '/status') {
      const code = Number(url.searchParams.get('code'))
      const headers: Record<string, string> = url.searchParams.get('retryAfter') ? { 'retry-after': url.searchParams.get('retryAfter')! } : {}
      return sendJson(res, code, { error: `status ${code}` }, headers)
    }
    if (url.pathname === '/text') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      return void res.end('hello')
    }
    if (url.pathname === '/binary') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      return void res.end(Buffer.from([0, 1, 2, 255]))
    }
    if (url.pathname === '/bad-json') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      return void res.end('not json')
    }
    if (url.pathname === '/redirect-to') {
      res.writeHead(302, { location: url.searchParams.get('to')! })
      return void res.end()
    }
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: '/echo?redirected=1' })
      return void res.end()
    }
    if (url.pathname === '/slow-echo') {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      await new Promise((r) => setTimeout(r, 30))
      inFlight--
    }
    sendJson(res, 200, { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: req.body })
  })
  http = createSafeHttpClient({ allowList: [server.hostPort] })
})

afterAll(async () => {
  await http.close()
  await server.close()
})

const run = (params: Record<string, unknown>, opts: HarnessOptions = {}) =>
  runNode(httpRequest, { items: [{}], params, ...opts, services: { http, files, ...opts.services } }).then((r) => r.output.main)

describe('http-request node', () => {
  it('GETs JSON and outputs { status, headers, body }', async () => {
    const [item] = await run({ url: `${server.origin}/echo`, query: [{ name: 'q', value: 'a b' }], headers: [{ name: 'X-Trace', value: '7' }] })
    expect(item).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } })
    expect(item.body).toMatchObject({ method: 'GET', query: { q: 'a b' }, headers: { 'x-trace': '7' } })
  })

  it.each([
    ['json object', { bodyType: 'json', jsonBody: { a: 1 } }, 'application/json', '{"a":1}'],
    ['json text', { bodyType: 'json', jsonBody: '{"b":2}' }, 'application/json', '{"b":2}'],
    ['form', { bodyType: 'form', formBody: [{ name: 'x', value: '1 2' }, { name: 'y', value: 'z' }] }, 'application/x-www-form-urlencoded', 'x=1+2&y=z'],
    ['raw', { bodyType: 'raw', rawBody: '<a/>', contentType: 'application/xml' }, 'application/xml', '<a/>'],
  ])('POSTs a %s body', async (_name, params, contentType, body) => {
    const [item] = await run({ method: 'POST', url: `${server.origin}/echo`, ...params })
    expect(item.body).toMatchObject({ method: 'POST', body, headers: { 'content-type': contentType } })
  })

  it('rejects a json body that is not JSON, naming the field', async () => {
    await expect(run({ method: 'POST', url: `${server.origin}/echo`, bodyType: 'json', jsonBody: '{oops' })).rejects.toMatchObject({ field: 'jsonBody' })
  })

  it.each<[string, CredentialData, string, string]>([
    ['apiKey', { id: 'c1', kind: 'apiKey', data: { headerName: 'X-Api-Key', value: 'k-123' } }, 'x-api-key', 'k-123'],
    ['bearer', { id: 'c2', kind: 'bearer', data: { token: 't-456' } }, 'authorization', 'Bearer t-456'],
    ['basicAuth', { id: 'c3', kind: 'basicAuth', data: { username: 'ann', password: 's3cret' } }, 'authorization', `Basic ${Buffer.from('ann:s3cret').toString('base64')}`],
    ['customHeaders', { id: 'c4', kind: 'customHeaders', data: { headers: '{"X-One":"1","Authorization":"Token abc"}' } }, 'authorization', 'Token abc'],
  ])('authenticates with a %s credential', async (_kind, credential, header, value) => {
    const [item] = await run({ url: `${server.origin}/echo`, credential: credential.id, headers: [{ name: 'Authorization', value: 'typed-in' }] }, { credential })
    expect((item.body as { headers: Record<string, string> }).headers[header]).toBe(value)
  })

  describe('a redirect to another origin', () => {
    let target: LocalServer
    let twoOrigins: SafeHttpClient
    beforeAll(async () => {
      // Two ports on 127.0.0.1 are two origins; both are allow-listed, so only the header rule is under test.
      target = await startLocalServer((req, res) => sendJson(res, 200, { headers: req.headers }))
      twoOrigins = createSafeHttpClient({ allowList: [server.hostPort, target.hostPort] })
    })
    afterAll(async () => {
      await twoOrigins.close()
      await target.close()
    })

    it.each<[string, CredentialData, string[]]>([
      ['apiKey', { id: 'c1', kind: 'apiKey', data: { headerName: 'X-Api-Key', value: 'k-123' } }, ['x-api-key']],
      ['customHeaders', { id: 'c4', kind: 'customHeaders', data: { headers: '{"X-One":"secret-1","X-Tenant-Token":"secret-2"}' } }, ['x-one', 'x-tenant-token']],
      ['bearer', { id: 'c2', kind: 'bearer', data: { token: 't-456' } }, ['authorization']],
    ])('does not carry %s credential headers (or typed-in headers) to the new origin', async (_kind, credential, names) => {
      const before = target.received.length
      const redirect = `${server.origin}/redirect-to?to=${encodeURIComponent(`${target.origin}/landing`)}`
      const [item] = await run(
        { url: redirect, credential: credential.id, headers: [{ name: 'X-Typed', value: 'typed-secret' }, { name: 'Accept', value: 'application/json' }] },
        { credential, services: { http: twoOrigins } },
      )
      expect(target.received.length).toBe(before + 1)
      const got = target.received.at(-1)!.headers
      for (const name of [...names, 'x-typed']) expect(got[name], name).toBeUndefined()
      expect(JSON.stringify(got)).not.toMatch(/k-123|secret-1|secret-2|t-456|typed-secret/)
      expect(got.accept).toBe('application/json')
      expect(item.status).toBe(200)
    })

    it('keeps every header on a same-origin redirect', async () => {
      const credential: CredentialData = { id: 'c1', kind: 'apiKey', data: { headerName: 'X-Api-Key', value: 'k-123' } }
      const [item] = await run({ url: `${server.origin}/redirect`, credential: credential.id, headers: [{ name: 'X-Typed', value: 't' }] }, { credential, services: { http: twoOrigins } })
      expect((item.body as { headers: Record<string, string> }).headers).toMatchObject({ 'x-api-key': 'k-123', 'x-typed': 't' })
    })
  })

  it('refuses a credential kind it cannot use', async () => {
    const credential: CredentialData = { id: 'c9', kind: 'openai', data: { apiKey: 'x' } }
    await expect(run({ url: `${server.origin}/echo` }, { credential })).rejects.toMatchObject({ code: 'CREDENTIAL_INVALID', field: 'credential' })
  })

  it.each([
    [404, false],
    [400, false],
    [408, true],
    [429, true],
    [500, true],
    [503, true],
  ])('status %i fails the step (retryable: %s)', async (code, retryable) => {
    await expect(run({ url: `${server.origin}/status?code=${code}` })).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      retryable,
      details: { status: code },
    })
  })

  it('passes Retry-After on in the error details', async () => {
    await expect(run({ url: `${server.origin}/status?code=429&retryAfter=7` })).rejects.toMatchObject({ details: { retryAfterMs: 7000 } })
  })

  it.each([
    ['3', 3000],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['soon', undefined],
  ])('reads Retry-After %j', (value, ms) => {
    expect(retryAfterMs(value, Date.parse('Thu, 01 Jan 2026 00:00:00 GMT'))).toBe(ms)
  })

  it('outputs error answers as items when failOnHttpError is off', async () => {
    const [item] = await run({ url: `${server.origin}/status?code=404`, failOnHttpError: false })
    expect(item).toMatchObject({ status: 404, body: { error: 'status 404' } })
  })

  it.each([
    ['auto', '/text', 'hello'],
    ['text', '/echo', expect.stringContaining('"method":"GET"')],
    ['json', '/echo', expect.objectContaining({ method: 'GET' })],
  ])('responseFormat %s for %s', async (responseFormat, path, body) => {
    const [item] = await run({ url: `${server.origin}${path}`, responseFormat })
    expect(item.body).toEqual(body)
  })

  it('fails clearly when json was expected', async () => {
    await expect(run({ url: `${server.origin}/bad-json`, responseFormat: 'json' })).rejects.toMatchObject({ code: 'HTTP_INVALID_JSON' })
  })

  it.each([
    [true, 200],
    [false, 302],
  ])('followRedirects %s → status %i', async (followRedirects, status) => {
    const [item] = await run({ url: `${server.origin}/redirect`, followRedirects })
    expect(item.status).toBe(status)
  })

  it('sends one request per item with per-item params, in order, a few at a time', async () => {
    const items = Array.from({ length: 8 }, (_, i) => ({ id: i }))
    maxInFlight = 0
    const out = await run(
      { concurrency: 3 },
      { items, paramsFor: (item) => ({ url: `${server.origin}/slow-echo?id=${item.id}`, concurrency: 3 }) },
    )
    expect(out.map((o) => (o.body as { query: { id: string } }).query.id)).toEqual(items.map((i) => String(i.id)))
    expect(maxInFlight).toBeGreaterThan(1)
    expect(maxInFlight).toBeLessThanOrEqual(3)
  })

  it.each<[string, Record<string, unknown>, (string | undefined)[]]>([
    ['not sent by default', {}, [undefined, undefined]],
    ['sent per item under the header named, replacing one typed in', { idempotencyKeyHeader: 'Idempotency-Key', headers: [{ name: 'idempotency-key', value: 'mine' }] }, ['exec-1:node-1:0', 'exec-1:node-1:1']],
  ])('idempotency key header: %s', async (_, params, sent) => {
    const out = await runNode(httpRequest, { items: [{}, {}], params: { url: `${server.origin}/echo`, ...params }, services: { http, files } })
    expect(out.output.main.map((i) => (i.body as { headers: Record<string, string> }).headers['idempotency-key'])).toEqual(sent)
  })

  it('refuses an idempotency key header name that is not a header name', () => {
    expect(httpRequest.params.safeParse({ url: 'https://x.test', idempotencyKeyHeader: 'Bad Header:' }).success).toBe(false)
  })

  it('goes through the guarded client: internal addresses are refused', async () => {
    const guarded = createSafeHttpClient()
    const before = server.received.length
    await expect(run({ url: `${server.origin}/echo` }, { services: { http: guarded } })).rejects.toMatchObject({ code: 'SSRF_BLOCKED', retryable: false })
    expect(server.received.length).toBe(before)
    await guarded.close()
  })

  it('stops when the run is cancelled', async () => {
    const controller = new AbortController()
    controller.abort(new Error('run canceled'))
    await expect(run({ url: `${server.origin}/slow-echo` }, { signal: controller.signal })).rejects.toThrow('run canceled')
  })

  it('makes no request when there are no items', async () => {
    expect(await run({ url: `${server.origin}/echo` }, { items: [] })).toEqual([])
  })

  it('requires a URL', () => {
    expect(httpRequest.params.safeParse({ url: '' }).error?.issues[0]).toMatchObject({ path: ['url'] })
  })

  describe('page by page', () => {
    const flow = (params: Record<string, unknown>, pageSize: number, sleep?: (ms: number) => Promise<void>) =>
      runFlow([{ id: 'http', type: 'http-request', params: { url: `${server.origin}/echo?id={{ $json.i }}`, idempotencyKeyHeader: 'Idempotency-Key', ...params } }], numbered(35, 10), {
        pageSize,
        http,
        sleep: sleep && ((ms) => sleep(ms)),
      })
    const sent = (out: Record<string, unknown>[]) => out.map((o) => (o.body as { query: { id: string }; headers: Record<string, string> }))

    it('sends one request per item a page at a time, in order, keyed by the position in the whole input', async () => {
      const paged = await flow({}, 10)
      expect(paged.calls('http-request')).toBe(4)
      expect(paged.largestPage('http-request')).toBe(10)
      const out = sent(await paged.output('http'))
      expect(out.map((b) => b.query.id)).toEqual(Array.from({ length: 35 }, (_, i) => String(i)))
      expect(out.map((b) => b.headers['idempotency-key'])).toEqual(Array.from({ length: 35 }, (_, i) => `exec-1:http:${i}`))
      const whole = sent(await (await flow({}, 1000)).output('http'))
      expect(whole.map((b) => [b.query.id, b.headers['idempotency-key']])).toEqual(out.map((b) => [b.query.id, b.headers['idempotency-key']]))
    })

    it('batching: pauses batchIntervalMs after every batchSize items, counting across pages', async () => {
      const log: string[] = []
      const before = server.received.length
      const result = await flow({ batchSize: 10, batchIntervalMs: 250 }, 15, async (ms) => {
        for (const r of server.received.splice(before)) log.push(new URL(r.url, 'http://x').searchParams.get('id')!)
        log.push(`pause ${ms}`)
      })
      for (const r of server.received.splice(before)) log.push(new URL(r.url, 'http://x').searchParams.get('id')!)
      expect(result.result.status).toBe('succeeded')
      const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i)).sort()
      const groups = log.join(',').split(',pause 250,').map((g) => g.split(',').sort())
      expect(groups).toEqual([ids(0, 10), ids(10, 20), ids(20, 30), ids(30, 35)])
    })

    it('refuses a negative batch size naming the field', () => {
      expect(httpRequest.params.safeParse({ url: 'https://x.test', batchSize: -1 }).error?.issues[0].path).toEqual(['batchSize'])
    })
  })
})
