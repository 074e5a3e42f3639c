import { z } from 'zod'
import type { PortDef } from '../../engine/types'
import type { NodeType } from '../define'
import { conditionSchema } from '../conditions'

export const filterParams = z.object({
  conditions: z.array(conditionSchema).default([]).describe('Conditions tested against each item (the same operators as If)'),
  combine: z.enum(['all', 'any']).default('all').describe('all: every condition must hold (AND). any: one is enough (OR)'),
  keepDiscarded: z.boolean().default(false).describe('Send the items that fail to a second output, "discarded" (off: they are dropped)'),
})
export type FilterParams = z.infer<typeof filterParams>

export const DISCARDED_PORT = 'discarded'

export function filterOutputs(params: Partial<FilterParams>): PortDef[] {
  const kept: PortDef = { name: 'main', label: 'Kept' }
  return params.keepDiscarded ? [kept, { name: DISCARDED_PORT, label: 'Discarded' }] : [kept]
}

/**
 * Keeps the items whose conditions hold and drops the others (or sends them to "discarded"). Works page by page.
 * Regex conditions run in the sandbox with a 1-second limit: a pattern that backtracks forever fails the step
 * with INVALID_REGEX instead of stalling the worker.
 *
 * Example: `{ "conditions": [{ "left": "{{ $json.status }}", "operator": "equals", "right": "paid" },
 * { "left": "{{ $json.email }}", "operator": "regex", "right": "/@example\\.com$/i" }], "combine": "all" }`
 * keeps the paid orders of example.com customers.
 */
export const filterNode: NodeType<FilterParams> = {
  type: 'filter',
  version: 1,
  label: 'Filter',
  description: 'Keeps the items that match conditions; the others are dropped or sent to "discarded".',
  icon: 'Filter',
  category: 'data',
  params: filterParams,
  inputs: [{ name: 'main' }],
  outputs: filterOutputs,
  mode: 'batch',
  load: () => import('./execute'),
}
