import { z } from 'zod'
import type { NodeType } from '../../define'
import { credentialParam, labelledEnum, text } from '../../params'
import { languageParam, sayVoiceParam, spokenText } from '../call-params'

export const makeCallParams = z
  .object({
    credential: credentialParam('A Twilio credential: account SID and auth token'),
    from: text().default('').describe('Your Twilio number the call comes from, in E.164 form (e.g. +14155550100)').meta({ ui: 'expression' }),
    to: text().default('').describe('The number to call, in E.164 form (e.g. +14155550123)').meta({ ui: 'expression' }),
    mode: labelledEnum({ steps: 'Call steps drive the call', message: 'Say a message and hang up' }).default('steps').describe('steps: the following Call steps (Say, Gather, Record, Dial) drive the call. message: say `message` and hang up, nothing more'),
    message: spokenText('message mode: what the person hears before the call ends'),
    voice: sayVoiceParam(),
    language: languageParam(),
    ringSeconds: z.coerce.number().int().min(5).max(600).default(30).describe('Seconds to let it ring before giving up (no-answer)'),
  })
  .refine((p) => p.mode !== 'message' || p.message !== '', { path: ['message'], message: 'Give the message to say' })
export type MakeCallParams = z.infer<typeof makeCallParams>

export const twilioMakeCall: NodeType<MakeCallParams, 'messaging' | 'network'> = {
  type: 'twilio-make-call',
  version: 1,
  label: 'Make Call',
  description: 'Calls a phone number through Twilio; the call steps after it (Say, Gather, Record, Dial) decide what the person hears.',
  icon: 'Phone',
  category: 'communication',
  docs: {
    description: [
      'Places one call per item from `from` to `to` with a *Twilio* credential and writes `{ callId, callSid, status }` to the item. In `steps` mode the call asks the studio what to do each time Twilio needs instructions (a call leg): the **Call: Say / Play**, **Gather input**, **Record**, **Dial** and **Hang up** steps that follow, acting on `{{ $json.callId }}`, queue those instructions, and steps that wait for the caller (Gather, Record, Dial) get the answer back on the item. All the legs of one call belong to the same run; when the run ends the call is hung up after what was queued has been heard. In `message` mode the call says `message` and hangs up, with no further steps.',
      'Both numbers must be in E.164 form; a bad one fails the step naming the field (INVALID_PHONE_NUMBER) and nothing is dialled. Twilio refusals come back as TWILIO_<code> (21211 invalid number, 21215 geographic permission…). The call and its statuses (queued, ringing, in-progress, completed, busy, no-answer, failed) are kept in the workspace\'s message log; a retried step finds the call it already placed and never dials twice.',
      'Twilio must be able to reach the studio: its public URL (NEXTAUTH_URL) is what the call\'s instructions and status callbacks are fetched from, and every such request is checked with `X-Twilio-Signature`.',
    ].join('\n\n'),
    examples: [
      { title: 'Call and run an IVR', params: { credential: 'cred_twilio', from: '+14155550100', to: '{{ $json.phone }}' }, input: [{ phone: '+14155550123' }] },
      { title: 'An automated reminder', params: { credential: 'cred_twilio', from: '+14155550100', to: '{{ $json.phone }}', mode: 'message', message: 'Your appointment is tomorrow at 10.' }, input: [{ phone: '+14155550123' }] },
    ],
  },
  params: makeCallParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['twilio'] },
  services: ['messaging', 'network'],
  sideEffects: true,
  load: () => import('./execute'),
}
