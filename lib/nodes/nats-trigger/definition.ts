import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

const NAME = /^[A-Za-z0-9_-]+$/

export const natsTriggerParams = z.object({
  credential: z.string({ error: 'Choose a NATS credential' }).min(1, 'Choose a NATS credential').describe('A NATS credential: servers, and a token or a user and password').meta({ ui: 'credential' }),
  stream: z.string().trim().min(1, 'Name the stream').max(200).regex(NAME, 'Use letters, digits, "-" and "_"').describe('The JetStream stream, e.g. "ORDERS"'),
  consumer: z.string().trim().min(1, 'Name the durable consumer').max(200).regex(NAME, 'Use letters, digits, "-" and "_"').describe('The durable consumer\'s name (created when missing), e.g. "studio-orders": it remembers what was acknowledged'),
  subject: z.string().trim().max(500).regex(/^[^\s]*$/, 'No spaces').default('').describe('Only messages on these subjects, e.g. "orders.>" or "orders.*.paid" (empty: every subject of the stream)'),
  createStream: z.boolean().default(false).describe('Create the stream, taking `subject`, when it does not exist (off: it must exist)'),
  ackWaitSeconds: z.coerce.number().int().min(1).max(3600).default(30).describe('Seconds the server waits for the acknowledgement before it delivers the message again (1 to 3600)'),
  maxDeliver: z.coerce.number().int().min(1).max(100).default(5).describe('A message whose run could not be started after this many deliveries is given up: terminated, and published to deadLetterSubject if set (1 to 100)'),
  deadLetterSubject: z.string().trim().max(500).regex(/^[^\s*>]*$/, 'No spaces or wildcards').default('').describe('Where those messages are published, with the reason in the Auterity-Dead-Letter header (empty: they stay in the stream, terminated)'),
  content: labelledEnum({ json: 'JSON', text: 'Text', auto: 'Automatic (JSON when it parses)' }).default('json').describe('json: the message must be JSON (else it is given up at once); text: taken as text; auto: parsed when it is JSON'),
})
export type NatsTriggerParams = z.infer<typeof natsTriggerParams>

export const natsTrigger: NodeType<NatsTriggerParams> = {
  type: 'nats-trigger',
  version: 1,
  label: 'NATS Trigger',
  description: 'Starts the workflow for each message of a NATS JetStream durable consumer; acknowledged once its run is recorded.',
  icon: 'Inbox',
  category: 'trigger',
  docs: {
    description: [
      'While the workflow is active, one worker (across all workers) pulls from the durable consumer `consumer` of `stream` (created when missing, explicit acks, only `subject` when given) and starts one run per message. The message is acknowledged only once the run is recorded: a worker that stops before that leaves it to be delivered again after `ackWaitSeconds`, never lost.',
      'Output item: `{ content, subject, seq, deliveryCount, headers }` (`seq`: the stream sequence); `content` is the body parsed as JSON (`content` json), as text, or parsed when it is JSON (auto). A body that is not JSON while JSON is required cannot start a run and is given up at once; a message whose run could not be started is handed back (nak) and given up after `maxDeliver` deliveries. Given up means terminated in the consumer and, with `deadLetterSubject`, published there with the reason in the `Auterity-Dead-Letter` header. The server counts deliveries, so a message that makes workers fail ends there too, never in a loop.',
      'The consumer reconnects with a backoff when the server restarts or refuses the connection; the durable consumer resumes where it was.',
    ].join('\n\n'),
    examples: [
      {
        title: 'Orders from the ORDERS stream',
        params: { credential: 'cred_nats', stream: 'ORDERS', consumer: 'studio-orders', subject: 'orders.>', deadLetterSubject: 'dead.orders' },
        output: { main: [{ content: { id: 'o-7', total: 9.5 }, subject: 'orders.created', seq: 42, deliveryCount: 1, headers: {} }] },
      },
    ],
  },
  trigger: { kind: 'broker' },
  listen: { key: (p: NatsTriggerParams) => `nats:${p.stream}:${p.consumer}` },
  params: natsTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['nats'] },
  load: () => import('./execute'),
}
