import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'
import { eventNameSchema } from '../event-trigger/definition'

export const publishEventParams = z.object({
  name: eventNameSchema.describe('Event name, e.g. order.paid (letters, digits, ".", "-", "_", ":"; up to 200 characters)').meta({ ui: 'expression' }),
  payload: z
    .unknown()
    .optional()
    .describe('What subscribers receive as payload: JSON or an expression such as {{ $json.order }}. Empty: the item itself (once: { items })')
    .meta({ ui: 'json' }),
  mode: labelledEnum({ each: 'One event per item', once: 'One event for all items' })
    .default('each')
    .describe('each: one event per item. once: one event for all the items (params resolved against the first item)'),
})
export type PublishEventParams = z.infer<typeof publishEventParams>

export const publishEventNode: NodeType<PublishEventParams, 'events'> = {
  type: 'publish-event',
  version: 1,
  label: 'Publish event',
  description: 'Publishes a named event with a payload; every active workflow whose Event trigger matches it gets a run.',
  icon: 'Megaphone',
  category: 'flow',
  docs: {
    description: [
      'Publishes an event named `name` in the workspace, one per item (`mode: each`) or one for all the items',
      '(`mode: once`). Every active workflow with an **Event trigger** on that name whose filter passes the payload gets a',
      'delivery, and each delivery starts a run (retried on failure, then listed as a dead letter in the studio under',
      '*Events*). The items go on with `eventId` and `subscribers` (how many workflows the event was delivered to).',
      '',
      '`payload` is JSON or an expression; left empty it is the item itself (with `once`: `{ "items": [...] }`). It must be',
      'JSON data: files travel as their references. Events from this step name its run as their `source`.',
      '',
      'A retried or re-delivered step publishes nothing twice: each item\'s event is keyed by the step and item, and a',
      'second attempt gets the event the first one published. Publishing works only in real runs; testing the step alone',
      'fails with `EVENTS_UNAVAILABLE` (it would start runs of other workflows).',
      '',
      'Chains are bounded: a run started by an event may publish, and so may the run that event starts, up to 25 events',
      'deep; one more fails the step with `EVENT_CHAIN_TOO_DEEP` (not retried). A workflow that publishes the event it',
      'subscribes to thus stops, and its last delivery shows up as a dead letter.',
    ].join('\n'),
    examples: [
      {
        title: 'Announce each paid order',
        params: { name: 'order.paid', payload: { order: '{{ $json.id }}', total: '{{ $json.total }}' } },
        input: [{ id: 7, total: 250 }],
        output: { main: [{ id: 7, total: 250, eventId: 'cmev01', subscribers: 2 }] },
      },
      {
        title: 'One event for the whole batch',
        params: { name: 'import.finished', mode: 'once', payload: { count: '{{ $input.all().length }}' } },
        input: [{ row: 1 }, { row: 2 }],
        output: { main: [{ row: 1, eventId: 'cmev02', subscribers: 1 }, { row: 2, eventId: 'cmev02', subscribers: 1 }] },
      },
    ],
  },
  params: publishEventParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['events'],
  sideEffects: true,
  load: () => import('./execute'),
}
