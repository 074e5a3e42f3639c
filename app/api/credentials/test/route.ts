// Test connection for credential data not saved yet (the create dialog): validated like a save, never stored.
import { z } from 'zod'
import { requireAuth } from '@/lib/auth/context'
import { ValidationError } from '@/lib/errors'
import { parseJson, route, zodToValidationError } from '@/lib/http/route'
import { credentialKinds } from '@/lib/credentials'
import { allowedHostsSchema } from '@/lib/credentials/hosts'
import { isCredentialKind } from '@/lib/nodes/credential-kinds'
import { runCredentialTest } from '@/lib/credentials/test-connection/web'

const bodySchema = z.object({
  kind: z.string().min(1, 'kind is required'),
  data: z.record(z.string(), z.unknown()),
  url: z.string().url('url must be a full URL such as https://api.example.com/me').optional(),
  allowedHosts: allowedHostsSchema.optional(),
})

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'editor')
  const body = await parseJson(req, bodySchema)
  if (!isCredentialKind(body.kind)) throw new ValidationError(`Unknown credential kind "${body.kind}"`, { kind: `must be one of ${Object.keys(credentialKinds).join(', ')}` })
  const parsed = credentialKinds[body.kind].schema.safeParse(body.data)
  if (!parsed.success) throw zodToValidationError(parsed.error, 'data')
  const cred = { id: 'unsaved', kind: body.kind, data: parsed.data as Record<string, string>, allowedHosts: body.allowedHosts }
  return Response.json(await runCredentialTest(req, auth, cred, { url: body.url, saved: false }))
})
