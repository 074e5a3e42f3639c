import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const limitParams = z.object({
  maxItems: z.coerce.number().int('A whole number').min(0).max(1_000_000_000).default(1).describe('Most items to pass on'),
  keep: labelledEnum({ first: 'First items', last: 'Last items' }).default('first').describe('first: the first items in input order. last: the last ones'),
})
export type LimitParams = z.infer<typeof limitParams>

/**
 * Works page by page: each page knows where it sits in the whole input, so neither keep mode holds more than one
 * page. The input is still read to its end (the engine has no way for a step to stop reading early).
 */
export const limitNode: NodeType<LimitParams> = {
  type: 'limit',
  version: 1,
  label: 'Limit',
  description: 'Passes on at most a number of items, the first or the last ones.',
  icon: 'ListEnd',
  category: 'data',
  outputSample: { passesInput: true },
  docs: {
    description: [
      'Passes on at most maxItems items, the first or the last ones in input order, and drops the rest. Works page by page, so neither mode holds more than one page in memory, but the whole input is still read.',
      '',
      'Each page knows where it sits in the whole input, which is what lets both modes work one page at a time. The',
      'input is still read to its end when `keep` is `first`, because a step cannot stop its input early.',
      '',
      'Example: `{ "maxItems": 10 }` on 2,500 search results passes results 1–10 on; `{ "maxItems": 10, "keep": "last" }`',
      'passes 2,491–2,500.',
    ].join('\n'),
    examples: [
      {
        title: 'The first two results',
        params: { maxItems: 2, keep: 'first' },
        input: [{ rank: 1 }, { rank: 2 }, { rank: 3 }, { rank: 4 }],
        output: { main: [{ rank: 1 }, { rank: 2 }] },
      },
      {
        title: 'The last one',
        params: { maxItems: 1, keep: 'last' },
        input: [{ rank: 1 }, { rank: 2 }, { rank: 3 }],
        output: { main: [{ rank: 3 }] },
      },
    ],
  },
  params: limitParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
