import { z } from 'zod'
import type { NodeType } from '../define'
import { text } from '../params'

export const stopAndErrorParams = z.object({
  message: text().pipe(z.string().trim().min(1, 'Say why the run stops').max(2000)).describe('Error message the run fails with, e.g. "Order {{ $json.id }} has no customer"'),
  code: text()
    .pipe(z.string().trim().max(64).regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'Letters, digits, "_", "." and "-", starting with a letter'))
    .optional()
    .describe('Error code kept with the error, for alerts and error workflows (default STOPPED)'),
})
export type StopAndErrorParams = z.infer<typeof stopAndErrorParams>

/**
 * Fails the run on purpose with your message, e.g. after an If that found bad data. The error is not retried.
 * It fires once per step (the message is resolved against the first item), and only when items reach it: with
 * none (a branch not taken, a Filter that kept nothing) it outputs nothing and the run goes on.
 *
 * Example: `{ "message": "Order {{ $json.id }} has no customer", "code": "ORDER_INVALID" }` fails the run with
 * that message and code `ORDER_INVALID`.
 */
export const stopAndErrorNode: NodeType<StopAndErrorParams> = {
  type: 'stop-and-error',
  version: 1,
  label: 'Stop and error',
  description: 'Fails the run with your message and error code (not retried).',
  icon: 'OctagonX',
  category: 'flow',
  params: stopAndErrorParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
