// The fetch handed to AI SDKs: same guard as the HTTP node (addresses checked where the socket is dialled,
// every redirect re-checked, nothing secret carried to another origin), with a streaming Response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeError } from '@/lib/engine/types'
import { createGuardedFetch, type GuardedFetch } from '@/lib/net/ssrf'
import { sendJson, startLocalServer, type LocalServer } from './local-server'

let api: LocalServer
let other: LocalServer
let internal: LocalServer
let guarded: GuardedFetch

beforeAll(async () => {
  internal = await startLocalServer((_req, res) => sendJson(res, 200, { secret: 'internal' }))
  other = await startLocalServer((req, res) => sendJson(res, 200, { headers: req.headers }))
  api = await startLocalServer((req, res) => {
    const url = new URL(req.url, 'http://x')
    if (url.pathname === '/to') {
      res.writeHead(307, { location: url.searchParams.get('url')! })
      return void res.end()
    }
    if (url.pathname === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('data: one\n\n')
      return void setTimeout(() => res.end('data: two\n\n'), 20)
    }
    if (url.pathname === '/empty') return void res.writeHead(204).end()
    sendJson(res, 200, { method: req.method, body: req.body, headers: req.headers })
  })
  guarded = createGuardedFetch({ allowList: [api.hostPort, other.hostPort], field: 'baseUrl' })
})
afterAll(async () => {
  await guarded.close()
  await Promise.all([api.close(), other.close(), internal.close()])
})

async function refusal(promise: Promise<unknown>): Promise<NodeError> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(NodeError)
  return err as NodeError
}

describe('createGuardedFetch', () => {
  it('POSTs a JSON body and returns a normal Response', async () => {
    const res = await guarded.fetch(`${api.origin}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer k' }, body: '{"a":1}' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { authorization: 'Bearer k', 'content-type': 'application/json' } })
  })

  it('streams the response body as it arrives', async () => {
    const res = await guarded.fetch(`${api.origin}/stream`)
    const reader = res.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toBe('data: one\n\n')
    let rest = ''
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value)
    expect(rest).toBe('data: two\n\n')
  })

  it('answers a 204 with no body', async () => {
    const res = await guarded.fetch(`${api.origin}/empty`, { method: 'DELETE' })
    expect(res.status).toBe(204)
    expect(res.body).toBeNull()
  })

  it('refuses a loopback port that is not allow-listed, naming the field, before sending', async () => {
    const err = await refusal(guarded.fetch(`${internal.origin}/v1/models/x`))
    expect(err).toMatchObject({ code: 'SSRF_BLOCKED', field: 'baseUrl', retryable: false })
    expect(err.message).toMatch(/Blocked request to 127\.0\.0\.1 \(baseUrl\)/)
    expect(internal.received).toHaveLength(0)
  })

  it('re-checks redirects: an allow-listed server cannot bounce the call inside', async () => {
    const err = await refusal(guarded.fetch(`${api.origin}/to?url=${encodeURIComponent(`${internal.origin}/`)}`))
    expect(err).toMatchObject({ code: 'SSRF_BLOCKED' })
    expect(internal.received).toHaveLength(0)
  })

  it('checks the address it dials, so a name resolving to loopback is refused', async () => {
    const rebinding = createGuardedFetch({ resolve: async () => ['127.0.0.1'], field: 'baseUrl' })
    try {
      await refusal(rebinding.fetch(`http://llm.example.com:${internal.port}/v1`))
      expect(internal.received).toHaveLength(0)
    } finally {
      await rebinding.close()
    }
  })

  it('carries no API key or custom header to another origin on a redirect', async () => {
    const res = await guarded.fetch(`${api.origin}/to?url=${encodeURIComponent(`${other.origin}/landing`)}`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-secret', authorization: 'Bearer sk-secret', 'x-org-token': 'custom-secret', 'content-type': 'application/json' },
      body: '{}',
    })
    const { headers } = (await res.json()) as { headers: Record<string, string> }
    expect(JSON.stringify(headers)).not.toMatch(/secret/)
    expect(headers['content-type']).toBe('application/json')
  })
})
