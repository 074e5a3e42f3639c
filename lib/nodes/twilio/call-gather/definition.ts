import { z } from 'zod'
import { labelledEnum } from '../../params'
import type { NodeType } from '../../define'
import { callIdParam, languageParam, sayVoiceParam, spokenText, waitSecondsParam } from '../call-params'

export const callGatherParams = z.object({
  callId: callIdParam(),
  prompt: spokenText('What the caller hears while Twilio listens, e.g. "Press 1 for sales, 2 for support"'),
  voice: sayVoiceParam(),
  language: languageParam(),
  input: labelledEnum({ dtmf: 'Keypad digits', speech: 'Speech', 'dtmf speech': 'Keypad or speech' }).default('dtmf').describe('dtmf: keypad digits. speech: spoken words. dtmf speech: either'),
  numDigits: z.coerce.number().int().min(0).max(50).default(1).describe('Digits to collect before answering (0: until # or silence)').meta({ title: 'Number of digits' }),
  finishOnKey: z.string().trim().regex(/^[0-9#*]?$/, 'One key: 0-9, # or *, or empty for none').default('#').describe('The key that ends the input early (empty: none)'),
  timeout: z.coerce.number().int().min(1).max(60).default(5).describe('Seconds of silence after which Twilio stops listening').meta({ title: 'Silence timeout (seconds)' }),
  hints: z.string().max(1000).default('').describe('Speech: words or phrases to expect, comma-separated (e.g. "sales, support, billing")'),
  waitSeconds: waitSecondsParam(60, 'the answer'),
})
export type CallGatherParams = z.infer<typeof callGatherParams>

export const twilioCallGather: NodeType<CallGatherParams, 'messaging'> = {
  type: 'twilio-call-gather',
  version: 1,
  label: 'Call: Gather input',
  description: 'Asks the caller a question and waits for keypad digits or speech: the answer goes on the item so a Switch can route the call (IVR menus).',
  icon: 'MousePointerClick',
  category: 'communication',
  docs: {
    description: [
      'Queues `<Gather>` (with the `prompt` said inside it) for the call named by `callId`, then holds the step until the caller answers on a later request of the same call, and writes to the item:',
      '',
      '```json',
      '{ "callId": "…", "digits": "2", "speech": "", "confidence": null, "timedOut": false, "callEnded": false }',
      '```',
      '',
      '`timedOut` is true when the caller said and pressed nothing (Twilio gave up after `timeout` seconds of silence) or no answer came within `waitSeconds`; `callEnded` when the caller hung up first. Route on `{{ $json.digits }}` with a **Switch** (one output per menu choice, the fallback for anything else) and follow each branch with more call steps: every leg of the conversation belongs to the same run.',
    ].join('\n'),
    examples: [
      {
        title: 'A one-digit menu',
        params: { callId: '{{ $json.callId }}', prompt: 'Press 1 for opening hours, 2 to speak to someone.', numDigits: 1, timeout: 5 },
        input: [{ callId: 'cmcall01' }],
      },
      { title: 'Speech or digits', params: { prompt: 'Say or key in your order number.', input: 'dtmf speech', numDigits: 0, hints: 'order' } },
    ],
  },
  params: callGatherParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['messaging'],
  sideEffects: true,
  load: () => import('./execute'),
}
