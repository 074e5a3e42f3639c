import { requireAuth } from '@/lib/auth/context'
import { env } from '@/lib/env'
import { parseJson, route } from '@/lib/http/route'
import { previewSchedule, schedulePreviewBody } from '@/lib/services/schedules'

/** A Schedule node's next five fire times for the params the inspector holds: { next: ISO[], timezone?, error? }. */
export const POST = route(async (req) => {
  await requireAuth(req, 'viewer')
  const { params } = await parseJson(req, schedulePreviewBody)
  return Response.json(previewSchedule(params, env().schedules))
})
