import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const MERGE_INPUTS = ['input1', 'input2', 'input3', 'input4'] as const

export const mergeParams = z.object({
  mode: labelledEnum({ append: 'Append (input 1, then input 2, …)', byPosition: 'Combine by position', byKey: 'Combine by matching field (join)', waitForAll: 'Wait for all inputs, output one' })
    .default('append')
    .describe('append: items of input1, then input2, … byPosition: pair item n of input1 with item n of input2. byKey: join input1 and input2 on a field. waitForAll: wait for every connected input, output one of them'),
  joinKind: labelledEnum({ inner: 'Matched pairs only (inner join)', left: 'Keep unmatched input 1 items (left join)', outer: 'Keep unmatched items of both (outer join)' }).default('inner').describe('byKey: inner keeps matched pairs; left also keeps unmatched input1 items; outer keeps unmatched items of both'),
  field1: z.string().default('id').describe('byKey: field path on input1 items').meta({ title: 'Field in input 1' }),
  field2: z.string().default('id').describe('byKey: field path on input2 items').meta({ title: 'Field in input 2' }),
  preferOnClash: labelledEnum({ input1: 'Input 1', input2: 'Input 2' }).default('input2').describe('byKey, byPosition: whose value wins when both items have a field'),
  includeUnpaired: z.boolean().default(false).describe('byPosition: also output the items of the longer input that have no partner (off: stop at the shorter input)'),
  maxIndexedItems: z.coerce
    .number()
    .int('A whole number')
    .min(1)
    .max(5_000_000)
    .default(100_000)
    .describe('byKey: most items of the input held in memory to join against (input2, or input1 when only it fits); over it on both inputs the step fails with MERGE_INPUT_TOO_LARGE'),
  output: z.enum(MERGE_INPUTS).meta({ optionLabels: { input1: 'Input 1', input2: 'Input 2', input3: 'Input 3', input4: 'Input 4' } }).default('input1').describe('waitForAll: which input’s items to output'),
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
      'Waits for every **connected** input to finish, then appends their items, pairs them by position, joins input1 and input2 on a field (inner, left or outer), or passes one input on. Unconnected inputs are ignored (they count as empty). Reads its inputs page by page: append, byPosition and waitForAll hold one page per input, byKey holds one input (up to `maxIndexedItems`) and streams the other.',
      '',
      '`append` outputs the items of `input1`, then `input2`, `input3`, `input4`. `waitForAll` waits for every connected',
      'input, then outputs the items of the input named by `output`. `byPosition` merges item n of `input1` with item n of',
      '`input2` into one item (`preferOnClash` decides clashing fields); it stops at the shorter input unless',
      '`includeUnpaired` is on, which passes the longer input\'s remaining items on unchanged.',
      '',
      '`byKey` joins `input1` with `input2` on `field1` / `field2`: keys compare as text, so `42` and `"42"` match; missing',
      'or null keys never match; a path with `__proto__`, `prototype` or `constructor` fails with `RESERVED_KEY`. Each pair',
      'of matching items produces one merged item (like SQL: two orders for one customer → two items).',
      '',
      'Memory: `byKey` holds one input in memory, indexed by key, and reads the other page by page. It holds `input2` when',
      'that has at most `maxIndexedItems` items (default 100,000): the output then follows `input1`\'s order, each item',
      'followed by its matches, and with `outer` the unmatched `input2` items come last. Connect the big input to `input1`',
      'and the lookup table (customers, products…) to `input2`. When only `input1` fits, `input1` is held instead: the',
      'output follows `input2`\'s order and unmatched `input1` items (`left`, `outer`) come last. When neither fits, the step',
      'fails with `MERGE_INPUT_TOO_LARGE` (field `maxIndexedItems`, both counts in the details) instead of exhausting the',
      'worker\'s memory; raise `maxIndexedItems` (up to 5,000,000) if the worker has the memory for it.',
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
      {
        title: 'Pair two lists by position',
        params: { mode: 'byPosition' },
        input: { input1: [{ name: 'Ada' }, { name: 'Bo' }], input2: [{ score: 9 }, { score: 7 }, { score: 5 }] },
        output: { main: [{ name: 'Ada', score: 9 }, { name: 'Bo', score: 7 }] },
      },
    ],
  },
  params: mergeParams,
  inputs: MERGE_INPUTS.map((name, i) => ({ name, label: `Input ${i + 1}` })),
  outputs: [{ name: 'main' }],
  mode: 'stream',
  load: () => import('./execute'),
}
