import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const splitOutParams = z.object({
  field: z.string().trim().min(1, 'Name the field that holds the list').describe('Field holding the list to split, e.g. "lines" or "order.lines"'),
  include: labelledEnum({ noOtherFields: 'No other fields', allOtherFields: 'All other fields' })
    .default('noOtherFields')
    .describe('noOtherFields: each new item has only the element. allOtherFields: it also keeps the other fields of the item it came from'),
  destination: z
    .string()
    .trim()
    .optional()
    .describe('Field to put each element in. Empty: an object element\'s fields become the item\'s; other elements go in a field named like the list'),
})
export type SplitOutParams = z.infer<typeof splitOutParams>

export const splitOutNode: NodeType<SplitOutParams> = {
  type: 'split-out',
  version: 1,
  label: 'Split out',
  description: 'Turns an item holding a list into one item per element.',
  icon: 'Ungroup',
  category: 'data',
  docs: {
    description: [
      'Turns one item holding a list into one item per element. include allOtherFields also copies the other fields of the original item (without the list) onto each new one. Without a destination, an object element\'s fields become the new item\'s and other elements go in a field named like the list (`tags` for `data.tags`); with one, each element goes in that field. Works page by page: a page\'s output holds every element of that page\'s lists.',
      '',
      'An item whose field is missing or null yields no items; any other value that is not a list fails the step',
      '(`INVALID_VALUE`, field `field`, naming the item\'s index).',
      '',
      'Example: `{ "field": "lines", "include": "allOtherFields" }` on `{ "order": 7, "lines": [{ "sku": "A" }, { "sku": "B" }] }`',
      'outputs `{ "order": 7, "sku": "A" }` and `{ "order": 7, "sku": "B" }`; with `"destination": "line"`,',
      '`{ "order": 7, "line": { "sku": "A" } }` and `{ "order": 7, "line": { "sku": "B" } }`.',
    ].join('\n'),
    examples: [
      {
        title: 'One item per order line',
        params: { field: 'lines', include: 'allOtherFields' },
        input: [{ order: 7, lines: [{ sku: 'A' }, { sku: 'B' }] }],
        output: { main: [{ order: 7, sku: 'A' }, { order: 7, sku: 'B' }] },
      },
      {
        title: 'Each line in a field of its own',
        params: { field: 'lines', include: 'allOtherFields', destination: 'line' },
        input: [{ order: 7, lines: [{ sku: 'A' }, { sku: 'B' }] }],
        output: { main: [{ order: 7, line: { sku: 'A' } }, { order: 7, line: { sku: 'B' } }] },
      },
    ],
  },
  params: splitOutParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
