// Test connection for a saved credential: {url?} for header kinds (API key, bearer, basic, custom headers).
import { z } from 'zod'
import { requireAuth } from '@/lib/auth/context'
import { parseJson, route } from '@/lib/http/route'
import { getCredentialStore } from '@/lib/credentials'
import { runCredentialTest } from '@/lib/credentials/test-connection/web'

type Ctx = { params: Promise<{ id: string }> }
const bodySchema = z.object({ url: z.string().url('url must be a full URL such as https://api.example.com/me').optional() })

export const POST = route<Ctx>(async (req, ctx) => {
  const auth = await requireAuth(req, 'editor')
  const { id } = await ctx.params
  const body = await parseJson(req, bodySchema)
  const cred = await getCredentialStore().getDecrypted(auth.tenantId, id)
  return Response.json(await runCredentialTest(req, auth, cred, { url: body.url, saved: true }))
})
