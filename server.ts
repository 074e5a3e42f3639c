// The web process: Next.js (pages + /api route handlers) and the Socket.IO realtime server on one HTTP
// server, with /api/webhooks/* answered ahead of Next (lib/http/webhook-listener.ts). `--realtime-only`
// serves just Socket.IO; `--webhooks-only` serves just webhooks (and /api/health/live and /api/metrics), like n8n's webhook
// processes. With AUTERITY_WEBHOOK_URL, webhooks are answered only on its host and nothing else is
// (lib/http/request-router.ts). Start many of any kind behind a load balancer: state lives in PostgreSQL and Redis.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { env } from './lib/env'
import { attachRealtime } from './lib/realtime/server'
import { createRequestRouter, WebhookOrigin } from './lib/http/request-router'
import { createWebhookListener } from './lib/http/webhook-listener'
import { createMetricsListener } from './lib/http/metrics-listener'
import { closeAppServices } from './lib/services/app'
import { webhookDeps } from './lib/composition/web-services'
import { log } from './lib/log'
import { projectRoot } from './lib/paths'
import { startTracing } from './lib/telemetry/tracing'
import { startIdleGc } from './lib/infra/idle-gc'

const realtimeOnly = process.argv.includes('--realtime-only')
const webhooksOnly = process.argv.includes('--webhooks-only')
const { port, host, webhook } = env()
const logger = log.child({ component: 'web' })
const webhookOrigin = webhook.publicUrl ? new WebhookOrigin(webhook.publicUrl) : undefined
const dev = process.env.NODE_ENV !== 'production'

// Before Next loads: it opens its own request spans when a tracer provider is registered. Off without an OTLP endpoint.
const tracing = await startTracing({ tracesUrl: env().tracing.tracesUrl, serviceName: env().tracing.serviceName ?? 'auterity-web' })

async function main() {
  let handle: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined
  if (!realtimeOnly && !webhooksOnly) {
    const { default: next } = await import('next')
    const app = next({ dev, hostname: host, port, dir: projectRoot })
    await app.prepare()
    handle = app.getRequestHandler()
  }
  const webhooks = realtimeOnly ? undefined : createWebhookListener(webhookDeps)
  // Without Next (--webhooks-only, --realtime-only) the metrics are answered here; with it, by app/api/metrics.
  const metrics = handle ? undefined : createMetricsListener()
  const httpServer = createServer(createRequestRouter({ webhooks, studio: handle, webhookOrigin, metrics, trustProxy: webhook.trustProxy }))
  const realtime = webhooksOnly ? undefined : attachRealtime(httpServer, { acceptsHost: (h) => !webhookOrigin?.matches(h) })
  const mode = realtimeOnly ? ' (realtime only)' : webhooksOnly ? ' (webhooks only)' : ''
  httpServer.listen(port, host, () => logger.info({ url: `http://${host}:${port}`, mode: mode.trim() || 'studio' }, 'web ready'))
  // After start-up (Next's loading) and after each burst of requests, the heap goes back to what the process holds.
  const idleGc = startIdleGc({ onCollect: (c) => logger.debug({ heapMb: Math.round(c.afterMb), freedMb: Math.round(c.beforeMb - c.afterMb), ms: Math.round(c.ms) }, 'idle: heap collected') })

  let closing = false
  const close = async () => {
    if (closing) return
    closing = true
    idleGc.stop()
    await realtime?.close().catch(() => {})
    httpServer.close(() => void closeAppServices().then(() => tracing.stop()).finally(() => process.exit(0)))
    setTimeout(() => process.exit(0), 5000).unref()
  }
  process.on('SIGTERM', close)
  process.on('SIGINT', close)
}

main().catch((err) => {
  logger.fatal({ err }, 'web failed to start')
  process.exit(1)
})
