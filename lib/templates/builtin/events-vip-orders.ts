import { edge, firstVersion, node } from './build'

const event = (order: string, total: number, customer: string) => ({
  event: { id: `ev-${order}`, name: 'order.paid', publishedAt: '2026-11-30T12:00:00.000Z', source: { executionId: 'ex-1', workflowId: 'wf-shop' } },
  payload: { order, total, customer },
})

export const eventsVipOrders = firstVersion('events-vip-orders', {
  name: 'Turn big paid orders into VIP events',
  description: 'Listens for an event (order.paid by default) published by your other workflows, and for orders at or above a threshold publishes a follow-up event (order.vip) with what the account team needs. Every workflow subscribed to that event runs once per VIP order.',
  category: 'events',
  tags: ['events', 'event bus', 'publish', 'orders'],
  parameters: [
    { name: 'eventName', label: 'Event to listen for', type: 'string', default: 'order.paid', required: true },
    { name: 'threshold', label: 'VIP threshold', type: 'number', default: 500, required: true },
    { name: 'vipEvent', label: 'Event to publish', type: 'string', default: 'order.vip', required: true },
  ],
  graph: {
    nodes: [
      node('trigger', 'event-trigger', 'Order paid', { eventName: '{{ $param.eventName }}', maxAttempts: 3 }, 0),
      node('check', 'if', 'Big order?', { conditions: [{ left: '{{ $json.payload.total }}', operator: 'gte', right: '{{ $param.threshold }}' }] }, 1),
      node('shape', 'set', 'VIP details', { keepOtherFields: false, fields: [{ name: 'order', value: '{{ $json.payload.order }}' }, { name: 'customer', value: '{{ $json.payload.customer }}' }, { name: 'total', value: '{{ $json.payload.total }}' }, { name: 'paidEvent', value: '{{ $json.event.id }}' }] }, 2),
      node('publish', 'publish-event', 'Publish VIP event', { name: '{{ $param.vipEvent }}', mode: 'each', payload: { order: '{{ $json.order }}', customer: '{{ $json.customer }}', total: '{{ $json.total }}' } }, 3),
    ],
    edges: [edge('trigger', 'check'), edge('check', 'shape', 'true'), edge('shape', 'publish')],
  },
  testCases: [
    {
      name: 'a big order becomes a VIP event',
      input: [event('A-7', 820, 'c-17')],
      recorded: { 'Publish VIP event': [{ order: 'A-7', customer: 'c-17', total: 820, paidEvent: 'ev-A-7', eventId: 'ev-vip-1', subscribers: 2 }] },
      expect: [{ node: 'VIP details', equals: [{ order: 'A-7', customer: 'c-17', total: 820, paidEvent: 'ev-A-7' }] }],
    },
    {
      name: 'a small order publishes nothing',
      input: [event('A-8', 40, 'c-3')],
      recorded: { 'Publish VIP event': [] },
      expect: [{ node: 'Big order?', port: 'true', equals: [] }, { node: 'Big order?', port: 'false', equals: [event('A-8', 40, 'c-3')] }],
    },
  ],
})
