import { catalogChanged, webDeploymentAccess } from '@/lib/ai/service'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { route } from '@/lib/http/route'
import { refreshFineTune } from '@/lib/models/fine-tuning'

/** Asks the provider for the job's status; registers the fine-tuned model as a draft deployment when done. */
export const POST = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'admin')
  const { id } = await params
  return Response.json(await refreshFineTune(getPrisma(), webDeploymentAccess(), auth.tenantId, id, catalogChanged))
})
