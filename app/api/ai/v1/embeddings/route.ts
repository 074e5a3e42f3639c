// OpenAI-compatible embeddings through the AI router, authenticated by API key like chat completions.
// `model` names an embedding deployment or a route of them; X-Auterity-Workflow-Id attributes the call to a
// workflow budget. Errors carry OpenAI's `type` and `param` next to the studio's code, message and fields.
import { apiCallMeta } from '@/lib/ai/openai-compat'
import { embeddingsBodySchema, handleEmbeddings, withOpenAiErrors } from '@/lib/ai/openai-embeddings'
import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const dynamic = 'force-dynamic'

export const POST = withOpenAiErrors(
  route(async (req) => {
    const auth = await requireAuth(req, 'editor')
    const body = await parseJson(req, embeddingsBodySchema, { size: 'large' })
    return handleEmbeddings(webServices().aiRouter, body, apiCallMeta(req, auth))
  }),
)
