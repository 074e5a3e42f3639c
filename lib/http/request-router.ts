// Which part of a process answers a request: the webhook listener, Next (the studio), a liveness answer, the metrics
// (processes without Next), or nobody. With a public webhook origin (AUTERITY_WEBHOOK_URL) its host answers webhooks and nothing else, and the
// studio's hosts answer no webhooks: a page a workflow answers then never shares an origin with the studio, so
// the browser keeps the studio's cookies, storage and API out of its reach.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isWebhookRequest } from './webhook-listener'
import { WEBHOOK_ANSWER_PROTECTIONS } from './webhook-headers'
import { stampClientIp } from './client-ip'

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown

/** The public webhook origin, matched against a request's Host header (a proxy in front must pass it through). */
export class WebhookOrigin {
  private readonly hosts: ReadonlySet<string>

  constructor(readonly url: string) {
    const u = new URL(url)
    // Clients leave the default port out of Host, but may write it.
    this.hosts = new Set([u.host, `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`])
  }

  matches(host: string | null | undefined): boolean {
    return host != null && this.hosts.has(host.toLowerCase())
  }
}

export interface RouterParts {
  /** This process answers webhooks (server.ts unless --realtime-only). */
  webhooks?: Handler
  /** This process serves the studio through Next (server.ts without --webhooks-only / --realtime-only). */
  studio?: Handler
  webhookOrigin?: WebhookOrigin
  /** AUTERITY_TRUST_PROXY: the caller's address is the last X-Forwarded-For entry, not the socket's. */
  trustProxy?: boolean
  /** GET /api/metrics where Next does not answer it (./metrics-listener.ts). */
  metrics?: Handler
}

export const LIVENESS_PATH = '/api/health/live'
export const METRICS_PATH = '/api/metrics'

export const misdirectedWebhook = (webhookUrl: string) => `Webhooks are answered on ${webhookUrl}, not on this host`

export function createRequestRouter({ webhooks, studio, webhookOrigin, metrics, trustProxy = false }: RouterParts): Handler {
  const misdirected = webhookOrigin && misdirectedWebhook(webhookOrigin.url)
  const webhooksOnlyHere = webhookOrigin && `${webhookOrigin.url} answers webhooks only`
  return (req, res) => {
    const onWebhookHost = webhookOrigin?.matches(req.headers.host)
    if (isWebhookRequest(req.url)) {
      if (webhooks && onWebhookHost !== false) return webhooks(req, res)
      return notFound(res, misdirected ?? 'Not found')
    }
    if (studio && !onWebhookHost) {
      stampClientIp(req, trustProxy)
      return studio(req, res)
    }
    if (metrics && !onWebhookHost && req.url?.split('?')[0] === METRICS_PATH) return metrics(req, res)
    if (webhooks && req.url === LIVENESS_PATH) return reply(res, 200, { ok: true })
    notFound(res, (onWebhookHost && webhooksOnlyHere) || 'Not found')
  }
}

function notFound(res: ServerResponse, message: string): void {
  reply(res, 404, { error: { code: 'NOT_FOUND', message } })
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', ...WEBHOOK_ANSWER_PROTECTIONS }).end(JSON.stringify(body))
}
