// The worker's metrics listener: GET /metrics on its own port (AUTERITY_METRICS_PORT), bound to loopback unless
// AUTERITY_METRICS_HOST says otherwise, with the bearer-token rule of ./scrape.ts when a token is set. Workers have no
// other HTTP server; this one answers nothing but the metrics.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Metrics } from './metrics'
import { scrapeAccess } from './scrape'
import { log } from '../log'

export interface MetricsServerOptions {
  metrics: Metrics
  port: number
  host: string
  token?: string
}

export interface MetricsServer {
  /** The bound port (the configured one, or the one the system chose for 0). */
  port: number
  close(): Promise<void>
}

export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the metrics are at GET /metrics\n')
      return
    }
    if (scrapeAccess(req.headers.authorization, opts.token, { open: true }) !== 'allowed') {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('Unauthorized\n')
      return
    }
    opts.metrics.scrape().then(
      (text) => res.writeHead(200, { 'content-type': opts.metrics.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      (err: Error) => {
        log.error({ component: 'metrics', err }, 'metrics scrape failed')
        res.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics could not be collected\n')
      },
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections() // a scraper's keep-alive connection would hold the close
      }),
  }
}
