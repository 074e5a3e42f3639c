import { requireAuth } from '@/lib/auth/context'
import { parseJson, parseQuery, route } from '@/lib/http/route'
import { listEvents, listEventsQuery, publishEventBody, publishEvents } from '@/lib/services/events'
import { webServices } from '@/lib/composition/web-services'

/** Recent events of the workspace, newest first, with their deliveries counted by status. */
export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json(await listEvents(webServices().prisma, auth.tenantId, parseQuery(req, listEventsQuery)))
})

/** Publish an event from outside a workflow: every matching active Event trigger gets a delivery. */
export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'operator')
  const body = await parseJson(req, publishEventBody, { size: 'large' })
  const [published] = await publishEvents(webServices().events, auth.tenantId, null, [body])
  return Response.json(published, { status: 201 })
})
