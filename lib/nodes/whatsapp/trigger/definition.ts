import { z } from 'zod'
import type { NodeType } from '../../define'
import { credentialParam } from '../../params'

export const whatsappTriggerParams = z.object({
  credential: credentialParam('The WhatsApp Cloud API credential of the number to listen to: its app secret checks each webhook, its verify token answers the subscription handshake'),
  statuses: z.boolean().default(false).describe('Also start a run for each status update (sent, delivered, read, failed) of a message the studio sent; off: statuses only update the message records'),
})
export type WhatsAppTriggerParams = z.infer<typeof whatsappTriggerParams>

export const whatsappTrigger: NodeType<WhatsAppTriggerParams> = {
  type: 'whatsapp-trigger',
  version: 1,
  label: 'WhatsApp trigger',
  description: 'Starts the workflow for each WhatsApp message a customer sends to the credential\'s number (and, if asked, for each status update).',
  icon: 'MessageSquare',
  category: 'trigger',
  docs: {
    description: [
      'While the workflow is active, its webhook URL is `<studio URL>/api/hooks/whatsapp/<workflow id>/<node id>`. In the Meta app\'s WhatsApp → Configuration, set that URL as the callback URL, the credential\'s *verify token* as the verify token, and subscribe to the `messages` field. Meta first calls the URL with `hub.mode=subscribe`: the studio echoes `hub.challenge` when the verify token matches and answers 403 otherwise.',
      'Every webhook must carry `X-Hub-Signature-256`, the HMAC-SHA256 of its raw body with the credential\'s *app secret*; a missing or wrong signature is refused with 403 and nothing is recorded. Changes for another phone number of the same account are ignored.',
      'Each inbound message opens (or renews) the 24-hour customer-service window for that customer, is recorded in the message log, and starts one run — a webhook Meta delivers twice starts it once — with the item:',
      '',
      '```json',
      '{ "event": "message", "from": "+14155550100", "waId": "14155550100", "name": "Ada", "type": "text", "text": "Where is my order?", "reply": null, "media": null, "location": null, "messageId": "wamid.HBgL…", "timestamp": "2026-11-30T12:00:00.000Z", "phoneNumberId": "106540352242922" }',
      '```',
      '',
      'A reply button or list choice has `type: "interactive"` with `reply: { kind: "button" | "list", id, title }`; media (image, audio, video, document, sticker) has `media: { id, mimeType, sha256, caption, filename }` (a **WhatsApp: Download media** step fetches it as a file); a shared location has `location: { latitude, longitude, name, address }`.',
      'Status updates (sent → delivered → read, or failed with WhatsApp\'s error code) move the studio\'s record of the message forward, never back: a replayed status changes nothing, and a status for a message of another workspace is ignored. With `statuses` on, each status that changed a record also starts a run with `{ "event": "status", "status": "read", "messageId": "wamid…", "recordId": "…", "to": "+14155550100", "errors": [], "timestamp": "…" }`.',
    ].join('\n'),
    examples: [
      {
        title: 'A support bot: every message starts a run',
        params: { credential: 'cred_whatsapp' },
        output: {
          main: [
            {
              event: 'message', from: '+14155550100', waId: '14155550100', name: 'Ada', type: 'text', text: 'Where is my order?', reply: null, media: null, location: null,
              messageId: 'wamid.HBgLMTQxNTU1NTAxMDAVAgASGBQ', timestamp: '2026-11-30T12:00:00.000Z', phoneNumberId: '106540352242922',
            },
          ],
        },
      },
    ],
  },
  trigger: { kind: 'messaging' },
  listen: {},
  hook: { path: '/api/hooks/whatsapp/{workflowId}/{nodeId}', where: 'Meta app dashboard → WhatsApp → Configuration → Webhook: Callback URL, with your verify token; subscribe to "messages"' },
  params: whatsappTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['whatsapp'] },
  load: () => import('./execute'),
}
