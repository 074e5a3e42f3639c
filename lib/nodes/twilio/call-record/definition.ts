import { z } from 'zod'
import type { NodeType } from '../../define'
import { callIdParam, languageParam, sayVoiceParam, spokenText, waitSecondsParam } from '../call-params'

export const callRecordParams = z.object({
  callId: callIdParam(),
  prompt: spokenText('What the caller hears before the beep, e.g. "Leave a message after the tone"'),
  voice: sayVoiceParam(),
  language: languageParam(),
  maxLength: z.coerce.number().int().min(1).max(14_400).default(120).describe('Longest recording, in seconds'),
  timeout: z.coerce.number().int().min(0).max(600).default(5).describe('Seconds of silence that end the recording (0: silence never ends it)').meta({ title: 'Silence timeout (seconds)' }),
  finishOnKey: z.string().trim().regex(/^[0-9#*]*$/, 'Keys 0-9, # and *').default('#').describe('Keys that end the recording (empty: none)'),
  playBeep: z.boolean().default(true).describe('Play a beep before recording'),
  transcribe: z.boolean().default(false).describe("Also transcribe it (Twilio's transcription, English, recordings up to 2 minutes) and store the text as a file"),
  waitSeconds: waitSecondsParam(180, 'the recording (and its transcription) to be stored'),
})
export type CallRecordParams = z.infer<typeof callRecordParams>

export const twilioCallRecord: NodeType<CallRecordParams, 'messaging'> = {
  type: 'twilio-call-record',
  version: 1,
  label: 'Call: Record',
  description: "Records the caller (a voicemail, an answer) and stores the audio, and optionally its transcription, as files of the run.",
  icon: 'Inbox',
  category: 'communication',
  docs: {
    description: [
      'Queues `<Record>` (after the `prompt`) for the call named by `callId` and holds the step until Twilio has the recording. Twilio then reports it to the studio, which downloads the audio with the account\'s credentials and stores it as a file of the run (`recording-<sid>.mp3`); with `transcribe`, the transcription is stored too, as a `.txt` file. The item gets:',
      '',
      '```json',
      '{ "callId": "…", "recording": { "sid": "RE…", "duration": 14, "file": { "$file": "…", "name": "recording-RE….mp3", "mimeType": "audio/mpeg", "size": 112233 } }, "transcription": { "text": "Hi, it is Ada…", "file": { "$file": "…" } }, "callEnded": false }',
      '```',
      '',
      '`file` and `transcription` are null when they did not arrive within `waitSeconds` (they are still stored with the run when they come later). The call goes on to the next call step after the recording.',
    ].join('\n'),
    examples: [{ title: 'Voicemail with a transcription', params: { prompt: 'Please leave a message after the tone.', maxLength: 60, transcribe: true }, input: [{ callId: 'cmcall01' }] }],
  },
  params: callRecordParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['messaging'],
  sideEffects: true,
  load: () => import('./execute'),
}
