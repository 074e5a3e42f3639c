import { voiceStep } from '../../../messaging/voice-steps'
import type { CallGatherParams } from './definition'

export const execute = voiceStep<CallGatherParams>({
  build(r, p, urls) {
    const gather = r.gather({
      input: p.input.split(' ') as never,
      action: urls.action('gather'),
      method: 'POST',
      timeout: p.timeout,
      ...(p.numDigits > 0 ? { numDigits: p.numDigits } : {}),
      ...(p.finishOnKey ? { finishOnKey: p.finishOnKey } : {}),
      ...(p.hints ? { hints: p.hints } : {}),
      ...(p.input !== 'dtmf' ? { language: p.language as never } : {}),
    })
    if (p.prompt) gather.say({ voice: p.voice as never, language: p.language as never }, p.prompt)
    // Twilio goes on past a Gather that heard nothing: this tells the step so.
    r.redirect({ method: 'POST' }, urls.action('timeout'))
  },
  wait: {
    kinds: ['gather', 'timeout'],
    seconds: (p) => p.waitSeconds,
    output({ input }) {
      const f = input?.kind === 'gather' ? input.fields : {}
      const confidence = Number(f.Confidence)
      return {
        digits: String(f.Digits ?? ''),
        speech: String(f.SpeechResult ?? ''),
        confidence: f.Confidence === undefined || Number.isNaN(confidence) ? null : confidence,
        timedOut: input?.kind !== 'gather',
      }
    },
  },
})
