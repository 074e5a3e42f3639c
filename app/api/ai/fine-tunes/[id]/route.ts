import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { aiAdmin } from '@/lib/services/ai-admin'

/** Asks the provider for the job's status; registers the fine-tuned model as a draft deployment when done. */
export const POST = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'admin')
  const { id } = await params
  return Response.json(await aiAdmin().refreshFineTune(auth.tenantId, id))
})
