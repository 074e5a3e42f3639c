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
    description: [
      'Starts the workflow when you press **Run** in the designer or call `POST /api/workflows/:id/run`.',
      'Outputs the items the run was given; a run without input outputs one empty item `{}`, so the next node',
      'runs once.',
    ].join('\n'),
    examples: [
      { title: 'Run with two items', input: [{ id: 1 }, { id: 2 }], output: { main: [{ id: 1 }, { id: 2 }] } },
      { title: 'Run without input', output: { main: [{}] } },
    ],
  },
  trigger: { kind: 'manual' },
  // Outputs the run's input items (none: one empty item), so nothing is known before a run.
  outputSample: { item: {} },
  params: manualTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
