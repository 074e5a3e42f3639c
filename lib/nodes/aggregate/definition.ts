import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const aggregateFieldSchema = z.object({
  field: z.string().trim().min(1, 'Name the field to collect').describe('Field to collect from every item, e.g. "email" or "customer.id"'),
  outputName: z.string().trim().max(200).default('').describe('Name of the list in the output item (default: the field\'s last name, e.g. "id")'),
})
export type AggregateField = z.infer<typeof aggregateFieldSchema>

export const aggregateParams = z.object({
  aggregate: labelledEnum({ individualFields: 'Individual fields', allItemData: 'All item data (one list)' })
    .default('individualFields')
    .describe('individualFields: one list per field. allItemData: every item, whole, in one list'),
  fields: z.array(aggregateFieldSchema).max(50).default([]).describe('aggregate individualFields: the fields to collect'),
  destination: z.string().trim().min(1, 'Name the output field').default('data').describe('aggregate allItemData: name of the list in the output item'),
  keepMissing: z.boolean().default(false).describe('aggregate individualFields: also collect missing and null values (as null), so the lists line up with the items'),
})
export type AggregateParams = z.infer<typeof aggregateParams>

/**
 * It reads its input page by page, keeping only what goes into the output; the output is ONE item holding all of
 * it, so Aggregate is meant for lists that fit in one message (a few thousand values), not for millions of rows.
 */
export const aggregateNode: NodeType<AggregateParams> = {
  type: 'aggregate',
  version: 1,
  label: 'Aggregate',
  description: 'Collects the items, or some of their fields, into lists in a single item.',
  icon: 'Group',
  category: 'data',
  docs: {
    description: [
      'Collects many items into one: a list per field (`individualFields`, each list named after the field\'s last name, e.g. `id` for `customer.id`, or after its `outputName`), or every item whole in one list (`allItemData`, at the path `destination`). It always outputs one item, with empty lists when no items arrive. Missing and null values are left out of the lists unless `keepMissing` collects them as `null`, so the lists line up with the items.',
      '',
      'It reads its input page by page and keeps only what goes into the output, but the output is **one item** holding all of it: use it for lists that fit in one message (a few thousand values), not for millions of rows.',
      '',
      'Example: `{ "fields": [{ "field": "email" }, { "field": "customer.id", "outputName": "customerIds" }] }` on three',
      'orders outputs `{ "email": ["a@x.io", "b@x.io", "c@x.io"], "customerIds": [1, 2, 1] }`.',
    ].join('\n'),
    examples: [
      {
        title: 'Collect emails and customer ids',
        params: { fields: [{ field: 'email' }, { field: 'customer.id', outputName: 'customerIds' }] },
        input: [
          { email: 'a@x.io', customer: { id: 1 } },
          { email: 'b@x.io', customer: { id: 2 } },
          { email: 'c@x.io', customer: { id: 1 } },
        ],
        output: { main: [{ email: ['a@x.io', 'b@x.io', 'c@x.io'], customerIds: [1, 2, 1] }] },
      },
      {
        title: 'All items in one list',
        params: { aggregate: 'allItemData', destination: 'orders' },
        input: [{ id: 1 }, { id: 2 }],
        output: { main: [{ orders: [{ id: 1 }, { id: 2 }] }] },
      },
    ],
  },
  params: aggregateParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
