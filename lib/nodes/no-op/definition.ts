import { z } from 'zod'
import type { NodeType } from '../define'

export const noOpParams = z.object({})
export type NoOpParams = z.infer<typeof noOpParams>

export const noOpNode: NodeType<NoOpParams> = {
  type: 'no-op',
  version: 1,
  label: 'No operation',
  description: 'Passes its items on unchanged.',
  icon: 'ArrowRight',
  category: 'flow',
  outputSample: { passesInput: true },
  docs: {
    description: [
      'Passes its items on unchanged: a named place on the canvas to join branches, look at the data, leave a note or pin a breakpoint. It has no options.',
      '',
      'Example: `[{ "id": 1 }, { "id": 2 }]` in → the same two items out.',
    ].join('\n'),
    examples: [
      {
        title: 'Pass items through',
        input: [{ id: 1 }, { id: 2 }],
        output: { main: [{ id: 1 }, { id: 2 }] },
      },
    ],
  },
  params: noOpParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
