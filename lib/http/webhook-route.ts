// The route handlers of app/api/webhooks and app/api/webhooks-test (server.ts answers both paths itself, ahead of
// Next: lib/http/webhook-listener.ts). They serve `next dev` and hosts that run Next on its own, and refuse, like
// server.ts, webhooks outside AUTERITY_WEBHOOK_URL's host.
import { route } from './route'
import { env } from '../env'
import { AppError } from '../errors'
import { misdirectedWebhook, WebhookOrigin } from './request-router'
import { WEBHOOK_ANSWER_PROTECTIONS } from './webhook-headers'
import { handleWebhook } from '../services/webhook-ingress'
import { webhookDeps } from '../composition/web-services'

type Ctx = { params: Promise<{ path: string[] }> }

export function webhookRouteHandler(opts: { test: boolean }): (req: Request, ctx: Ctx) => Promise<Response> {
  const answer = route<Ctx>(async (req, ctx) => {
    const { path } = await ctx.params
    const { publicUrl } = env().webhook
    if (publicUrl && !new WebhookOrigin(publicUrl).matches(req.headers.get('host'))) {
      throw new AppError(404, 'NOT_FOUND', misdirectedWebhook(publicUrl))
    }
    const body = req.body
    const reply = await handleWebhook(
      webhookDeps(),
      {
        method: req.method,
        query: new URL(req.url).search.slice(1),
        headers: Object.fromEntries(req.headers),
        body: body as unknown as AsyncIterable<Uint8Array> | null,
        abortBody: () => void body?.cancel().catch(() => undefined),
      },
      path.join('/'),
      opts,
    )
    return new Response(reply.body, { status: reply.status, headers: reply.headers })
  }, { webhook: opts.test ? 'test' : 'production' })
  // Error answers (built by route()) get the protections too.
  return async (req, ctx) => {
    const res = await answer(req, ctx)
    for (const name in WEBHOOK_ANSWER_PROTECTIONS) res.headers.set(name, WEBHOOK_ANSWER_PROTECTIONS[name])
    return res
  }
}
