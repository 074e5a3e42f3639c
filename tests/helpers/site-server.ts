// Pages for browser tests: a tiny site on 127.0.0.1 served by the test itself (routes are handlers keyed by path).
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type SiteRoute = string | ((req: http.IncomingMessage, res: http.ServerResponse, body: string) => void)

export interface Site {
  url: string
  port: number
  /** Requests seen, by path (what the browser actually asked for). */
  hits: string[]
  routes: Map<string, SiteRoute>
  close(): Promise<void>
}

export const html = (body: string, title = 'Test page') => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`

/** Serves `routes` (path → HTML string, or a handler); anything else is a 404. */
export async function startSite(routes: Record<string, SiteRoute> = {}): Promise<Site> {
  const table = new Map(Object.entries(routes))
  const hits: string[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x')
      hits.push(u.pathname + u.search)
      const route = table.get(u.pathname)
      if (route === undefined) {
        res.writeHead(404, { 'content-type': 'text/html' }).end(html('<h1>Not found</h1>', 'Not found'))
        return
      }
      if (typeof route === 'string') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(route)
        return
      }
      route(req, res, Buffer.concat(chunks).toString('utf8'))
    })
  })
  const sockets = new Set<import('node:net').Socket>()
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    routes: table,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
