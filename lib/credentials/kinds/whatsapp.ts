// No WhatsApp node exists yet, so the kind lives here; it moves into lib/nodes/whatsapp/ with the first WhatsApp node.
import { z } from 'zod'
import { defineCredentialKind, secret } from '../../nodes/define'

export const whatsapp = defineCredentialKind({
  name: 'whatsapp',
  label: 'WhatsApp Cloud API',
  schema: z.object({ phoneNumberId: z.string().min(1), accessToken: secret('Access token'), baseUrl: z.string().url().optional() }),
})
