import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

/** The field fire-and-forget adds to each input item: the child run it started. */
export const SUB_EXECUTION_FIELD = 'subExecutionId'

export const executeWorkflowParams = z.object({
  workflowId: z.string().trim().min(1, 'Pick the workflow to run').describe('The workflow to run; it must start with an Execute Workflow Trigger').meta({ ui: 'workflow', title: 'Workflow' }),
  version: labelledEnum({ published: 'Published version', current: 'Latest saved version' })
    .default('published')
    .describe('published: the version its owner published (refused when it has none). current: its newest saved version'),
  mode: labelledEnum({ wait: 'Wait for it to finish', fireAndForget: 'Start it and go on' })
    .default('wait')
    .describe('wait: run it now and output its last step\'s items. fireAndForget: queue it and pass the input items on, each with the child run\'s id'),
  runFor: labelledEnum({ allItems: 'All items together', eachItem: 'Each item separately' })
    .default('allItems')
    .describe('allItems: one child run with every item. eachItem: one child run per item, outputs concatenated in order'),
})
export type ExecuteWorkflowParams = z.infer<typeof executeWorkflowParams>

export const executeWorkflow: NodeType<ExecuteWorkflowParams, 'executeWorkflow'> = {
  type: 'execute-workflow',
  version: 1,
  label: 'Execute Workflow',
  description: 'Runs another saved workflow (a sub-workflow) with these items: waits for its output, or starts it and goes on.',
  icon: 'Workflow',
  category: 'flow',
  docs: {
    description: [
      'Runs a workflow of this workspace that starts with an **Execute Workflow Trigger** (a workflow without one is',
      'refused, named in the error). The child run is recorded as an execution of its own (mode `subworkflow`), linked',
      'both ways: the child shows "Started by" this run, this run lists its sub-workflow runs.',
      '',
      '- `version`: `published` runs the child\'s published version (an error when it has none; publishing makes it',
      '  active, and deactivating it later does not change what callers run), `current` its newest saved version.',
      '- `mode`: `wait` runs the child now and outputs the items of its last step; a failed child fails this step, and',
      '  canceling this run cancels the child. `fireAndForget` queues the child and outputs the input items, each with',
      `  \`${SUB_EXECUTION_FIELD}\`, the child run's id.`,
      '- `runFor`: `allItems` starts one child run with every item; `eachItem` one per item, in order (outputs',
      '  concatenated). No input items: no child run.',
      '',
      'Sub-workflows may call sub-workflows (or themselves) up to `AUTERITY_MAX_SUBWORKFLOW_DEPTH` levels (default 10):',
      'a step that would go deeper fails with an error naming the depth, so a workflow that calls itself stops there.',
    ].join('\n'),
    examples: [
      {
        title: 'Look up each customer in a sub-workflow and wait for the answer',
        params: { workflowId: 'cm4w9lookup', version: 'published', mode: 'wait', runFor: 'eachItem' },
        input: [{ email: 'ada@example.com' }, { email: 'alan@example.com' }],
        output: { main: [{ email: 'ada@example.com', plan: 'pro' }, { email: 'alan@example.com', plan: 'free' }] },
      },
      {
        title: 'Hand the batch to a slow sub-workflow and go on',
        params: { workflowId: 'cm4w9import', mode: 'fireAndForget' },
        input: [{ file: 'march.csv' }],
        output: { main: [{ file: 'march.csv', [SUB_EXECUTION_FIELD]: 'cm4x7child' }] },
      },
    ],
  },
  params: executeWorkflowParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  sideEffects: true, // a child run acts as its steps do
  services: ['executeWorkflow'],
  load: () => import('./execute'),
}
