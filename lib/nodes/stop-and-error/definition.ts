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

export const stopAndErrorNode: NodeType<StopAndErrorParams> = {
  type: 'stop-and-error',
  version: 1,
  label: 'Stop and error',
  description: 'Fails the run with your message and error code (not retried).',
  icon: 'OctagonX',
  category: 'flow',
  docs: {
    description: [
      'Fails the run on purpose with your message, e.g. on the branch of an If that found bad data; the code (default STOPPED) is kept with the error for alerts and error workflows. It only fires when items reach it: with none (a branch not taken, a Filter that kept nothing) it outputs nothing and the run goes on.',
      '',
      'The step fails once, with the message resolved against the first item, and is not retried, whatever the node\'s',
      'retry settings. With `continueOnFail` the error becomes an item on the `error` output like any other failure.',
      '',
      'The `message` is required (1–2,000 characters). The `code` is made of letters, digits, `_`, `.` and `-`, starts with',
      'a letter and has at most 64 characters.',
      '',
      'Example: `{ "message": "Order {{ $json.id }} has no customer", "code": "ORDER_INVALID" }` fails the run with',
      '`Order 7 has no customer` and code `ORDER_INVALID`.',
    ].join('\n'),
    examples: [
      {
        // No output: the run fails with "Order 7 has no customer" (code ORDER_INVALID), so the example is not run.
        title: 'Fail on an order without a customer',
        params: { message: 'Order {{ $json.id }} has no customer', code: 'ORDER_INVALID' },
        input: [{ id: 7, customer: null }],
      },
      {
        title: 'No items: nothing happens',
        params: { message: 'Order {{ $json.id }} has no customer', code: 'ORDER_INVALID' },
        input: { main: [] },
        output: { main: [] },
      },
    ],
  },
  params: stopAndErrorParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
