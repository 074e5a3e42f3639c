import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const sortKeySchema = z.object({
  field: z.string().trim().min(1, 'Name the field to sort by').describe('Field to sort by, e.g. "total" or "customer.name"'),
  order: labelledEnum({ asc: 'Ascending (smallest first)', desc: 'Descending (largest first)' }).default('asc').describe('asc: smallest first. desc: largest first'),
})
export type SortKey = z.infer<typeof sortKeySchema>

export const sortParams = z.object({
  sortBy: z.array(sortKeySchema).min(1, 'Add a field to sort by').max(10).describe('Fields to sort by, the first deciding first'),
  inMemoryItems: z.coerce
    .number()
    .int()
    .min(10)
    .max(1_000_000)
    .default(100_000)
    .describe('Items sorted in memory; a bigger input is sorted in runs of this size kept in temporary files, then merged').meta({ title: 'Items sorted in memory' }),
})
export type SortParams = z.infer<typeof sortParams>

/** Sorting needs every item before the first can be output: pages are gathered, and past `inMemoryItems` spilled as
 * sorted runs to temporary files and merged (runs.ts), so memory stays bounded for any input size. */
export const sortNode: NodeType<SortParams> = {
  type: 'sort',
  version: 1,
  label: 'Sort',
  description: 'Orders the items by one or more fields.',
  icon: 'ArrowUpDown',
  category: 'data',
  outputSample: { passesInput: true },
  docs: {
    description: [
      'Orders the items by one or more fields, the first deciding first, each ascending or descending. Equal items keep their input order. Up to `inMemoryItems` (default 100,000) items are sorted in memory; a bigger input is sorted in runs of that size written to temporary files and merged, so a million items sort with memory bounded by `inMemoryItems`, not by the input.',
      '',
      '`sortBy` takes 1–10 rows. Numbers and numeric text sort as numbers (`9` before `"10"`), ISO dates by time, other',
      'text by character code (case-sensitive). Mixed kinds sort numbers, then dates, then text, then booleans, then',
      'objects (the reverse for `desc`); missing and `null` values come last in both orders.',
      '',
      'Example: `{ "sortBy": [{ "field": "customer" }, { "field": "total", "order": "desc" }] }` lists each customer\'s',
      'orders together, biggest first.',
    ].join('\n'),
    examples: [
      {
        title: 'Each customer\'s orders together, biggest first',
        params: { sortBy: [{ field: 'customer', order: 'asc' }, { field: 'total', order: 'desc' }] },
        input: [
          { customer: 'Bob', total: 5 },
          { customer: 'Ann', total: 10 },
          { customer: 'Ann', total: '30' },
          { customer: 'Bob', total: 50 },
        ],
        output: {
          main: [
            { customer: 'Ann', total: '30' },
            { customer: 'Ann', total: 10 },
            { customer: 'Bob', total: 50 },
            { customer: 'Bob', total: 5 },
          ],
        },
      },
      {
        title: 'Missing values last',
        params: { sortBy: [{ field: 'due', order: 'desc' }] },
        input: [{ id: 1 }, { id: 2, due: '2026-03-01' }, { id: 3, due: '2026-11-15' }],
        output: { main: [{ id: 3, due: '2026-11-15' }, { id: 2, due: '2026-03-01' }, { id: 1 }] },
      },
    ],
  },
  params: sortParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
