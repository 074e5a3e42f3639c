import { requireAuth } from '@/lib/auth/context'
import { parseQuery, route } from '@/lib/http/route'
import { listMessages, listMessagesQuery } from '@/lib/services/messages'
import { webServices } from '@/lib/composition/web-services'

/** The workspace's message log, newest first, filtered (channel, direction, status, number, run, campaign, dates). */
export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  return Response.json(await listMessages(webServices().prisma, auth.tenantId, parseQuery(req, listMessagesQuery)))
})
