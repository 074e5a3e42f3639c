import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const WAIT_UNITS = { ms: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000 } as const
export const MAX_WAIT_MS = 3_600_000

export const waitParams = z
  .object({
    amount: z.coerce.number().min(0).default(1).describe('How long to wait'),
    unit: labelledEnum({ ms: 'Milliseconds', seconds: 'Seconds', minutes: 'Minutes', hours: 'Hours' }).default('seconds').describe('Unit of amount'),
  })
  .superRefine((p, issue) => {
    if (p.amount * WAIT_UNITS[p.unit] > MAX_WAIT_MS) {
      issue.addIssue({ code: 'custom', path: ['amount'], message: 'A wait can last at most 1 hour' })
    }
  })
export type WaitParams = z.infer<typeof waitParams>

export const waitNode: NodeType<WaitParams> = {
  type: 'wait',
  version: 1,
  label: 'Wait',
  description: 'Pauses the branch for up to one hour, then passes the items on. Cancelling the run interrupts it.',
  icon: 'Timer',
  category: 'flow',
  outputSample: { passesInput: true },
  docs: {
    description: [
      'Pauses the branch, then passes the items on unchanged. The wait may total at most **1 hour** (`amount` times `unit`), because it holds a worker slot. Cancelling the run interrupts the wait; other branches keep running meanwhile.',
    ].join('\n'),
    examples: [{ title: 'Wait 50 ms', params: { amount: 50, unit: 'ms' }, input: [{ id: 1 }], output: { main: [{ id: 1 }] } }],
  },
  params: waitParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
