import { route } from '@/lib/http/route'
import { checkReadiness } from '@/lib/services/health'
import { webServices } from '@/lib/composition/web-services'

export const GET = route(async () => {
  const health = await checkReadiness(webServices().app)
  return Response.json(health, { status: health.ok ? 200 : 503 })
})
