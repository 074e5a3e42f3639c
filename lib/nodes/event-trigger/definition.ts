import { z } from 'zod'
import type { NodeType } from '../define'
import { combineParam, conditionSchema } from '../conditions'

export const EVENT_NAME_PATTERN = /^[A-Za-z0-9._:-]+$/

/** An event's name: what publishers send and Event triggers subscribe to, e.g. "order.paid" or "billing:invoice-sent". */
export const eventNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the event a name, e.g. order.paid')
  .max(200, 'An event name has at most 200 characters')
  .regex(EVENT_NAME_PATTERN, 'Use letters, digits, ".", "-", "_" and ":" (e.g. order.paid)')

/** Retries of one delivery: at most this many runs per event and subscriber before it goes to the dead letters. */
export const MAX_DELIVERY_ATTEMPTS = 10

export const eventTriggerParams = z.object({
  eventName: eventNameSchema.describe('The event to subscribe to, e.g. order.paid (letters, digits, ".", "-", "_", ":")'),
  conditions: z
    .array(conditionSchema)
    .default([])
    .describe('Only events whose payload passes these conditions start a run; $json is the payload, e.g. {{ $json.total }}'),
  combine: combineParam(),
  maxAttempts: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_DELIVERY_ATTEMPTS)
    .default(3)
    .describe(`Runs per event before the delivery is dead (a dead letter in the studio): 1 to ${MAX_DELIVERY_ATTEMPTS}`),
  retryDelaySeconds: z.coerce
    .number()
    .min(0)
    .max(3600)
    .default(10)
    .describe('Wait before the first retry of a failed run, doubled for each further one (at most an hour)'),
})
export type EventTriggerParams = z.infer<typeof eventTriggerParams>

/** The item an event's run starts with. */
export interface EventItem {
  event: { id: string; name: string; publishedAt: string; source: { executionId: string | null; workflowId: string | null } }
  payload: unknown
  [key: string]: unknown
}

export const eventTrigger: NodeType<EventTriggerParams> = {
  type: 'event-trigger',
  version: 1,
  label: 'Event trigger',
  description: 'Starts the workflow when an event with this name is published (Publish Event node or POST /api/events) and its payload passes the filter.',
  icon: 'Radio',
  category: 'trigger',
  docs: {
    description: [
      'Subscribes the workflow, while it is active, to the events named `eventName` published in its workspace by a',
      '**Publish Event** step or by `POST /api/events`. Each event whose payload passes the conditions gets one delivery to',
      'this trigger, and the delivery starts one run whose item is:',
      '',
      '```json',
      '{ "event": { "id": "…", "name": "order.paid", "publishedAt": "2026-11-30T12:00:00.000Z", "source": { "executionId": "…", "workflowId": "…" } }, "payload": { "order": 7 } }',
      '```',
      '',
      '`source` names the run that published the event (both null for events published through the API).',
      '',
      '**Filter.** Conditions are rows of `{ left, operator, right }` as in Filter and If (see',
      '[Conditions](#conditions-if-switch-and-filter)), evaluated once when the event is published, with `$json` being',
      'the payload: `{ "left": "{{ $json.total }}", "operator": "gte", "right": 100 }`. An event that fails them (or whose',
      'condition cannot be evaluated) is not delivered to this workflow at all. With no conditions every event is delivered.',
      '',
      '**Delivery.** At least once: a run that fails is retried after `retryDelaySeconds`, doubled for each further',
      'attempt, until `maxAttempts` runs have failed; the delivery is then **dead** and listed under *Events → Dead letters*',
      'in the studio, where it can be replayed (a new cycle of attempts) or discarded. A workflow deactivated before an',
      'event reaches it gets no run (the delivery says so). Each attempt starts at most one run, even when its job is',
      'delivered twice; a run may repeat only if a worker dies in the instant between creating the run and recording it.',
    ].join('\n'),
    examples: [
      {
        title: 'Paid orders of 100 or more',
        params: { eventName: 'order.paid', conditions: [{ left: '{{ $json.total }}', operator: 'gte', right: 100 }] },
        output: {
          main: [
            {
              event: { id: 'cmev01', name: 'order.paid', publishedAt: '2026-11-30T12:00:00.000Z', source: { executionId: 'cmex01', workflowId: 'cmwf01' } },
              payload: { order: 7, total: 250 },
            },
          ],
        },
      },
    ],
  },
  trigger: { kind: 'event' },
  listen: { key: (p: EventTriggerParams) => p.eventName },
  params: eventTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
