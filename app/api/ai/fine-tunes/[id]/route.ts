import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

/** Asks the provider for the job's status; registers the fine-tuned model as a draft deployment when done. */
export const POST = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'admin')
  const { id } = await params
  return Response.json(await webServices().aiAdmin.refreshFineTune(auth.tenantId, id))
})
