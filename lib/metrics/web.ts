// The web process's metrics: one registry per process, kept in the holder of lib/composition/web.ts (server.ts's
// webhook listener and Next's route handlers load this module separately, and `next dev` reloads it; both must count
// into the same registry). GET /api/metrics answers with it (./scrape.ts decides who may).
import { webProcess } from '../composition/web'
import { env } from '../env'
import { AppError } from '../errors'
import { createMetrics, type Metrics } from './metrics'
import { watchDatabasePools } from './database'
import { scrapeAccess } from './scrape'

export function webMetrics(): Metrics {
  const web = webProcess()
  if (!web.metrics) {
    const metrics = createMetrics()
    watchDatabasePools(metrics, () => web.prisma)
    web.metrics = metrics
  }
  return web.metrics
}

/**
 * The answer to a scrape of GET /api/metrics: without AUTERITY_METRICS_TOKEN the route does not exist (404, so a
 * default install shows nothing), with it a request must carry it as a bearer token (401 otherwise).
 */
export async function scrapeWebMetrics(authorization: string | null): Promise<Response> {
  const access = scrapeAccess(authorization, env().metrics.token)
  if (access === 'disabled') throw new AppError(404, 'NOT_FOUND', 'Metrics are off: set AUTERITY_METRICS_TOKEN to turn them on')
  if (access === 'unauthorized') throw new AppError(401, 'UNAUTHORIZED', 'Send Authorization: Bearer <AUTERITY_METRICS_TOKEN>')
  const metrics = webMetrics()
  return new Response(await metrics.scrape(), { headers: { 'content-type': metrics.contentType, 'cache-control': 'no-store' } })
}
