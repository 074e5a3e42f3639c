import { z } from 'zod'
import type { NodeType } from '../define'

export const manualTriggerParams = z.object({})
export type ManualTriggerParams = z.infer<typeof manualTriggerParams>

export const manualTrigger: NodeType<ManualTriggerParams> = {
  type: 'manual-trigger',
  version: 1,
  label: 'Manual trigger',
  description: 'Starts the workflow when you press Run (or call the run API). Outputs the items the run was given, or one empty item.',
  icon: 'MousePointerClick',
  category: 'trigger',
  trigger: { kind: 'manual' },
  params: manualTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
