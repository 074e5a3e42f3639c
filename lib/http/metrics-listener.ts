// GET /api/metrics on node:http, for the processes that run without Next (server.ts --webhooks-only and
// --realtime-only): the same answer as app/api/metrics (lib/metrics/web.ts), so every web process can be scraped.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { errorResponse } from './route'
import { scrapeWebMetrics } from '../metrics/web'

export function createMetricsListener(): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let answer: Response
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') answer = Response.json({ error: { code: 'METHOD_NOT_ALLOWED', message: 'GET /api/metrics' } }, { status: 405 })
      else answer = await scrapeWebMetrics(req.headers.authorization ?? null)
    } catch (err) {
      answer = errorResponse(err)
    }
    res.writeHead(answer.status, Object.fromEntries(answer.headers))
    res.end(req.method === 'HEAD' ? undefined : await answer.text())
  }
}
