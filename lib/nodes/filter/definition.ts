import { z } from 'zod'
import type { PortDef } from '../../engine/types'
import type { NodeType } from '../define'
import { combineParam, conditionSchema } from '../conditions'

export const filterParams = z.object({
  conditions: z.array(conditionSchema).default([]).describe('Conditions tested against each item (the same operators as If)'),
  combine: combineParam(),
  keepDiscarded: z.boolean().default(false).describe('Send the items that fail to a second output, "discarded" (off: they are dropped)'),
})
export type FilterParams = z.infer<typeof filterParams>

export const DISCARDED_PORT = 'discarded'

export function filterOutputs(params: Partial<FilterParams>): PortDef[] {
  const kept: PortDef = { name: 'main', label: 'Kept' }
  return params.keepDiscarded ? [kept, { name: DISCARDED_PORT, label: 'Discarded' }] : [kept]
}

/**
 * Regex conditions run in the sandbox with a 1-second limit: a pattern that backtracks forever fails the step
 * with INVALID_REGEX instead of stalling the worker.
 */
export const filterNode: NodeType<FilterParams> = {
  type: 'filter',
  version: 1,
  label: 'Filter',
  description: 'Keeps the items that match conditions; the others are dropped or sent to "discarded".',
  icon: 'Filter',
  category: 'data',
  docs: {
    description: [
      'Keeps the items whose conditions hold and drops the others, or with keepDiscarded sends them to a second output, "discarded". Conditions use the same operators as If and combine with all (AND) or any (OR). Works page by page, so memory does not grow with the input.',
      '',
      'Conditions are rows of `{ left, operator, right }` (see [Conditions](#conditions-if-switch-and-filter)), resolved',
      'per item; with no conditions every item is kept. A `regex` condition runs in the sandbox with a 1-second limit: a',
      'pattern that backtracks forever (`(a+)+$` against `aaaa…a!`) fails the step with `INVALID_REGEX` (field',
      '`conditions`, not retried) and the worker carries on.',
      '',
      'Example: `{ "conditions": [{ "left": "{{ $json.status }}", "operator": "equals", "right": "paid" }, { "left":',
      '"{{ $json.email }}", "operator": "regex", "right": "/@example\\\\.com$/i" }] }` keeps the paid orders of example.com',
      'customers.',
    ].join('\n'),
    examples: [
      {
        title: 'Keep the paid orders of example.com customers',
        params: {
          conditions: [
            { left: '{{ $json.status }}', operator: 'equals', right: 'paid' },
            { left: '{{ $json.email }}', operator: 'regex', right: '/@example\\.com$/i' },
          ],
          combine: 'all',
        },
        input: [
          { id: 1, status: 'paid', email: 'ann@example.com' },
          { id: 2, status: 'open', email: 'bob@example.com' },
          { id: 3, status: 'paid', email: 'cy@other.org' },
        ],
        output: { main: [{ id: 1, status: 'paid', email: 'ann@example.com' }] },
      },
      {
        title: 'Send the rest to "discarded"',
        params: { conditions: [{ left: '{{ $json.total }}', operator: 'gte', right: '100' }], keepDiscarded: true },
        input: [{ id: 1, total: 250 }, { id: 2, total: 40 }],
        output: { main: [{ id: 1, total: 250 }], discarded: [{ id: 2, total: 40 }] },
      },
    ],
  },
  params: filterParams,
  inputs: [{ name: 'main' }],
  outputs: filterOutputs,
  mode: 'batch',
  outputSample: { passesInput: true },
  load: () => import('./execute'),
}
