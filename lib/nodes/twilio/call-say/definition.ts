import { z } from 'zod'
import type { NodeType } from '../../define'
import { callIdParam, languageParam, sayVoiceParam, spokenText } from '../call-params'

export const callSayParams = z
  .object({
    callId: callIdParam(),
    text: spokenText('What the caller hears, read by text-to-speech (plain text)'),
    voice: sayVoiceParam(),
    language: languageParam(),
    playUrl: z.string().trim().default('').refine((v) => v === '' || /^https?:\/\/\S+$/.test(v), 'An http(s) URL of an audio file (mp3, wav)').describe('An audio file to play after the text, by its http(s) URL (empty: none)').meta({ ui: 'expression' }),
    playFile: z.string().trim().default('').describe('A field holding an audio file to play (a file reference, e.g. "recording.file"): Twilio fetches it from a signed link'),
    loop: z.coerce.number().int().min(1).max(10).default(1).describe('How many times to say and play it'),
  })
  .refine((p) => p.text !== '' || p.playUrl !== '' || p.playFile !== '', { path: ['text'], message: 'Give text to say, an audio URL or a file field to play' })
export type CallSayParams = z.infer<typeof callSayParams>

export const twilioCallSay: NodeType<CallSayParams, 'messaging'> = {
  type: 'twilio-call-say',
  version: 1,
  label: 'Call: Say / Play',
  description: 'Says text (text-to-speech) or plays an audio file on a call in progress, then goes on to the next step.',
  icon: 'Megaphone',
  category: 'communication',
  docs: {
    description: [
      'Queues `<Say>` (and `<Play>`) for the call named by `callId` (a **Make Call** step or the **On call received** trigger puts it on the item). The caller hears it on the call\'s next request to the studio; the step does not wait for it to finish, so a following **Gather** or **Record** is heard right after it.',
      'The text is plain text: anything that looks like markup is read out, never interpreted. `playUrl` is fetched by Twilio; `playFile` names a field holding a file of the run (a recording, an uploaded greeting), which Twilio fetches from a signed link valid for an hour.',
      'When the run ends, the call is hung up after everything queued has been heard.',
    ].join('\n\n'),
    examples: [
      { title: 'Greet the caller', params: { callId: '{{ $json.callId }}', text: 'Hello, thanks for calling Acme.', voice: 'Polly.Joanna', language: 'en-US' }, input: [{ callId: 'cmcall01' }] },
    ],
  },
  params: callSayParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['messaging'],
  sideEffects: true,
  load: () => import('./execute'),
}
