import { z } from 'zod'
import type { NodeType } from '../define'
import { credentialParam, keyValueList, labelledEnum, messageContentMode, text } from '../params'

export const natsParams = z.object({
  credential: credentialParam('A NATS credential: servers, and a token or a user and password'),
  mode: labelledEnum({ jetstream: 'JetStream (stored, acknowledged)', core: 'Core NATS (fire and forget)' })
    .default('jetstream')
    .describe('jetstream: publish into the stream that takes the subject and wait for its acknowledgement (PubAck); core: plain NATS publish, fire and forget'),
  subject: text().default('').describe('The subject, e.g. orders.created or orders.{{ $json.region }}').meta({ ui: 'expression' }),
  contentMode: messageContentMode(),
  contentField: z.string().trim().default('').describe('The field sent as the message, e.g. "payload" (empty: the whole item; required with text)'),
  headers: keyValueList('Message headers, e.g. source = studio'),
  messageId: text()
    .default('')
    .describe('jetstream: the message id (Nats-Msg-Id), e.g. {{ $json.id }}: the stream drops a second message with the same id within its duplicate window (empty: none)')
    .meta({ ui: 'expression' }),
  outputField: z.string().trim().min(1, 'Name the output field').default('published').describe('Field the result is written to: { subject, stream, seq, duplicate } (jetstream) or { subject } (core); the other fields are kept'),
})
export type NatsParams = z.infer<typeof natsParams>

export const natsNode: NodeType<NatsParams, 'network'> = {
  type: 'nats',
  version: 1,
  label: 'NATS',
  description: 'Publishes one message per item to a NATS subject: into a JetStream stream (acknowledged) or plain core NATS.',
  icon: 'Send',
  category: 'communication',
  docs: {
    description: [
      'Publishes one message per item to `subject` on the servers of a *NATS* credential and writes the result to `outputField`, keeping the other fields. The messages of a page share one connection, closed after it.',
      '**jetstream** publishes into the stream whose subjects take the subject and waits for its acknowledgement: `{ subject, stream, seq, duplicate }` (duplicate: the stream already had a message with this `messageId`). A subject no stream takes fails the step (NATS_NO_STREAM). **core** publishes without persistence or acknowledgement (subscribers that are not listening miss it) and writes `{ subject }`.',
      'The message is the item as JSON, one field of it as JSON (`contentField`), or the text of a field (`contentMode` text). Servers are checked against the outbound network policy before connecting (private and loopback hosts need AUTERITY_HTTP_ALLOWLIST or AUTERITY_HTTP_ALLOW_PRIVATE). A refused or lost connection fails the step as retryable (NATS_CONNECTION_FAILED, naming host:port), a refused login as NATS_AUTH_FAILED naming the credential.',
    ].join('\n\n'),
    examples: [
      {
        title: 'Record an order event in a stream',
        params: { credential: 'cred_nats', subject: 'orders.{{ $json.status }}', messageId: '{{ $json.id }}' },
        input: [{ id: 'o-7', status: 'paid' }],
        output: { main: [{ id: 'o-7', status: 'paid', published: { subject: 'orders.paid', stream: 'ORDERS', seq: 42, duplicate: false } }] },
      },
      {
        title: 'Ping listeners (core NATS)',
        params: { credential: 'cred_nats', mode: 'core', subject: 'cache.flush', contentMode: 'text', contentField: 'key' },
        input: [{ key: 'prices' }],
        output: { main: [{ key: 'prices', published: { subject: 'cache.flush' } }] },
      },
    ],
  },
  params: natsParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['nats'] },
  services: ['network'],
  sideEffects: true,
  mode: 'batch',
  load: () => import('./execute'),
}
