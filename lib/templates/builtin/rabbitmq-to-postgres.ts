import { edge, firstVersion, node, slot } from './build'

const message = { content: { id: 'o-7', customer: { email: 'Ada@Example.com' }, total: '19.90', currency: 'EUR' }, routingKey: 'orders', exchange: '', redelivered: false, headers: {}, properties: { contentType: 'application/json', messageId: 'o-7' } }
const row = { order_id: 'o-7', email: 'ada@example.com', total: 19.9, currency: 'EUR' }

export const rabbitmqToPostgres = firstVersion('rabbitmq-to-postgres', {
  name: 'Store RabbitMQ messages in PostgreSQL',
  description: 'Consumes JSON order messages from a RabbitMQ queue (with a dead-letter queue for the ones that keep failing), maps them to columns and upserts them into a PostgreSQL table by order id, so a message delivered twice writes one row.',
  category: 'data',
  tags: ['rabbitmq', 'broker', 'postgres', 'database', 'queue'],
  parameters: [
    { name: 'queue', label: 'Queue', type: 'string', default: 'orders', required: true },
    { name: 'table', label: 'Table', type: 'string', default: 'orders', required: true, description: 'Columns order_id (unique), email, total, currency' },
  ],
  credentials: [
    { ref: 'credential-1', kinds: ['rabbitmq'], label: 'RabbitMQ' },
    { ref: 'credential-2', kinds: ['postgres'], label: 'PostgreSQL' },
  ],
  graph: {
    nodes: [
      node('consume', 'rabbitmq-trigger', 'Order messages', { credential: slot('credential-1'), queue: '{{ $param.queue }}', deadLetterQueue: '{{ $param.queue }}.dead', content: 'json', maxDeliveries: 5 }, 0),
      node('map', 'set', 'Map to columns', {
        keepOtherFields: false,
        fields: [
          { name: 'order_id', value: '{{ $json.content.id }}' },
          { name: 'email', value: '{{ $json.content.customer.email.toLowerCase() }}' },
          { name: 'total', value: '{{ $json.content.total }}', type: 'number' },
          { name: 'currency', value: '{{ $json.content.currency ?? "EUR" }}' },
        ],
      }, 1),
      node('upsert', 'postgres', 'Upsert order', { credential: slot('credential-2'), operation: 'upsert', table: '{{ $param.table }}', matchColumns: ['order_id'] }, 2),
    ],
    edges: [edge('consume', 'map'), edge('map', 'upsert')],
  },
  testCases: [{
    name: 'a message becomes a row',
    input: [message],
    recorded: { 'Upsert order': [{ id: 31, ...row }] },
    expect: [
      { node: 'Map to columns', equals: [row] },
      { node: 'Upsert order', schema: { type: 'array', minItems: 1, items: { type: 'object', required: ['id', 'order_id'] } } },
    ],
  }],
})
