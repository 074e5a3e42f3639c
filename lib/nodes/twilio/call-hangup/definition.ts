import { z } from 'zod'
import type { NodeType } from '../../define'
import { callIdParam, languageParam, sayVoiceParam, spokenText } from '../call-params'

export const callHangupParams = z.object({
  callId: callIdParam(),
  goodbye: spokenText('Said before hanging up (empty: hang up at once)'),
  voice: sayVoiceParam(),
  language: languageParam(),
})
export type CallHangupParams = z.infer<typeof callHangupParams>

export const twilioCallHangup: NodeType<CallHangupParams, 'messaging'> = {
  type: 'twilio-call-hangup',
  version: 1,
  label: 'Call: Hang up',
  description: 'Ends the call (after an optional goodbye) while the run goes on.',
  icon: 'OctagonX',
  category: 'communication',
  docs: {
    description: 'Queues an optional goodbye and `<Hangup/>` for the call named by `callId`. A run that simply ends hangs its calls up too, after everything queued has been heard; this step ends the call earlier, so the run can go on with other work (write a ticket, send an SMS) without keeping the caller on the line.',
    examples: [{ title: 'Say goodbye and hang up', params: { goodbye: 'Thank you, goodbye.' }, input: [{ callId: 'cmcall01' }] }],
  },
  params: callHangupParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['messaging'],
  sideEffects: true,
  load: () => import('./execute'),
}
