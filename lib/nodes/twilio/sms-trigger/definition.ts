import { z } from 'zod'
import type { NodeType } from '../../define'
import { normalizePhone } from '../../../messaging/phone'

export const smsTriggerParams = z.object({
  credential: z
    .string({ error: 'Choose the Twilio credential of the account that owns the number' })
    .min(1, 'Choose the Twilio credential of the account that owns the number')
    .describe('The Twilio credential whose auth token signs the requests (its account owns the number)')
    .meta({ ui: 'credential' }),
  number: z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || normalizePhone(v) !== null, 'Give the receiving number in E.164 form, e.g. +14155550100')
    .transform((v) => (v === '' ? '' : normalizePhone(v)!))
    .describe('Only messages to this number of yours start a run (E.164); empty: any number whose webhook points here'),
})
export type SmsTriggerParams = z.infer<typeof smsTriggerParams>

export const twilioSmsTrigger: NodeType<SmsTriggerParams> = {
  type: 'twilio-sms-trigger',
  version: 1,
  label: 'On SMS received',
  description: 'Starts the workflow when one of your Twilio numbers receives an SMS or MMS; STOP and START replies update the opt-out list.',
  icon: 'Inbox',
  category: 'trigger',
  docs: {
    description: [
      'While the workflow is active, every SMS or MMS Twilio posts to this trigger\'s URL starts one run whose item is:',
      '',
      '```json',
      '{ "from": "+14155550123", "to": "+14155550100", "body": "Hello", "media": [{ "url": "https://api.twilio.com/…/Media/ME…", "contentType": "image/jpeg" }], "optOut": null, "messageSid": "SM…", "accountSid": "AC…", "messageId": "…", "fromCity": null, "fromState": null, "fromCountry": "US", "receivedAt": "2026-11-30T12:00:00.000Z" }',
      '```',
      '',
      '**Set-up.** In the Twilio console, open the phone number, and under *Messaging → A message comes in* choose *Webhook*, method POST, and paste',
      '`<studio URL>/api/hooks/twilio/sms/<workflow id>/<node id>` (the studio URL is NEXTAUTH_URL, which Twilio must be able to reach; the workflow id is in the designer\'s address bar, the node id in this node\'s settings). Activate the workflow.',
      '',
      '**Security.** Each request must carry Twilio\'s `X-Twilio-Signature` made with the auth token of the chosen credential over exactly that URL; anything else is refused (403) and starts nothing. Twilio may send a request again: a message whose MessageSid was already received starts no second run.',
      '',
      '**Opt-outs.** A message that is only STOP, STOPALL, UNSUBSCRIBE, CANCEL, END or QUIT (any case) puts the sender on the workspace\'s opt-out list (Send SMS and Bulk SMS skip them); START, YES or UNSTOP takes them off. The run still starts, with `optOut` set to `"stop"` or `"start"` (null otherwise), so the workflow can log it. Twilio answers the keywords itself on numbers with Advanced Opt-Out.',
      '',
      'The message is recorded in the message log (inbound, status `received`); Twilio gets empty TwiML (no automatic reply): send replies with Send SMS.',
    ].join('\n'),
    examples: [
      {
        title: 'Any message to the support number',
        params: { credential: 'cred_twilio', number: '+14155550100' },
        output: {
          main: [
            {
              from: '+14155550123', to: '+14155550100', body: 'Where is my order?', media: [], optOut: null, messageSid: 'SM0123456789abcdef0123456789abcdef',
              accountSid: 'AC0123456789abcdef0123456789abcdef', messageId: 'cmsg01', fromCity: null, fromState: null, fromCountry: 'US', receivedAt: '2026-11-30T12:00:00.000Z',
            },
          ],
        },
      },
    ],
  },
  trigger: { kind: 'messaging' },
  listen: { key: (p: SmsTriggerParams) => p.number },
  hook: { path: '/api/hooks/twilio/sms/{workflowId}/{nodeId}', where: 'Twilio console → Phone Numbers → your number → Messaging → "A message comes in": Webhook, HTTP POST' },
  params: smsTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['twilio'] },
  load: () => import('./execute'),
}
