import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const rabbitmqTriggerParams = z.object({
  credential: z.string({ error: 'Choose a RabbitMQ credential' }).min(1, 'Choose a RabbitMQ credential').describe('A RabbitMQ credential: an amqp:// URL, or host, port, user, password and vhost').meta({ ui: 'credential' }),
  queue: z.string().trim().min(1, 'Name the queue').max(255).describe('The queue to consume, e.g. "orders"'),
  prefetch: z.coerce.number().int().min(1).max(1000).default(10).describe('How many messages may be on their way to runs at once (1 to 1000): the channel\'s prefetch'),
  assertQueue: z.boolean().default(true).describe('Create the queue (durable) with the options below when it does not exist; off: the queue must exist'),
  queueType: labelledEnum({ classic: 'Classic', quorum: 'Quorum (replicated)' }).default('classic').describe('assertQueue: a classic queue or a quorum queue (replicated; the broker counts deliveries)'),
  deadLetterQueue: z.string().trim().max(255).default('').describe('assertQueue: a queue (created too) where messages that cannot start a run go, e.g. "orders.dead" (empty: none)'),
  deadLetterExchange: z.string().trim().max(255).default('').describe('assertQueue: an existing exchange for those messages instead, routed by their routing key (empty: none)'),
  content: labelledEnum({ json: 'JSON', text: 'Text', auto: 'Automatic (JSON when it parses)' }).default('json').describe('json: the message must be JSON (else it is dead-lettered); text: taken as text; auto: parsed when it is JSON'),
  maxDeliveries: z.coerce.number().int().min(1).max(100).default(5).describe('A message whose run could not be started after this many deliveries goes to the dead letter (1 to 100)'),
})
export type RabbitmqTriggerParams = z.infer<typeof rabbitmqTriggerParams>

export const rabbitmqTrigger: NodeType<RabbitmqTriggerParams> = {
  type: 'rabbitmq-trigger',
  version: 1,
  label: 'RabbitMQ Trigger',
  description: 'Starts the workflow for each message on a RabbitMQ queue; the message is acknowledged once its run is recorded.',
  icon: 'Inbox',
  category: 'trigger',
  docs: {
    description: [
      'While the workflow is active, one consumer (across all workers) takes messages from `queue` and starts one run per message. The message is acknowledged only once the run is recorded: a worker that stops before that leaves it to be delivered again, never lost. `prefetch` caps how many messages are on their way at once.',
      'Output item: `{ content, routingKey, exchange, redelivered, headers, properties }`; `content` is the body parsed as JSON (`content` json), as text, or parsed when it is JSON (auto). A body that is not JSON while JSON is required cannot start a run: it goes to the dead letter at once. A message whose run could not be started (the database is down…) is handed back and tried again; after `maxDeliveries` deliveries it goes to the dead letter. Deliveries are counted by the broker on quorum queues (x-delivery-count) and by the worker otherwise, so a message that makes workers fail also ends there instead of looping.',
      'With `assertQueue` the queue is created when missing, durable, with its dead letter: `deadLetterQueue` (created as well) or an existing `deadLetterExchange`. Without a dead letter those messages are dropped (and logged). A queue that exists with other options is an error naming it (RabbitMQ refuses to change a queue\'s arguments). The consumer reconnects with a backoff when the broker restarts or refuses the connection.',
    ].join('\n\n'),
    examples: [
      {
        title: 'A JSON order from the "orders" queue',
        params: { credential: 'cred_rabbit', queue: 'orders', deadLetterQueue: 'orders.dead' },
        output: {
          main: [
            {
              content: { id: 'o-7', total: 9.5 },
              routingKey: 'orders',
              exchange: '',
              redelivered: false,
              headers: {},
              properties: { contentType: 'application/json', messageId: 'o-7' },
            },
          ],
        },
      },
    ],
  },
  trigger: { kind: 'broker' },
  listen: { key: (p: RabbitmqTriggerParams) => `rabbitmq:${p.queue}` },
  params: rabbitmqTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['rabbitmq'] },
  load: () => import('./execute'),
}
