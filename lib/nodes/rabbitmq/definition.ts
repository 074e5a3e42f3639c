import { z } from 'zod'
import type { NodeType } from '../define'
import { credentialParam, keyValueList, labelledEnum, messageContentMode, text } from '../params'

export const rabbitmqParams = z.object({
  credential: credentialParam('A RabbitMQ credential: an amqp:// URL, or host, port, user, password and vhost'),
  target: labelledEnum({ queue: 'A queue', exchange: 'An exchange' }).default('queue').describe('queue: send straight to a queue (through the default exchange); exchange: publish to an exchange with a routing key'),
  queue: text().default('').describe('queue: the queue, which must exist (e.g. "orders")').meta({ ui: 'expression' }),
  exchange: text().default('').describe('exchange: the exchange, which must exist (e.g. "events")').meta({ ui: 'expression' }),
  routingKey: text().default('').describe('exchange: the routing key, e.g. order.created or order.{{ $json.status }}').meta({ ui: 'expression' }),
  contentMode: messageContentMode(),
  contentField: z.string().trim().default('').describe('The field sent as the message, e.g. "payload" or "order.lines" (empty: the whole item; required with text)'),
  headers: keyValueList('Message headers (AMQP application headers), e.g. source = studio'),
  messageId: text().default('').describe('The message id property, e.g. {{ $json.id }} (empty: none); consumers can use it to drop duplicates').meta({ ui: 'expression' }),
  persistent: z.boolean().default(true).describe('Persistent messages (delivery mode 2) survive a broker restart in a durable queue'),
  confirm: z.boolean().default(false).describe('Publisher confirms: wait until the broker has taken every message of the page (slower, but a message the broker lost fails the step)'),
  outputField: z.string().trim().min(1, 'Name the output field').default('published').describe('Field the result is written to: { exchange, routingKey, confirmed }; the other fields are kept'),
})
export type RabbitmqParams = z.infer<typeof rabbitmqParams>

export const rabbitmqNode: NodeType<RabbitmqParams, 'network'> = {
  type: 'rabbitmq',
  version: 1,
  label: 'RabbitMQ',
  description: 'Publishes one message per item to a RabbitMQ queue, or to an exchange with a routing key.',
  icon: 'Send',
  category: 'communication',
  docs: {
    description: [
      'Publishes one message per item on the server of a *RabbitMQ* credential and writes `{ exchange, routingKey, confirmed }` to `outputField`, keeping the other fields. The messages of a page share one connection, closed after it.',
      'The message is the item as JSON (content type application/json), one field of it as JSON (`contentField`), or the text of a field (`contentMode` text, content type text/plain). `headers` become AMQP headers, `messageId` the message id property; `persistent` messages survive a broker restart in a durable queue. With `confirm` the node waits for the broker\'s publisher confirms, so a message the broker could not take fails the step (RABBITMQ_NOT_CONFIRMED).',
      'The queue or exchange must exist (RABBITMQ_NOT_FOUND names it otherwise): a message sent to a missing queue would be dropped silently. The host is checked against the outbound network policy before connecting (private and loopback hosts need AUTERITY_HTTP_ALLOWLIST or AUTERITY_HTTP_ALLOW_PRIVATE). A refused or lost connection fails the step as retryable (RABBITMQ_CONNECTION_FAILED, naming host:port), a refused login as RABBITMQ_AUTH_FAILED naming the credential. A step that fails part-way has published the messages of the items before it: retrying it publishes them again (give a `messageId` so consumers can drop duplicates).',
    ].join('\n\n'),
    examples: [
      {
        title: 'Queue an order for the billing service',
        params: { credential: 'cred_rabbit', target: 'queue', queue: 'billing', messageId: '{{ $json.id }}' },
        input: [{ id: 'o-7', total: 9.5 }],
        output: { main: [{ id: 'o-7', total: 9.5, published: { exchange: '', routingKey: 'billing', confirmed: false } }] },
      },
      {
        title: 'Publish an event to a topic exchange, confirmed',
        params: { credential: 'cred_rabbit', target: 'exchange', exchange: 'events', routingKey: 'order.{{ $json.status }}', confirm: true },
        input: [{ id: 'o-7', status: 'paid' }],
        output: { main: [{ id: 'o-7', status: 'paid', published: { exchange: 'events', routingKey: 'order.paid', confirmed: true } }] },
      },
    ],
  },
  params: rabbitmqParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['rabbitmq'] },
  services: ['network'],
  sideEffects: true,
  mode: 'batch',
  load: () => import('./execute'),
}
