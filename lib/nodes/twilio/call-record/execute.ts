import { voiceStep } from '../../../messaging/voice-steps'
import type { CallRecordParams } from './definition'

export const execute = voiceStep<CallRecordParams>({
  build(r, p, urls) {
    if (p.prompt) r.say({ voice: p.voice as never, language: p.language as never }, p.prompt)
    r.record({
      action: urls.action('record'),
      method: 'POST',
      maxLength: p.maxLength,
      timeout: p.timeout,
      playBeep: p.playBeep,
      ...(p.finishOnKey ? { finishOnKey: p.finishOnKey } : {}),
      recordingStatusCallback: urls.recording('recording'),
      recordingStatusCallbackMethod: 'POST',
      recordingStatusCallbackEvent: ['completed'],
      ...(p.transcribe ? { transcribe: true, transcribeCallback: urls.recording('transcription') } : {}),
    })
  },
  wait: {
    kinds: ['record'],
    seconds: (p) => p.waitSeconds,
    async output({ input }, p, call) {
      const deadline = Date.now() + p.waitSeconds * 1000
      const left = () => Math.max(0, deadline - Date.now())
      // The recording (and transcription) callbacks come after the call leg, maybe after the caller hung up.
      const stored = await call.voice.waitForInput(call.callId, call.key, ['recording'], left(), call.signal, { afterHangup: true })
      const text = p.transcribe ? await call.voice.waitForInput(call.callId, call.key, ['transcription'], left(), call.signal, { afterHangup: true }) : null
      const leg = input?.fields ?? {}
      const rec = stored.input?.fields ?? {}
      return {
        recording: input || stored.input
          ? { sid: String(rec.RecordingSid ?? leg.RecordingSid ?? ''), duration: Number(rec.RecordingDuration ?? leg.RecordingDuration ?? 0), file: rec.file ?? null }
          : null,
        transcription: text?.input ? { text: String(text.input.fields.TranscriptionText ?? ''), file: text.input.fields.file ?? null } : null,
      }
    },
  },
})
