// Serves Next route handlers on a plain node:http server so real SDK clients can call them in tests.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response

export async function serveRoutes(routes: Record<string, Partial<Record<'GET' | 'POST', Handler>>>) {
  const server = http.createServer(async (req, res) => {
    const url = `http://${req.headers.host}${req.url}`
    const path = new URL(url).pathname
    const handler = routes[path]?.[req.method as 'GET' | 'POST']
    if (!handler) {
      res.writeHead(404).end()
      return
    }
    const abort = new AbortController()
    res.on('close', () => abort.abort())
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const request = new Request(url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
      signal: abort.signal,
      // @ts-expect-error undici needs duplex for streamed bodies
      duplex: 'half',
    })
    const response = await handler(request, { params: Promise.resolve({}) })
    res.writeHead(response.status, Object.fromEntries(response.headers))
    if (!response.body) return res.end()
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk)
    res.end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) }
}
