import { z } from 'zod'
import type { NodeType } from '../../define'
import { credentialParam, text } from '../../params'

/** Longest a step waits for delivery reports before it carries on with the status as it stands. */
export const MAX_WAIT_SECONDS = 300

export const sendSmsParams = z.object({
  credential: credentialParam('A Twilio credential: account SID and auth token'),
  from: text().default('').describe('Sender: your Twilio number in E.164 form (+14155550100) or a Messaging Service SID (MG…)').meta({ ui: 'expression' }),
  to: text().default('').describe('Recipient in E.164 form, e.g. {{ $json.phone }} holding +14155550123').meta({ ui: 'expression' }),
  body: text().default('').describe('Message text, at most 1,600 characters (long texts are sent in segments and billed per segment)').meta({ ui: 'textarea' }),
  media: z
    .array(z.string().trim().min(1, 'Name the field'))
    .max(10)
    .default([])
    .describe('Fields holding files to send as MMS media (images, PDF…), 5 MB together at most; a field may hold one file or a list'),
  mediaUrls: text().default('').describe('Public URLs of media Twilio fetches itself, one per line or comma-separated').meta({ ui: 'expression' }),
  waitForFinal: z.boolean().default(false).describe('Wait until each message is delivered, undelivered or failed before the step ends'),
  waitTimeoutSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_WAIT_SECONDS)
    .default(60)
    .describe(`Longest wait for the final state (1 to ${MAX_WAIT_SECONDS} s); after it the step ends with the status reached so far`),
  outputField: z.string().trim().min(1, 'Name the output field').default('sms').describe('Field the result is written to: messageId, sid, status, errorCode, errorMessage, to; the other fields are kept'),
})
export type SendSmsParams = z.infer<typeof sendSmsParams>

export const twilioSendSms: NodeType<SendSmsParams, 'messaging' | 'files' | 'network'> = {
  type: 'twilio-send-sms',
  version: 1,
  label: 'Send SMS',
  description: 'Sends one SMS or MMS per item through Twilio, records its delivery states and can wait until it is delivered.',
  icon: 'MessageSquare',
  category: 'communication',
  docs: {
    description: [
      'Sends one message per item with a *Twilio* credential and writes `{ messageId, sid, status, errorCode, errorMessage, to }` to `outputField`, keeping the other fields. `messageId` is the studio\'s record of the message (the message log), `sid` is Twilio\'s (SM… or MM…).',
      'Every item is checked before the first message is sent: `from` and `to` must be E.164 numbers (`+14155550100`; spaces, dashes and brackets are dropped) or `from` a Messaging Service SID, the body at most 1,600 characters, at most 10 media and 5 MB of files together (Twilio\'s MMS limit; sizes come from the file store, no file is read). A problem fails the step naming the field and the item (INVALID_PHONE_NUMBER, BODY_TOO_LONG, MEDIA_TOO_LARGE) and nothing is sent.',
      '`media` names item fields holding files: Twilio fetches each through a signed link to this studio (valid one hour), so the studio\'s public URL (NEXTAUTH_URL) must be reachable by Twilio. `mediaUrls` adds public URLs as they are.',
      'Recipients who replied STOP (or whom Twilio reports as unsubscribed, error 21610, which adds them to the opt-out list) are not sent to: their item gets status `skipped`. Twilio refusing a message for good (an invalid number, 21211) fails the step (turn on *continue on fail* in the node settings to carry on); 429 and 5xx answers are retried with the step\'s retry settings.',
      'Each message is sent under the key run + step + item + recipient: a retried step, or a job delivered twice, finds what was already sent and sends it no second time. Twilio reports delivery states (queued, sent, delivered, undelivered, failed, with its error code) to `/api/hooks/twilio/status/<messageId>`; they are recorded on the message, forward only. With `waitForFinal` the step waits (at most `waitTimeoutSeconds`) until every message of the page reached a final state.',
    ].join('\n\n'),
    examples: [
      {
        title: 'Order shipped text',
        params: { credential: 'cred_twilio', from: '+14155550100', to: '{{ $json.phone }}', body: 'Your order {{ $json.id }} has shipped.' },
        input: [{ id: 'A-17', phone: '+14155550123' }],
        output: {
          main: [{ id: 'A-17', phone: '+14155550123', sms: { messageId: 'cmsg01', sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued', errorCode: null, errorMessage: null, to: '+14155550123' } }],
        },
      },
      {
        title: 'Invoice as MMS, waiting for delivery',
        params: { credential: 'cred_twilio', from: '+14155550100', to: '{{ $json.phone }}', body: 'Your invoice', media: ['invoice'], waitForFinal: true, waitTimeoutSeconds: 60 },
        input: [{ phone: '+14155550123', invoice: { $file: 'f_0123456789abcdef', name: 'invoice.png', mimeType: 'image/png', size: 48213 } }],
      },
    ],
  },
  params: sendSmsParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['twilio'] },
  services: ['messaging', 'files', 'network'],
  sideEffects: true,
  mode: 'batch',
  load: () => import('./execute'),
}
