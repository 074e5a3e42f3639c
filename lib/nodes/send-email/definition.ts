import { z } from 'zod'
import type { NodeType } from '../define'
import { credentialParam, text } from '../params'

export const sendEmailParams = z.object({
  credential: credentialParam('An SMTP credential: host, port, security, user and password'),
  from: text().default('').describe('Sender, e.g. "Orders <orders@example.com>"').meta({ ui: 'expression' }),
  to: text().default('').describe('Recipients, comma-separated, e.g. "ada@example.com, Bob <bob@example.com>"').meta({ ui: 'expression' }),
  cc: text().default('').describe('Copy recipients, comma-separated').meta({ ui: 'expression' }),
  bcc: text().default('').describe('Blind copy recipients, comma-separated').meta({ ui: 'expression' }),
  replyTo: text().default('').describe('Where replies go, comma-separated (empty: to the sender)').meta({ ui: 'expression' }),
  subject: text().default('').describe('Subject').meta({ ui: 'expression' }),
  text: text().default('').describe('Plain-text body').meta({ ui: 'textarea' }),
  html: text().default('').describe('HTML body (with text, mail programs choose which to show)').meta({ ui: 'textarea' }),
  attachments: z
    .array(z.string().trim().min(1, 'Name the field'))
    .max(20)
    .default([])
    .describe('Fields holding files to attach, e.g. "file" or "invoice.pdf"; a field may hold one file or a list of them'),
  outputField: z.string().trim().min(1, 'Name the output field').default('email').describe('Field the result is written to: messageId, accepted and rejected recipients; the other fields are kept'),
})
export type SendEmailParams = z.infer<typeof sendEmailParams>

export const sendEmailNode: NodeType<SendEmailParams, 'network' | 'files'> = {
  type: 'send-email',
  version: 1,
  label: 'Send Email',
  description: 'Sends one email per item over SMTP, with text, HTML and file attachments.',
  icon: 'Mail',
  category: 'communication',
  docs: {
    description: [
      'Sends one email per item through the server of an *SMTP* credential and writes `{ messageId, accepted, rejected }` to `outputField`, keeping the other fields. The emails of a page share one connection, closed after the page.',
      '`to`, `cc`, `bcc` and `replyTo` are comma-separated lists of addresses ("Ada <ada@example.com>, bob@example.com"); every address is checked first, and one that is not valid fails the step naming the field and the item (INVALID_ADDRESS), before anything is sent for that item. Line breaks in an address are refused, in the subject they are encoded, so no value can add a header.',
      '`attachments` names fields holding files (file references, as file-making nodes and webhooks output); their bytes stream from the file store into the email. Give `text`, `html` or both.',
      'The host is checked against the outbound network policy before connecting (private and loopback hosts need AUTERITY_HTTP_ALLOWLIST or AUTERITY_HTTP_ALLOW_PRIVATE). A refused or lost connection, or a temporary (4xx) refusal, fails the step as retryable (SMTP_CONNECTION_FAILED, SMTP_REJECTED); a refused login as SMTP_AUTH_FAILED naming the credential; a permanent (5xx) refusal as SMTP_REJECTED. A step that fails part-way has sent the emails of the items before it: retrying it sends those again.',
    ].join('\n\n'),
    examples: [
      {
        title: 'Order confirmation with the invoice attached',
        params: {
          credential: 'cred_smtp',
          from: 'Shop <orders@example.com>',
          to: '{{ $json.customer.email }}',
          subject: 'Your order {{ $json.id }}',
          text: 'Thank you! Your invoice is attached.',
          attachments: ['invoice'],
        },
        input: [{ id: 'A-17', customer: { email: 'ada@example.com' }, invoice: { $file: 'f_0123456789abcdef', name: 'A-17.pdf', mimeType: 'application/pdf', size: 48213 } }],
      },
    ],
  },
  params: sendEmailParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['smtp'] },
  services: ['network', 'files'],
  sideEffects: true,
  mode: 'batch',
  load: () => import('./execute'),
}
