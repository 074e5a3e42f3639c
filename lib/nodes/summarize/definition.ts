import { z } from 'zod'
import type { NodeType } from '../define'

export const SUMMARIZE_OPERATIONS = ['count', 'countUnique', 'sum', 'average', 'min', 'max', 'concatenate'] as const
export type SummarizeOperation = (typeof SUMMARIZE_OPERATIONS)[number]

export const aggregationSchema = z.object({
  operation: z.enum(SUMMARIZE_OPERATIONS).default('count').describe('count, countUnique, sum, average, min, max or concatenate'),
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

/**
 * Group by with count, count of distinct values, sum, average, min, max and concatenate: one output item per group,
 * in order of first appearance, with the group fields and one field per aggregation. Works page by page, keeping
 * only the running results per group: memory grows with the number of groups (and with the values countUnique and
 * concatenate must remember), not with the number of items. Field paths are fixed text, read from each item.
 * Missing and null values are left out of every operation except count without a field; sum and average accept
 * numbers and numeric text and fail naming the item on anything else; min and max order numbers, ISO dates or text.
 *
 * Example: `{ "groupBy": ["customer"], "aggregations": [{ "operation": "count" }, { "operation": "sum", "field": "total" }] }`
 * on three orders of Ann (10, 20, 30) and one of Bob (5) outputs `{ "customer": "Ann", "count": 3, "sum_total": 60 }`
 * and `{ "customer": "Bob", "count": 1, "sum_total": 5 }`.
 */
export const summarizeNode: NodeType<SummarizeParams> = {
  type: 'summarize',
  version: 1,
  label: 'Summarize',
  description: 'Groups items and computes count, sum, average, min, max or concatenation per group.',
  icon: 'Sigma',
  category: 'data',
  params: summarizeParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
