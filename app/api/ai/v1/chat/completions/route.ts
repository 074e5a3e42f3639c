// OpenAI-compatible chat completions through the AI router (streaming and not), authenticated by API key.
// `model` names a deployment or a route; X-Auterity-Workflow-Id attributes the call to a workflow budget.
import { apiCallMeta, handleChatCompletion, chatCompletionBodySchema } from '@/lib/ai/openai-compat'
import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const dynamic = 'force-dynamic'

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const body = await parseJson(req, chatCompletionBodySchema, { size: 'large' })
  return handleChatCompletion(webServices().aiRouter, body, apiCallMeta(req, auth))
})
