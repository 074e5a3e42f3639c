import { z } from 'zod'
import type { NodeType } from '../define'

export const errorTriggerParams = z.object({})
export type ErrorTriggerParams = z.infer<typeof errorTriggerParams>

/** The item an error workflow starts with: what failed, where, and a link to the failed run. */
export interface ErrorTriggerItem {
  execution: {
    id: string
    /** The failed run in the studio: <studio URL>/executions/<id>. */
    url: string
    mode: string
    retryOf: string | null
    error: { message: string; name: string }
    /** The name of the node whose step failed, when one did (null: the run failed outside a step). */
    lastNodeExecuted: string | null
  }
  workflow: { id: string; name: string }
  /** The failed node; null when the run failed outside a step (it could not start, its worker gave up). */
  node: { id: string; name: string; type: string } | null
  [key: string]: unknown
}

export const errorTrigger: NodeType<ErrorTriggerParams> = {
  type: 'error-trigger',
  version: 1,
  label: 'Error Trigger',
  description: 'Starts the workflow when a workflow that names it as its error workflow fails; outputs the failed run, workflow and node.',
  icon: 'TriangleAlert',
  category: 'trigger',
  docs: {
    description: [
      'Makes the workflow an **error workflow**: pick it in another workflow\'s Settings (`settings.errorWorkflowId`), and',
      'every failed run of that workflow starts this one (its published version when it has one, else its newest saved',
      'version; it does not need to be active), with one item:',
      '',
      '```json',
      '{ "execution": { "id": "…", "url": "https://studio.example.com/executions/…", "mode": "webhook", "retryOf": null,',
      '    "error": { "message": "…", "name": "NodeError" }, "lastNodeExecuted": "Charge card" },',
      '  "workflow": { "id": "…", "name": "Orders" }, "node": { "id": "charge", "name": "Charge card", "type": "http-request" } }',
      '```',
      '',
      'The run is recorded with mode `error` and links to the failed run ("Started by"). A failing error workflow run',
      'never starts another error workflow run, so an error workflow that fails cannot loop.',
    ].join('\n'),
    examples: [
      {
        title: 'A failed webhook run',
        input: [
          {
            execution: { id: 'cm4x2', url: 'https://studio.example.com/executions/cm4x2', mode: 'webhook', retryOf: null, error: { message: 'Request failed with status 502', name: 'NodeError' }, lastNodeExecuted: 'Charge card' },
            workflow: { id: 'cm4w9', name: 'Orders' },
            node: { id: 'charge', name: 'Charge card', type: 'http-request' },
          },
        ],
        output: {
          main: [
            {
              execution: { id: 'cm4x2', url: 'https://studio.example.com/executions/cm4x2', mode: 'webhook', retryOf: null, error: { message: 'Request failed with status 502', name: 'NodeError' }, lastNodeExecuted: 'Charge card' },
              workflow: { id: 'cm4w9', name: 'Orders' },
              node: { id: 'charge', name: 'Charge card', type: 'http-request' },
            },
          ],
        },
      },
    ],
  },
  trigger: { kind: 'error' },
  params: errorTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
