import { edge, firstVersion, node, pathParam, slot, webhookItem } from './build'

const delivery = webhookItem('inbound', { type: 'invoice.paid', id: 'in_881', amount: 4200 }, { 'content-type': 'application/json' })
/** SHA-256 of JSON.stringify(delivery.body), hex. */
const digest = '5e28548d9b6c4c1873348114e841afc56d75737dbf5910fd6ea849e3854a6ff8'

export const natsWebhookForwarder = firstVersion('nats-webhook-forwarder', {
  name: 'Forward webhooks to NATS JetStream',
  description: 'Accepts webhooks from any provider and records each one in a NATS JetStream stream under a subject built from its event type (inbound.invoice.paid…). The message id is a SHA-256 of the body, so a provider retrying the same webhook is stored once.',
  category: 'events',
  tags: ['nats', 'jetstream', 'broker', 'webhook', 'crypto'],
  parameters: [
    pathParam('inbound'),
    { name: 'subjectPrefix', label: 'Subject prefix', type: 'string', default: 'inbound', required: true },
  ],
  credentials: [{ ref: 'credential-1', kinds: ['nats'], label: 'NATS server' }],
  graph: {
    nodes: [
      node('webhook', 'webhook-trigger', 'Provider webhook', { path: '{{ $param.path }}', method: 'POST' }, 0),
      node('hash', 'crypto', 'Body digest', { operation: 'hash', source: 'value', value: '{{ JSON.stringify($json.body) }}', algorithm: 'sha256', encoding: 'hex', outputField: 'digest' }, 1),
      node('publish', 'nats', 'Publish to stream', {
        credential: slot('credential-1'),
        mode: 'jetstream',
        subject: '{{ $param.subjectPrefix }}.{{ $json.body.type ?? "unknown" }}',
        contentMode: 'json',
        contentField: 'body',
        messageId: '{{ $json.digest }}',
      }, 2),
    ],
    edges: [edge('webhook', 'hash'), edge('hash', 'publish')],
  },
  testCases: [{
    name: 'each webhook gets a stable digest and is published',
    input: [delivery],
    recorded: { 'Publish to stream': [{ ...delivery, digest, published: { subject: 'inbound.invoice.paid', stream: 'INBOUND', seq: 7, duplicate: false } }] },
    expect: [
      { node: 'Body digest', equals: [{ ...delivery, digest }] },
      { node: 'Publish to stream', schema: { type: 'array', items: { required: ['published'] } } },
    ],
  }],
})
