// Public webhook entry: no session or API key — the path is the secret. See lib/services/webhook-ingress.ts.
import { route } from '@/lib/http/route'
import { env } from '@/lib/env'
import { appServices } from '@/lib/services/app'
import { handleWebhook } from '@/lib/services/webhook-ingress'

type Ctx = { params: Promise<{ path: string[] }> }

const handler = route<Ctx>(async (req, ctx) => {
  const { path } = await ctx.params
  return handleWebhook({ ...appServices(), bodyLimitBytes: env().webhook.bodyLimitBytes }, req, path.join('/'))
})

export const GET = handler
export const POST = handler
export const PUT = handler
export const PATCH = handler
export const DELETE = handler
