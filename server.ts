// The web process: Next.js (pages + /api route handlers) and the Socket.IO realtime server on one HTTP
// server. `--realtime-only` serves just Socket.IO (for scaling realtime separately). Start many of
// either behind a load balancer: state lives in PostgreSQL and Redis.
import { createServer } from 'node:http'
import { env } from './lib/env'
import { attachRealtime } from './lib/realtime/server'

const realtimeOnly = process.argv.includes('--realtime-only')
const { port, host } = env()
const dev = process.env.NODE_ENV !== 'production'

async function main() {
  let handle: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void>) | undefined
  if (!realtimeOnly) {
    const { default: next } = await import('next')
    const app = next({ dev, hostname: host, port, dir: import.meta.dirname })
    await app.prepare()
    handle = app.getRequestHandler()
  }
  const httpServer = createServer((req, res) => {
    if (handle) return void handle(req, res)
    res.writeHead(404).end()
  })
  const realtime = attachRealtime(httpServer)
  httpServer.listen(port, host, () => console.log(`ready on http://${host}:${port}${realtimeOnly ? ' (realtime only)' : ''}`))

  let closing = false
  const close = async () => {
    if (closing) return
    closing = true
    await realtime.close().catch(() => {})
    httpServer.close(() => process.exit(0))
    setTimeout(() => process.exit(0), 5000).unref()
  }
  process.on('SIGTERM', close)
  process.on('SIGINT', close)
}

main().catch((err) => {
  console.error('web: failed to start:', err)
  process.exit(1)
})
