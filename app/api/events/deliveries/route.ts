import { requireAuth } from '@/lib/auth/context'
import { parseQuery, route } from '@/lib/http/route'
import { listDeliveries, listDeliveriesQuery } from '@/lib/services/events'
import { webServices } from '@/lib/composition/web-services'

/** Deliveries by status (default: dead, the dead-letter list), most recently changed first. */
export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json(await listDeliveries(webServices().prisma, auth.tenantId, parseQuery(req, listDeliveriesQuery)))
})
