import { z } from 'zod'
import type { NodeType } from '../define'

export const SUMMARIZE_OPERATIONS = ['count', 'countUnique', 'sum', 'average', 'min', 'max', 'concatenate'] as const
export type SummarizeOperation = (typeof SUMMARIZE_OPERATIONS)[number]

export const aggregationSchema = z.object({
  operation: z.enum(SUMMARIZE_OPERATIONS).meta({ optionLabels: { count: 'Count', countUnique: 'Count unique', sum: 'Sum', average: 'Average', min: 'Minimum', max: 'Maximum', concatenate: 'Concatenate' } }).default('count').describe('count, countUnique, sum, average, min, max or concatenate'),
  field: z.string().trim().default('').describe('Field to aggregate, e.g. "total". count without a field counts items'),
  outputName: z.string().trim().max(200).default('').describe('Name of the result field (default: operation_field, e.g. sum_total)'),
  separator: z.string().max(100).default(', ').describe('operation concatenate: text put between the values'),
})
export type Aggregation = z.infer<typeof aggregationSchema>

export const summarizeParams = z.object({
  groupBy: z.array(z.string().trim().min(1, 'Name the field to group by')).max(20).default([]).describe('Fields whose values make a group, e.g. "customer" (none: one summary of all items)'),
  aggregations: z.array(aggregationSchema).max(50).default([{ operation: 'count', field: '', outputName: '', separator: ', ' }]).describe('What to compute per group'),
})
export type SummarizeParams = z.infer<typeof summarizeParams>

export const summarizeNode: NodeType<SummarizeParams> = {
  type: 'summarize',
  version: 1,
  label: 'Summarize',
  description: 'Groups items and computes count, sum, average, min, max or concatenation per group.',
  icon: 'Sigma',
  category: 'data',
  docs: {
    description: [
      'Groups items by the values of the groupBy fields and computes count, countUnique, sum, average, min, max or concatenate per group: one output item per group, in order of first appearance, with the group fields and one field per aggregation. Without groupBy it outputs one summary of all items. Works page by page: memory grows with the number of groups (and the values countUnique and concatenate remember), not with the number of items.',
      '',
      'It keeps only the running results per group and outputs the groups after the last page. Fields are paths read',
      'from each item (e.g. `customer.name`), not expressions; `__proto__`, `prototype` and `constructor` fail with',
      '`RESERVED_KEY`. `groupBy` takes up to 20 paths: `42` and `"42"` are different groups, while missing and `null` are',
      'the same group (`null`). Without `groupBy` the summary is output even when no items arrive (`count` 0).',
      '`aggregations` takes up to 50 rows; `outputName` defaults to `<operation>_<field>` (`sum_total`; `count` without a',
      'field). Missing and null values are left out of every operation except `count` without a field:',
      '',
      '| operation | result |',
      '|---|---|',
      '| `count` | Items in the group; with a `field`, items where it is present (not missing or null). |',
      '| `countUnique` | Distinct present values of `field` (`42` and `"42"` are two values). |',
      '| `sum` / `average` | Of `field`\'s numbers or numeric text; missing and null are left out (`average` of nothing is `null`). Any other value fails the step (`INVALID_VALUE`, field `aggregations.<i>.field`, naming the item). |',
      '| `min` / `max` | Smallest / largest present value: numbers, ISO dates or text, ordered as by the [conditions](#conditions-if-switch-and-filter); values that cannot be ordered against each other fail the step. |',
      '| `concatenate` | Present values as text (objects as JSON) joined by `separator` (default `, `). |',
      '',
      'Example: `{ "groupBy": ["customer"], "aggregations": [{ "operation": "count" }, { "operation": "sum", "field": "total" }] }`',
      'on Ann\'s orders of 10, 20 and 30 and Bob\'s of 5 outputs `{ "customer": "Ann", "count": 3, "sum_total": 60 }` and',
      '`{ "customer": "Bob", "count": 1, "sum_total": 5 }`.',
    ].join('\n'),
    examples: [
      {
        title: 'Orders and revenue per customer',
        params: { groupBy: ['customer'], aggregations: [{ operation: 'count' }, { operation: 'sum', field: 'total' }] },
        input: [
          { customer: 'Ann', total: 10 },
          { customer: 'Bob', total: 5 },
          { customer: 'Ann', total: 20 },
          { customer: 'Ann', total: 30 },
        ],
        output: {
          main: [
            { customer: 'Ann', count: 3, sum_total: 60 },
            { customer: 'Bob', count: 1, sum_total: 5 },
          ],
        },
      },
      {
        title: 'One summary of all items',
        params: { aggregations: [{ operation: 'average', field: 'total', outputName: 'avg' }, { operation: 'concatenate', field: 'customer', separator: ' / ' }] },
        input: [{ customer: 'Ann', total: 10 }, { customer: 'Bob', total: '20' }],
        output: { main: [{ avg: 15, concatenate_customer: 'Ann / Bob' }] },
      },
    ],
  },
  params: summarizeParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
