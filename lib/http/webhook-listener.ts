// /api/webhooks/* on node:http, ahead of Next's router: the hottest public path skips Next's request handling
// (route matching, Web Request/Response wrapping) and runs the same ingress as app/api/webhooks. server.ts sends
// webhook requests here; the route handler stays for `next dev` and for hosts that run Next alone.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { errorResponse } from './route'
import { ValidationError } from '../errors'
import { handleWebhook, type WebhookDeps, type WebhookReply, type WebhookRequest } from '../services/webhook-ingress'
import { WEBHOOK_ANSWER_PROTECTIONS } from './webhook-headers'
import { webMetrics } from '../metrics/web'
import { tracingOn } from '../telemetry/spans'
import { traceRequest } from '../telemetry/http-server'

export const WEBHOOK_PREFIX = '/api/webhooks/'
/** The designer's test URLs (lib/services/webhook-test.ts): same ingress, the newest draft, once. */
export const TEST_WEBHOOK_PREFIX = '/api/webhooks-test/'

export function isWebhookRequest(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith(WEBHOOK_PREFIX) || url.startsWith(TEST_WEBHOOK_PREFIX))
}

/** A request handler for node:http; `deps` is read per request (so tests and hosts can swap configuration). */
export function createWebhookListener(deps: () => WebhookDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const listen = answerWebhook(deps)
  return async (req, res) => {
    if (!tracingOn()) return listen(req, res)
    // The request's span: the run the webhook starts continues its trace (lib/telemetry).
    const route = { method: req.method ?? 'GET', url: `http://localhost${(req.url ?? '/').replace(/^(\/api\/webhooks(-test)?\/).*$/, '$1[...path]')}`, headers: req.headers }
    await traceRequest(route, undefined, async () => {
      await listen(req, res)
      return { status: res.statusCode }
    })
  }
}

function answerWebhook(deps: () => WebhookDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const started = performance.now()
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const test = url.startsWith(TEST_WEBHOOK_PREFIX)
    let reply: WebhookReply
    let bodyAborted = false
    try {
      const rawPath = decodeURIComponent((q < 0 ? url : url.slice(0, q)).slice((test ? TEST_WEBHOOK_PREFIX : WEBHOOK_PREFIX).length))
      const request: WebhookRequest = {
        method: req.method ?? 'GET',
        query: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers,
        // Stopping early (over the limit) must not destroy the socket before the 413 is written.
        remoteAddress: req.socket.remoteAddress,
        body: req.method === 'GET' || req.method === 'HEAD' ? null : { [Symbol.asyncIterator]: () => req.iterator({ destroyOnReturn: false }) },
        abortBody: () => {
          bodyAborted = true
          req.pause()
        },
      }
      reply = await handleWebhook(deps(), request, rawPath, { test })
    } catch (err) {
      reply = await fromResponse(errorResponse(err instanceof URIError ? new ValidationError('Malformed webhook path', { path: 'bad percent-encoding' }) : err))
    }
    // A body we stopped reading cannot be drained cheaply: answer, then close the connection.
    if (bodyAborted) reply.headers.connection = 'close'
    res.writeHead(reply.status, reply.headers)
    res.end(reply.body ?? undefined)
    webMetrics().webhookRequest(test ? 'test' : 'production', req.method ?? 'GET', reply.status, (performance.now() - started) / 1000)
    if (bodyAborted) res.once('finish', () => req.socket.destroySoon())
  }
}

async function fromResponse(r: Response): Promise<WebhookReply> {
  return { status: r.status, headers: { ...Object.fromEntries(r.headers), ...WEBHOOK_ANSWER_PROTECTIONS }, body: await r.text() }
}
