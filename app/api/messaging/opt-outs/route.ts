import { requireAuth } from '@/lib/auth/context'
import { parseJson, parseQuery, route } from '@/lib/http/route'
import { addOptOut, listOptOuts, optOutBody, optOutsQuery, removeOptOut } from '@/lib/services/messages'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json(await listOptOuts(webServices().prisma, auth.tenantId, parseQuery(req, optOutsQuery)))
})

/** Adds a number by hand: nothing is sent to it on that channel until it is removed (or the recipient sends START). */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  return Response.json(await addOptOut(webServices().prisma, auth.tenantId, await parseJson(req, optOutBody)), { status: 201 })
})

/** `?channel=sms&address=+1…`: messages go to the number again. */
export const DELETE = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  await removeOptOut(webServices().prisma, auth.tenantId, parseQuery(req, optOutBody))
  return new Response(null, { status: 204 })
})
