import { requireAuth } from '@/lib/auth/context'
import { env } from '@/lib/env'
import { route } from '@/lib/http/route'
import { brokerTriggerStatuses } from '@/lib/services/broker-status'
import { pageMonitorStatuses } from '@/lib/services/page-monitor-status'
import { webServices } from '@/lib/composition/web-services'

/** The workflow's listening broker triggers and how their consumers are doing (the last connection error), and its
 * Page Changed triggers' checks (the last check, the last error). */
export const GET = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  const { prisma, redis } = webServices().app
  const [triggers, monitors] = await Promise.all([
    brokerTriggerStatuses({ prisma, redis, prefix: env().queuePrefix }, auth.tenantId, id),
    pageMonitorStatuses(prisma, auth.tenantId, id),
  ])
  return Response.json({ triggers, monitors })
})
