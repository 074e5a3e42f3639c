import { z } from 'zod'
import type { NodeType } from '../define'
import { conditionSchema } from '../conditions'

export const ifParams = z.object({
  conditions: z.array(conditionSchema).default([]).describe('Conditions tested against each item'),
  combine: z.enum(['all', 'any']).default('all').describe('all: every condition must hold (AND). any: one is enough (OR)'),
})
export type IfParams = z.infer<typeof ifParams>

export const ifNode: NodeType<IfParams> = {
  type: 'if',
  version: 1,
  label: 'If',
  description: 'Routes each item to "true" or "false" depending on conditions.',
  icon: 'GitBranch',
  category: 'flow',
  params: ifParams,
  inputs: [{ name: 'main' }],
  outputs: [
    { name: 'true', label: 'True' },
    { name: 'false', label: 'False' },
  ],
  mode: 'batch',
  load: () => import('./execute'),
}
