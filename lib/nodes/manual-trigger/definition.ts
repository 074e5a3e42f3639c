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
  docs: {
    description: 'The start of a workflow run by hand: Run in the designer, or POST /api/workflows/:id/run with items. A run without input outputs one empty item, so the next node runs once.',
    examples: [
      { title: 'Run with two items', input: [{ id: 1 }, { id: 2 }], output: { main: [{ id: 1 }, { id: 2 }] } },
      { title: 'Run without input', output: { main: [{}] } },
    ],
  },
  trigger: { kind: 'manual' },
  params: manualTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
