// The outbound guard for browsers: a small HTTP proxy on 127.0.0.1 that a run's browser context sends all its traffic
// through (navigations, subresources, redirect hops, WebSockets, fetches by page scripts, form posts). Each target is
// vetted by the TCP guard (the HTTP node's policy) and dialled at the vetted address, so a DNS answer cannot change
// between check and connect. Playwright's route interception does not see redirect hops (as designed upstream), and
// the browser resolves names itself; the proxy sees both. One listener per context, so a refusal belongs to exactly
// one run: a step can say which address was refused (rather than the browser's "tunnel connection failed") without
// ever naming another run's.
import http from 'node:http'
import net from 'node:net'
import type { Duplex } from 'node:stream'
import { NodeError } from '../engine/types'
import type { TcpGuard } from '../net/tcp-guard'

export interface GuardProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** This context's latest refusal since `since` (ms epoch), if any (to explain a failed navigation). */
  lastRefusal(since: number): NodeError | undefined
  close(): Promise<void>
}

/** Marks answers the proxy made itself (not the site's). */
export const BLOCKED_HEADER = 'x-auterity-blocked'
const HOP_HEADERS = ['proxy-authorization', 'proxy-connection', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade']

function splitHostPort(authority: string, defaultPort: number): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(authority) ?? /^([^:]+)(?::(\d+))?$/.exec(authority)
  if (!m) return { host: authority, port: defaultPort }
  return { host: m[1], port: m[2] ? Number(m[2]) : defaultPort }
}

export async function startGuardProxy(guard: TcpGuard): Promise<GuardProxy> {
  let last: { err: NodeError; at: number } | undefined
  const sockets = new Set<Duplex>()
  const vet = async (host: string, port: number): Promise<string | NodeError> => {
    try {
      return await guard.vet(host, port, 'url')
    } catch (err) {
      const e = err instanceof NodeError ? err : new NodeError(`Could not reach ${host}:${port}: ${(err as Error).message}`, { code: 'BROWSER_NETWORK' })
      last = { err: e, at: Date.now() }
      return e
    }
  }
  const track = (s: Duplex) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  }

  const server = http.createServer(async (req, res) => {
    let target: URL
    try {
      target = new URL(req.url ?? '')
      if (target.protocol !== 'http:') throw new Error('not http')
    } catch {
      res.writeHead(400, { [BLOCKED_HEADER]: 'bad-request' }).end('This proxy forwards absolute http:// URLs only')
      return
    }
    const port = Number(target.port) || 80
    const vetted = await vet(target.hostname.replace(/^\[|\]$/g, ''), port)
    if (vetted instanceof NodeError) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', [BLOCKED_HEADER]: vetted.code }).end(vetted.message)
      return
    }
    const headers = { ...req.headers }
    for (const h of HOP_HEADERS) delete headers[h]
    const upstream = http.request({ host: vetted, port, method: req.method, path: target.pathname + target.search, headers, setHost: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`Upstream error: ${err.message}`)
      else res.destroy()
    })
    req.pipe(upstream)
  })
  server.on('connection', track)
  // HTTPS and WebSockets: a tunnel to the vetted address; the browser checks the certificate against the name.
  server.on('connect', async (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    client.on('error', () => undefined)
    const { host, port } = splitHostPort(req.url ?? '', 443)
    const vetted = await vet(host, port)
    if (vetted instanceof NodeError) {
      client.end(`HTTP/1.1 403 Forbidden\r\n${BLOCKED_HEADER}: ${vetted.code}\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    const upstream = net.connect(port, vetted, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    track(upstream)
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    lastRefusal: (since) => (last && last.at >= since ? last.err : undefined),
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
