import { voiceStep } from '../../../messaging/voice-steps'
import type { CallHangupParams } from './definition'

export const execute = voiceStep<CallHangupParams>({
  build(r, p) {
    if (p.goodbye) r.say({ voice: p.voice as never, language: p.language as never }, p.goodbye)
    r.hangup()
  },
})
