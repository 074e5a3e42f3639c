import { z } from 'zod'
import type { NodeType } from '../define'

export const MERGE_INPUTS = ['input1', 'input2', 'input3', 'input4'] as const

export const mergeParams = z.object({
  mode: z
    .enum(['append', 'byKey', 'waitForAll'])
    .default('append')
    .describe('append: items of input1, then input2, … byKey: join input1 and input2 on a field. waitForAll: wait for every connected input, output one of them'),
  joinKind: z.enum(['inner', 'left', 'outer']).default('inner').describe('byKey: inner keeps matched pairs; left also keeps unmatched input1 items; outer keeps unmatched items of both'),
  field1: z.string().default('id').describe('byKey: field path on input1 items'),
  field2: z.string().default('id').describe('byKey: field path on input2 items'),
  preferOnClash: z.enum(['input1', 'input2']).default('input2').describe('byKey: whose value wins when both items have a field'),
  output: z.enum(MERGE_INPUTS).default('input1').describe('waitForAll: which input’s items to output'),
})
export type MergeParams = z.infer<typeof mergeParams>

export const mergeNode: NodeType<MergeParams> = {
  type: 'merge',
  version: 1,
  label: 'Merge',
  description: 'Combines the items of up to four inputs once every connected input has finished. Unconnected inputs are ignored.',
  icon: 'Merge',
  category: 'flow',
  docs: {
    description: [
      'Waits for every **connected** input to finish, then appends their items, joins input1 and input2 on a field (inner, left or outer), or passes one input on. Unconnected inputs are ignored (they count as empty).',
      '',
      '`append` outputs the items of `input1`, then `input2`, `input3`, `input4`. `waitForAll` waits for every connected',
      'input, then outputs the items of the input named by `output`. `byKey` joins `input1` with `input2` on `field1` /',
      '`field2`: keys compare as text, so `42` and `"42"` match; missing or null keys never match; a path with',
      '`__proto__`, `prototype` or `constructor` fails with `RESERVED_KEY`. Each pair of matching items produces one',
      'merged item (like SQL: two orders for one customer → two items).',
    ].join('\n'),
    examples: [
      {
        title: 'Append two inputs',
        input: { input1: [{ a: 1 }], input2: [{ b: 2 }] },
        output: { main: [{ a: 1 }, { b: 2 }] },
      },
      {
        title: 'Join orders to customers',
        params: { mode: 'byKey', field1: 'customerId', field2: 'id' },
        input: { input1: [{ order: 7, customerId: 'c1' }], input2: [{ id: 'c1', name: 'Ada' }] },
        output: { main: [{ order: 7, customerId: 'c1', id: 'c1', name: 'Ada' }] },
      },
    ],
  },
  params: mergeParams,
  inputs: MERGE_INPUTS.map((name, i) => ({ name, label: `Input ${i + 1}` })),
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
