import { z } from 'zod'
import type { NodeType } from '../../define'
import { credentialParam, text } from '../../params'

const MAX_RATE = 100
const MAX_ATTEMPTS = 10

/** A list of numbers, a number, or text with numbers separated by commas, semicolons or line breaks. */
export function recipientList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return []
  if (Array.isArray(value)) return value.flatMap(recipientList)
  if (typeof value === 'object') return [JSON.stringify(value)]
  return String(value).split(/[,;\n]+/).map((s) => s.trim()).filter(Boolean)
}

export const bulkSmsParams = z.object({
  credential: credentialParam('A Twilio credential: account SID and auth token'),
  from: text().default('').describe('Sender: your Twilio number in E.164 form (+14155550100) or a Messaging Service SID (MG…); the rate limit is per sender').meta({ ui: 'expression' }),
  recipients: z
    .preprocess(recipientList, z.array(z.string()))
    .default([])
    .describe('Recipients, read from every item: a list field ({{ $json.phones }}), one number per item ({{ $json.phone }}), or numbers separated by commas')
    .meta({ ui: 'expression' }),
  body: text().default('').describe('Message text, the same for every recipient, at most 1,600 characters').meta({ ui: 'textarea' }),
  mediaUrls: text().default('').describe('Public URLs of media (MMS), one per line or comma-separated').meta({ ui: 'expression' }),
  ratePerSecond: z.coerce
    .number()
    .positive('Give a rate above 0')
    .max(MAX_RATE)
    .default(1)
    .describe(`Messages per second from this sender, held across every run and worker (up to ${MAX_RATE}; Twilio's long codes take 1, toll-free 3 or more, short codes 100)`),
  maxAttempts: z.coerce.number().int().min(1).max(MAX_ATTEMPTS).default(3).describe('Tries per recipient when Twilio answers 429 or 5xx or cannot be reached'),
  retryDelaySeconds: z.coerce.number().min(0).max(60).default(1).describe('Wait before a recipient\'s second try, doubled for each further one'),
  outputPerRecipient: z.boolean().default(false).describe('Besides the summary item, output one item per recipient (to, outcome, status, error)'),
})
export type BulkSmsParams = z.infer<typeof bulkSmsParams>

export const twilioBulkSms: NodeType<BulkSmsParams, 'messaging' | 'network'> = {
  type: 'twilio-bulk-sms',
  version: 1,
  label: 'Bulk SMS',
  description: 'Sends one text to a list of recipients through Twilio at a set rate per sender, skipping opt-outs and duplicates.',
  icon: 'Megaphone',
  category: 'communication',
  docs: {
    description: [
      'Collects the recipients of every input item (`recipients` may hold a list, one number, or numbers separated by commas), normalises them to E.164, removes repeats (counted as `duplicates`, each number gets one message) and sends `body` to each with a *Twilio* credential.',
      '**Rate.** Sends from one sender are spaced `1 / ratePerSecond` apart across every run and worker of the installation (one allocator in Redis): two Bulk SMS steps sending from the same number at once share its rate.',
      '**Opt-outs.** Recipients who replied STOP (see *On SMS received*) or whom Twilio reports as unsubscribed (21610, then added to the list) are skipped and counted as `skipped`.',
      '**Failures.** A 429, 5xx or unreachable Twilio is tried again for that recipient (`maxAttempts`, waiting `retryDelaySeconds`, doubled each time); an invalid number or another refusal is reported for that recipient (`failed`, with the error) and the others are still sent. The step itself fails only for problems shared by all (the sender, the body, the credential).',
      '**Progress** is shown live in the run (`{ total, sent, failed, skipped }` after each message). The output is one summary item `{ total, sent, skipped, failed, duplicates }` and, with `outputPerRecipient`, one item per recipient `{ to, outcome, messageId, sid, status, errorCode, errorMessage, attempts }` (outcome: sent, skipped, failed or duplicate).',
      'Each recipient\'s message is keyed by run + step + number: a retried step sends nothing twice. Delivery states arrive later through status callbacks and are in the message log.',
    ].join('\n\n'),
    examples: [
      {
        title: 'Announcement to a list, 5 messages a second',
        params: { credential: 'cred_twilio', from: '+14155550100', recipients: '{{ $json.phones }}', body: 'The store opens at 9 tomorrow.', ratePerSecond: 5 },
        input: [{ phones: ['+14155550123', '+14155550124', '+14155550123'] }],
        output: { main: [{ total: 2, sent: 2, skipped: 0, failed: 0, duplicates: 1 }] },
      },
    ],
  },
  params: bulkSmsParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['twilio'] },
  services: ['messaging', 'network'],
  sideEffects: true,
  load: () => import('./execute'),
}
