import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeError } from '@/lib/engine/types'
import { createSafeHttpClient, isBlockedIp, parseAllowRule, type SafeHttpClient } from '@/lib/net/ssrf'
import { sendJson, startLocalServer, type LocalServer } from './local-server'

describe('isBlockedIp', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback /8'],
    ['10.0.0.1', 'private 10/8'],
    ['172.16.5.4', 'private 172.16/12'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'cloud metadata (link-local)'],
    ['100.64.0.1', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local with zone'],
    ['fd00::1', 'unique-local'],
    ['fec0::1', 'deprecated site-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['2002:a9fe:a9fe::1', '6to4 of 169.254.169.254'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['not-an-ip', 'garbage fails closed'],
    ['127.1', 'short form is not an address here'],
  ])('blocks %s (%s)', (ip) => {
    expect(isBlockedIp(ip)).toBe(true)
  })

  it.each([['8.8.8.8'], ['1.1.1.1'], ['93.184.216.34'], ['2606:4700:4700::1111'], ['::ffff:8.8.8.8'], ['64:ff9b::808:808'], ['2002:808:808::1']])(
    'allows public %s',
    (ip) => {
      expect(isBlockedIp(ip)).toBe(false)
    },
  )
})

describe('parseAllowRule', () => {
  it.each([
    ['api.internal', { kind: 'host', host: 'api.internal', wildcard: false, port: undefined }],
    ['*.corp.example', { kind: 'host', host: 'corp.example', wildcard: true, port: undefined }],
    ['svc:8080', { kind: 'host', host: 'svc', wildcard: false, port: 8080 }],
  ])('parses %s', (entry, rule) => {
    expect(parseAllowRule(entry)).toEqual(rule)
  })

  it.each([['10.0.0.0/8', 'cidr'], ['fd00::/8', 'cidr'], ['127.0.0.1:4000', 'ip'], ['[::1]:4000', 'ip'], ['::1', 'ip']])('parses %s as %s', (entry, kind) => {
    expect(parseAllowRule(entry).kind).toBe(kind)
  })

  it.each([['host:99999'], ['10.0.0.0/99'], ['bad host!'], ['']])('rejects %j', (entry) => {
    expect(() => parseAllowRule(entry)).toThrow(/Allow-list entry/)
  })
})

describe('createSafeHttpClient', () => {
  let allowed: LocalServer
  let other: LocalServer
  let client: SafeHttpClient

  beforeAll(async () => {
    other = await startLocalServer((_req, res) => sendJson(res, 200, { reached: 'other' }))
    allowed = await startLocalServer((req, res) => {
      if (req.url === '/redirect-other') {
        res.writeHead(302, { location: `${other.origin}/` })
        return void res.end()
      }
      if (req.url === '/redirect-metadata') {
        res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' })
        return void res.end()
      }
      if (req.url === '/redirect-self') {
        res.writeHead(303, { location: '/echo' })
        return void res.end()
      }
      if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' })
        return void res.end()
      }
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain' })
        return void res.end('x'.repeat(5000))
      }
      if (req.url === '/big-chunked') {
        res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' })
        for (let i = 0; i < 10; i++) res.write('y'.repeat(1000))
        return void res.end()
      }
      if (req.url === '/gzip' || req.url === '/bomb') {
        const payload = req.url === '/gzip' ? JSON.stringify({ zipped: true, acceptEncoding: req.headers['accept-encoding'] }) : '0'.repeat(100_000)
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        return void res.end(gzipSync(payload))
      }
      if (req.url === '/not-gzip') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
        return void res.end('plain text pretending')
      }
      if (req.url === '/slow') return void setTimeout(() => sendJson(res, 200, {}), 2000)
      sendJson(res, 200, { method: req.method, url: req.url, contentType: req.headers['content-type'] ?? null, body: req.body })
    })
    client = createSafeHttpClient({ allowList: [allowed.hostPort], maxResponseBytes: 4096 })
  })

  afterAll(async () => {
    await client.close()
    await allowed.close()
    await other.close()
  })

  async function blocked(url: string, c: SafeHttpClient = client): Promise<NodeError> {
    const err = await c.request({ method: 'GET', url }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(NodeError)
    expect(err).toMatchObject({ code: 'SSRF_BLOCKED', retryable: false })
    return err as NodeError
  }

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://[::1]/', '::1'],
    ['http://10.0.0.1/', '10.0.0.1'],
    ['http://172.16.0.1:8080/', '172.16.0.1'],
    ['http://192.168.0.1/', '192.168.0.1'],
    ['http://[fd00::1]/', 'fd00::1'],
  ])('refuses %s before dialling anything', async (url, address) => {
    const err = await blocked(url)
    expect(err.details).toMatchObject({ address, stage: 'url' })
    expect(err.message).toMatch(/AUTERITY_HTTP_ALLOWLIST/)
  })

  it('refuses a hostname that resolves to loopback (localhost)', async () => {
    const err = await blocked('http://localhost/')
    expect(err.details).toMatchObject({ host: 'localhost', stage: 'dns' })
  })

  it('checks the address actually dialled, so a rebinding name pointing inside is refused', async () => {
    const rebinding = createSafeHttpClient({ resolve: async () => ['127.0.0.1'], allowList: [] })
    const err = await blocked(`http://rebind.example:${allowed.port}/`, rebinding)
    expect(err.message).toContain('rebind.example (127.0.0.1)')
    await rebinding.close()
  })

  it('dials the vetted address it resolved, never a second lookup', async () => {
    const pinned = createSafeHttpClient({ resolve: async () => ['127.0.0.1'], allowList: [allowed.hostPort] })
    const res = await pinned.request({ method: 'GET', url: `http://no-such-host.invalid:${allowed.port}/echo` })
    expect(JSON.parse(Buffer.from(res.body).toString())).toMatchObject({ url: '/echo' })
    expect(allowed.received.at(-1)?.headers.host).toBe(`no-such-host.invalid:${allowed.port}`)
    await pinned.close()
  })

  it('allow-lists exactly one host:port: a redirect to another local port is refused', async () => {
    await blocked(`${allowed.origin}/redirect-other`)
    expect(other.received).toHaveLength(0)
  })

  it('re-checks redirects towards cloud metadata', async () => {
    const err = await blocked(`${allowed.origin}/redirect-metadata`)
    expect(err.details).toMatchObject({ address: '169.254.169.254' })
  })

  it('allowPrivateNetworks opens loopback but never link-local metadata', async () => {
    const open = createSafeHttpClient({ allowPrivateNetworks: true })
    const res = await open.request({ method: 'GET', url: `${other.origin}/` })
    expect(res.status).toBe(200)
    await blocked('http://169.254.169.254/', open)
    await open.close()
  })

  it.each([['file:///etc/passwd'], ['ftp://example.com/'], ['gopher://127.0.0.1/']])('refuses non-http scheme %s', async (url) => {
    await expect(client.request({ method: 'GET', url })).rejects.toMatchObject({ code: 'HTTP_BAD_URL', retryable: false })
  })

  it('GETs JSON from an allow-listed server with query parameters', async () => {
    const res = await client.request({ method: 'GET', url: `${allowed.origin}/echo?a=1`, query: { b: 'two words' } })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(JSON.parse(Buffer.from(res.body).toString())).toMatchObject({ method: 'GET', url: '/echo?a=1&b=two+words' })
  })

  it.each([
    ['application/json', JSON.stringify({ hello: 'world' })],
    ['application/x-www-form-urlencoded', 'a=1&b=two+words'],
  ])('POSTs a %s body', async (contentType, body) => {
    const res = await client.request({ method: 'POST', url: `${allowed.origin}/echo`, headers: { 'content-type': contentType }, body })
    expect(JSON.parse(Buffer.from(res.body).toString())).toEqual({ method: 'POST', url: '/echo', contentType, body })
  })

  it('follows a 303 as GET and reports the final URL', async () => {
    const res = await client.request({ method: 'POST', url: `${allowed.origin}/redirect-self`, body: 'x', headers: { 'content-type': 'text/plain' } })
    expect(JSON.parse(Buffer.from(res.body).toString())).toMatchObject({ method: 'GET', url: '/echo', body: '' })
    expect(res.url).toBe(`${allowed.origin}/echo`)
  })

  it('returns the 3xx itself when maxRedirects is 0', async () => {
    const res = await client.request({ method: 'GET', url: `${allowed.origin}/redirect-self`, maxRedirects: 0 })
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('/echo')
  })

  it('stops redirect loops', async () => {
    await expect(client.request({ method: 'GET', url: `${allowed.origin}/loop`, maxRedirects: 3 })).rejects.toMatchObject({ code: 'HTTP_TOO_MANY_REDIRECTS' })
  })

  it.each([['/big'], ['/big-chunked']])('refuses a response body over maxResponseBytes (%s)', async (path) => {
    await expect(client.request({ method: 'GET', url: `${allowed.origin}${path}` })).rejects.toMatchObject({
      code: 'HTTP_RESPONSE_TOO_LARGE',
      message: expect.stringContaining('4096 bytes'),
    })
  })

  it('decodes a gzip response and drops the wire-only headers', async () => {
    const res = await client.request({ method: 'GET', url: `${allowed.origin}/gzip` })
    expect(JSON.parse(Buffer.from(res.body).toString())).toEqual({ zipped: true, acceptEncoding: 'gzip, deflate, br' })
    expect(res.headers['content-encoding']).toBeUndefined()
  })

  it('counts decoded bytes, so a compression bomb is cut off', async () => {
    await expect(client.request({ method: 'GET', url: `${allowed.origin}/bomb` })).rejects.toMatchObject({ code: 'HTTP_RESPONSE_TOO_LARGE' })
  })

  it('reports a body that does not match its content-encoding', async () => {
    await expect(client.request({ method: 'GET', url: `${allowed.origin}/not-gzip` })).rejects.toMatchObject({ code: 'HTTP_BAD_ENCODING' })
  })

  it('times out with a retryable error', async () => {
    await expect(client.request({ method: 'GET', url: `${allowed.origin}/slow`, timeoutMs: 100 })).rejects.toMatchObject({ code: 'HTTP_TIMEOUT', retryable: true })
  })

  it('cancellation through spec.signal rejects with the abort reason', async () => {
    const controller = new AbortController()
    const pending = client.request({ method: 'GET', url: `${allowed.origin}/slow`, signal: controller.signal })
    controller.abort(new Error('canceled by user'))
    await expect(pending).rejects.toThrow('canceled by user')
  })

  it('reports a refused connection as a retryable network error', async () => {
    const dead = await startLocalServer(() => undefined)
    await dead.close()
    const c = createSafeHttpClient({ allowList: [dead.hostPort] })
    await expect(c.request({ method: 'GET', url: `${dead.origin}/` })).rejects.toMatchObject({ code: 'HTTP_NETWORK_ERROR', retryable: true })
    await c.close()
  })
})
