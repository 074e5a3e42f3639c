import { z } from 'zod'
import type { NodeType } from '../define'

export const limitParams = z.object({
  maxItems: z.coerce.number().int('A whole number').min(0).max(1_000_000_000).default(1).describe('Most items to pass on'),
  keep: z.enum(['first', 'last']).default('first').describe('first: the first items in input order. last: the last ones'),
})
export type LimitParams = z.infer<typeof limitParams>

/**
 * Passes on at most `maxItems` items, the first or the last ones in input order. Works page by page: each page
 * knows where it sits in the whole input, so neither keep mode holds more than one page. The input is still read
 * to its end (the engine has no way for a step to stop reading early).
 *
 * Example: `{ "maxItems": 10, "keep": "first" }` on 2,500 search results passes results 1–10 on.
 */
export const limitNode: NodeType<LimitParams> = {
  type: 'limit',
  version: 1,
  label: 'Limit',
  description: 'Passes on at most a number of items, the first or the last ones.',
  icon: 'ListEnd',
  category: 'data',
  params: limitParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
