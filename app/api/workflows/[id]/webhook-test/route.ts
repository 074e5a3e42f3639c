import { z } from 'zod'
import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { ValidationError } from '@/lib/errors'
import { listenForTestWebhook, stopTestWebhook } from '@/lib/services/webhook-test'
import { webServices } from '@/lib/composition/web-services'

type Ctx = { params: Promise<{ id: string }> }
const body = z.object({ nodeId: z.string().min(1, 'nodeId is required').max(200) })

/** Listen on a Webhook node's test URL: the next request there runs the saved draft once. */
export const POST = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const { nodeId } = await parseJson(req, body)
  return Response.json(await listenForTestWebhook(webServices().app, auth.tenantId, id, nodeId))
})

/** Stop listening (?nodeId=). */
export const DELETE = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const nodeId = new URL(req.url).searchParams.get('nodeId')
  if (!nodeId) throw new ValidationError('nodeId: required', { nodeId: 'required' })
  await stopTestWebhook(webServices().app, auth.tenantId, id, nodeId)
  return new Response(null, { status: 204 })
})
