// A local HTTP server the workflows under test call through the HTTP Request node (allow-listed for the
// SSRF guard through AUTERITY_HTTP_ALLOWLIST). Runs in the Playwright runner process for the whole session.
//   GET  /users            → [{ id, name, email, score }] × 3
//   GET  /items?count=N    → N items (big outputs for paging)
//   GET  /slow?ms=N        → { ok: true } after N ms
//   ANY  /echo             → { method, path, query, headers, body }
//   GET  /flaky/:key       → 500 until POST /flaky/:key/fix, then { fixed: true, key }
//   GET  /html/box         → an HTML page with a 160×90 box #box (for browser nodes: Screenshot)
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export const USERS = [
  { id: 1, name: 'Ada Lovelace', email: 'ada@example.test', score: 92 },
  { id: 2, name: 'Alan Turing', email: 'alan@example.test', score: 41 },
  { id: 3, name: 'Grace Hopper', email: 'grace@example.test', score: 77 },
]

export interface TestServer {
  url: string
  hostPort: string
  close(): Promise<void>
}

export async function startTestServer(): Promise<TestServer> {
  const fixed = new Set<string>()
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    let raw = ''
    req.on('data', (c: Buffer) => (raw += c.toString()))
    req.on('end', () => {
      const flaky = /^\/flaky\/([\w-]+)(\/fix)?$/.exec(url.pathname)
      if (url.pathname === '/users') return send(200, USERS)
      if (url.pathname === '/items') {
        const count = Math.min(100_000, Number(url.searchParams.get('count') ?? 10))
        return send(200, Array.from({ length: count }, (_, i) => ({ index: i, label: `item ${i}`, even: i % 2 === 0 })))
      }
      if (url.pathname === '/slow') return void setTimeout(() => send(200, { ok: true }), Number(url.searchParams.get('ms') ?? 1000))
      if (url.pathname === '/echo') {
        let body: unknown = raw
        try {
          body = raw ? JSON.parse(raw) : null
        } catch {
          // not JSON: echo the text
        }
        return send(200, { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body })
      }
      if (flaky && flaky[2] && req.method === 'POST') {
        fixed.add(flaky[1])
        return send(200, { ok: true })
      }
      if (flaky) return fixed.has(flaky[1]) ? send(200, { fixed: true, key: flaky[1] }) : send(500, { error: `flaky ${flaky[1]} is broken` })
      if (url.pathname === '/html/box') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        return void res.end('<!doctype html><html><head><title>Box</title></head><body style="margin:0"><div id="box" style="width:160px;height:90px;margin:20px;background:linear-gradient(90deg,#c33,#33c)"></div></body></html>')
      }
      send(404, { error: 'not found' })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
