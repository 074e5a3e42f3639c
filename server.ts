// The web process: Next.js (pages + /api route handlers) and the Socket.IO realtime server on one HTTP
// server, with /api/webhooks/* answered ahead of Next (lib/http/webhook-listener.ts). `--realtime-only`
// serves just Socket.IO; `--webhooks-only` serves just webhooks (and /api/health/live), like n8n's webhook
// processes. Start many of any kind behind a load balancer: state lives in PostgreSQL and Redis.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { env } from './lib/env'
import { attachRealtime } from './lib/realtime/server'
import { createWebhookListener, isWebhookRequest } from './lib/http/webhook-listener'
import { appServices, closeAppServices } from './lib/services/app'

const realtimeOnly = process.argv.includes('--realtime-only')
const webhooksOnly = process.argv.includes('--webhooks-only')
const { port, host } = env()
const dev = process.env.NODE_ENV !== 'production'

async function main() {
  let handle: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined
  if (!realtimeOnly && !webhooksOnly) {
    const { default: next } = await import('next')
    const app = next({ dev, hostname: host, port, dir: import.meta.dirname })
    await app.prepare()
    handle = app.getRequestHandler()
  }
  const webhooks = realtimeOnly ? undefined : createWebhookListener(() => ({ ...appServices(), bodyLimitBytes: env().webhook.bodyLimitBytes }))
  const httpServer = createServer((req, res) => {
    if (webhooks && isWebhookRequest(req.url)) return void webhooks(req, res)
    if (handle) return void handle(req, res)
    if (webhooksOnly && req.url === '/api/health/live') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    res.writeHead(404).end()
  })
  const realtime = webhooksOnly ? undefined : attachRealtime(httpServer)
  const mode = realtimeOnly ? ' (realtime only)' : webhooksOnly ? ' (webhooks only)' : ''
  httpServer.listen(port, host, () => console.log(`ready on http://${host}:${port}${mode}`))

  let closing = false
  const close = async () => {
    if (closing) return
    closing = true
    await realtime?.close().catch(() => {})
    httpServer.close(() => void closeAppServices().finally(() => process.exit(0)))
    setTimeout(() => process.exit(0), 5000).unref()
  }
  process.on('SIGTERM', close)
  process.on('SIGINT', close)
}

main().catch((err) => {
  console.error('web: failed to start:', err)
  process.exit(1)
})
