// Public webhook entry: no session or API key — the path is the secret. See lib/services/webhook-ingress.ts.
// server.ts answers /api/webhooks/* before Next (lib/http/webhook-listener.ts); this route serves `next dev`
// and hosts that run Next on its own, and refuses, like server.ts, webhooks outside AUTERITY_WEBHOOK_URL's host.
import { route } from '@/lib/http/route'
import { env } from '@/lib/env'
import { AppError } from '@/lib/errors'
import { misdirectedWebhook, WebhookOrigin } from '@/lib/http/request-router'
import { WEBHOOK_ANSWER_PROTECTIONS } from '@/lib/http/webhook-headers'
import { handleWebhook } from '@/lib/services/webhook-ingress'
import { webhookDeps } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ path: string[] }> }

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
  )
  return new Response(reply.body, { status: reply.status, headers: reply.headers })
})

/** Error answers (built by route()) get the protections too. */
async function handler(req: Request, ctx: Ctx): Promise<Response> {
  const res = await answer(req, ctx)
  for (const name in WEBHOOK_ANSWER_PROTECTIONS) res.headers.set(name, WEBHOOK_ANSWER_PROTECTIONS[name])
  return res
}

export const GET = handler
export const POST = handler
export const PUT = handler
export const PATCH = handler
export const DELETE = handler
