import { route } from '@/lib/http/route'
import { appServices } from '@/lib/services/app'
import { checkReadiness } from '@/lib/services/health'

export const GET = route(async () => {
  const health = await checkReadiness(appServices())
  return Response.json(health, { status: health.ok ? 200 : 503 })
})
