// No Twilio node exists yet, so the kind lives here; it moves into lib/nodes/twilio/ with the first Twilio node.
import { z } from 'zod'
import { defineCredentialKind, secret } from '../../nodes/define'

export const twilio = defineCredentialKind({
  name: 'twilio',
  label: 'Twilio',
  schema: z.object({ accountSid: z.string().min(1), authToken: secret('Auth token'), baseUrl: z.string().url().optional() }),
})
