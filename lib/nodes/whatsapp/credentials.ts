// A WhatsApp Business phone number on the Cloud API (Meta's Graph API): what sends, and what checks the inbound
// webhook (the verify token of the subscription handshake, the app secret behind X-Hub-Signature-256).
import { z } from 'zod'
import { defineCredentialKind, secret } from '../define'

export const whatsappCredentialSchema = z.object({
  phoneNumberId: z.string().trim().regex(/^\d{5,30}$/, 'The phone number ID is the number Meta shows under WhatsApp → API setup').meta({ label: 'Phone number ID' }),
  accessToken: secret('Access token'),
  appSecret: z.string().optional().meta({ secret: true, label: 'App secret (checks X-Hub-Signature-256 on inbound webhooks)' }),
  verifyToken: z.string().optional().meta({ secret: true, label: 'Verify token (the webhook subscription handshake)' }),
  apiVersion: z.string().trim().regex(/^v\d+\.\d+$/, 'A Graph API version looks like v21.0').default('v21.0').meta({ label: 'Graph API version' }),
  baseUrl: z.string().url().optional().meta({ label: 'API base URL (empty: https://graph.facebook.com)' }),
})

export const whatsapp = defineCredentialKind({ name: 'whatsapp', label: 'WhatsApp Cloud API', schema: whatsappCredentialSchema })
