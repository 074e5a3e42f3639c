import { z } from 'zod'
import type { NodeType } from '../../define'
import { text } from '../../params'
import { callIdParam, waitSecondsParam } from '../call-params'

export const callDialParams = z.object({
  callId: callIdParam(),
  number: text().default('').describe('The number to connect the caller to, in E.164 form (e.g. +14155550100)').meta({ ui: 'expression' }),
  callerId: text().default('').describe('The caller ID the other party sees, one of your Twilio numbers (empty: the caller\'s own)').meta({ ui: 'expression' }),
  timeout: z.coerce.number().int().min(5).max(600).default(30).describe('Seconds to let it ring before giving up').meta({ title: 'Ring timeout (seconds)' }),
  timeLimit: z.coerce.number().int().min(1).max(14_400).default(3600).describe('Longest conversation, in seconds').meta({ title: 'Time limit (seconds)' }),
  waitSeconds: waitSecondsParam(600, 'the transferred conversation to end'),
})
export type CallDialParams = z.infer<typeof callDialParams>

export const twilioCallDial: NodeType<CallDialParams, 'messaging'> = {
  type: 'twilio-call-dial',
  version: 1,
  label: 'Call: Dial (transfer)',
  description: 'Connects the caller to another number and waits for that conversation to end; its outcome goes on the item.',
  icon: 'Phone',
  category: 'communication',
  docs: {
    description: [
      'Queues `<Dial>` to `number` for the call named by `callId` and holds the step until the transferred conversation ends, then writes `{ dialStatus, dialDuration }` to the item (`dialStatus`: completed, busy, no-answer, failed or canceled). After it the run may go on with the caller (e.g. say goodbye, or offer voicemail when `dialStatus` is not completed).',
      '`number` must be in E.164 form; anything else fails the step naming the field (INVALID_PHONE_NUMBER) before the call is touched.',
    ].join('\n\n'),
    examples: [{ title: 'Transfer to support', params: { number: '+14155550123', timeout: 20 }, input: [{ callId: 'cmcall01', digits: '2' }] }],
  },
  params: callDialParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['messaging'],
  sideEffects: true,
  load: () => import('./execute'),
}
