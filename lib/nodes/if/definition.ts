import { z } from 'zod'
import type { NodeType } from '../define'
import { combineParam, conditionSchema } from '../conditions'

export const ifParams = z.object({
  conditions: z.array(conditionSchema).default([]).describe('Conditions tested against each item'),
  combine: combineParam(),
})
export type IfParams = z.infer<typeof ifParams>

export const ifNode: NodeType<IfParams> = {
  type: 'if',
  version: 1,
  label: 'If',
  description: 'Routes each item to "true" or "false" depending on conditions.',
  icon: 'GitBranch',
  category: 'flow',
  docs: {
    description: [
      'Tests conditions against each item and sends it to "true" or "false". Conditions combine with all (AND) or any (OR); comparisons coerce numeric strings, booleans and ISO dates.',
      '',
      'Conditions are rows of `{ left, operator, right }` (see [Conditions](#conditions-if-switch-and-filter)), resolved',
      'per item. With no conditions every item goes to `true`.',
      '',
      'Example: `{ "left": "{{ $json.total }}", "operator": "gte", "right": 100 }`.',
    ].join('\n'),
    examples: [
      {
        title: 'Split paid from unpaid orders',
        params: { conditions: [{ left: '{{ $json.status }}', operator: 'equals', right: 'paid' }] },
        input: [{ id: 1, status: 'paid' }, { id: 2, status: 'open' }],
        output: { true: [{ id: 1, status: 'paid' }], false: [{ id: 2, status: 'open' }] },
      },
    ],
  },
  params: ifParams,
  inputs: [{ name: 'main' }],
  outputs: [
    { name: 'true', label: 'True' },
    { name: 'false', label: 'False' },
  ],
  mode: 'batch',
  outputSample: { passesInput: true },
  load: () => import('./execute'),
}
