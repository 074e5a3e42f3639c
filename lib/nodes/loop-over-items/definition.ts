import { z } from 'zod'
import type { NodeType } from '../define'

export const loopOverItemsParams = z.object({
  batchSize: z.coerce.number().int('A whole number').min(1).max(1_000_000).default(1).describe('Items handed to the loop per iteration'),
  maxIterations: z.coerce
    .number()
    .int('A whole number')
    .min(1)
    .max(1_000_000)
    .default(1000)
    .describe('Most iterations this loop may run; more batches than this fail the step (LOOP_LIMIT) before the first one. The host caps it too (AUTERITY_MAX_LOOP_ITERATIONS)'),
})
export type LoopOverItemsParams = z.infer<typeof loopOverItemsParams>

/**
 * The engine runs the loop (lib/engine/loop-runner.ts): it calls execute once per batch and runs the nodes after the
 * `loop` output with what it returns there; what they send back into this node's input comes out of `done` at the end.
 */
export const loopOverItemsNode: NodeType<LoopOverItemsParams> = {
  type: 'loop-over-items',
  version: 1,
  label: 'Loop over items',
  description: 'Runs the nodes after "loop" once per batch of items; "done" gets every item they send back.',
  icon: 'Repeat',
  category: 'flow',
  docs: {
    description: [
      'Hands its input to the nodes after its "loop" output in batches of batchSize items, one batch per iteration, and runs those nodes (the loop body) again for each batch. Connect the end of the body back to this node\'s input: once the input is used up, "done" outputs every item that came back, in order, and the nodes after "done" run once.',
      '',
      'Use it for APIs that take a few records at a time, rate-limited calls (a Wait in the body), or work that must',
      'finish for one batch before the next starts. Inside the body, expressions see the current iteration:',
      '`$node["Loop over items"].json` is the first item of the batch, and a body node\'s output is this iteration\'s.',
      '',
      '- The edge back into this node is the only way a workflow may go round; any other cycle is refused when the',
      '  workflow is saved. A loop inside another loop\'s body is not supported (yet), and a body node cannot take',
      '  input from a node that only runs after the loop.',
      '- Items the body does not send back (a branch of an If that leads nowhere, a body without an edge back) simply',
      '  end there; the loop still moves on to the next batch. Without an edge back, "done" outputs no items.',
      '- The number of batches is known up front: more than maxIterations (or the host\'s limit) fails the step with',
      '  `LOOP_LIMIT` before the first batch runs.',
      '- Each body step runs once per iteration; its run history keeps every iteration (attempts go on counting) and',
      '  its output is the last iteration\'s. A run resumed after a worker stopped starts an unfinished loop over.',
      '',
      'Example: `{ "batchSize": 50 }` on 120 contacts runs the body three times, with 50, 50 and 20 contacts.',
    ].join('\n'),
    examples: [
      {
        title: 'Batches of two (the loop body sends every batch straight back)',
        params: { batchSize: 2 },
        input: [{ id: 1 }, { id: 2 }, { id: 3 }],
        output: { done: [{ id: 1 }, { id: 2 }, { id: 3 }] },
      },
    ],
  },
  params: loopOverItemsParams,
  inputs: [{ name: 'main' }],
  outputs: [
    { name: 'done', label: 'Done' },
    { name: 'loop', label: 'Loop' },
  ],
  loop: { bodyPort: 'loop', donePort: 'done', plan: (p) => ({ batchSize: p.batchSize, maxIterations: p.maxIterations }) },
  load: () => import('./execute'),
}
