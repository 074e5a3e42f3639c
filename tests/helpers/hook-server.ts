// A real HTTP server in front of the app's route handlers (app/api/**/route.ts), for tests where a fake provider
// must call the studio back over HTTP (status callbacks, inbound messages, call legs, media fetches). Routes are
// given as Next path patterns (`/api/hooks/twilio/status/[messageId]`) with their modules; the server becomes the
// studio's public origin (NEXTAUTH_URL, env reset) so the URLs the app announces and checks signatures against
// are its own. Restores the previous public URL on close.
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { resetEnv } from '@/lib/env'

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response

export type RouteModule = Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', Handler>>

export interface HookServer {
  url: string
  /** Requests seen: method, path (with query), status answered. */
  seen: { method: string; path: string; status: number }[]
  close(): Promise<void>
}

function compile(pattern: string): { re: RegExp; names: { name: string; rest: boolean }[] } {
  const names: { name: string; rest: boolean }[] = []
  const re = pattern
    .split('/')
    .map((seg) => {
      const rest = seg.match(/^\[\.\.\.(\w+)\]$/)
      if (rest) {
        names.push({ name: rest[1], rest: true })
        return '(.+)'
      }
      const one = seg.match(/^\[(\w+)\]$/)
      if (one) {
        names.push({ name: one[1], rest: false })
        return '([^/]+)'
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return { re: new RegExp(`^${re}$`), names }
}

export async function startHookServer(routes: Record<string, RouteModule>): Promise<HookServer> {
  const table = Object.entries(routes).map(([pattern, mod]) => ({ ...compile(pattern), mod }))
  const seen: HookServer['seen'] = []
  const sockets = new Set<Socket>()
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    let status = 404
    try {
      for (const r of table) {
        const m = url.pathname.match(r.re)
        const handler = m && r.mod[req.method as keyof RouteModule]
        if (!m || !handler) continue
        const params: Record<string, string | string[]> = {}
        r.names.forEach((n, i) => (params[n.name] = n.rest ? m[i + 1].split('/').map(decodeURIComponent) : decodeURIComponent(m[i + 1])))
        const headers = new Headers()
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
        const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined
        const answer = await handler(new Request(url, { method: req.method, headers, body }), { params: Promise.resolve(params) })
        status = answer.status
        const out = Buffer.from(await answer.arrayBuffer())
        res.writeHead(answer.status, Object.fromEntries(answer.headers))
        res.end(out)
        return
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NOT_FOUND"}}')
    } catch (err) {
      status = 500
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err))
    } finally {
      seen.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, status })
    }
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const previous = process.env.NEXTAUTH_URL
  process.env.NEXTAUTH_URL = origin
  resetEnv()
  return {
    url: origin,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        if (previous === undefined) delete process.env.NEXTAUTH_URL
        else process.env.NEXTAUTH_URL = previous
        resetEnv()
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
