import { requirePhone } from '../../../messaging/phone'
import { voiceStep } from '../../../messaging/voice-steps'
import type { CallDialParams } from './definition'

export const execute = voiceStep<CallDialParams>({
  build(r, p, urls) {
    const number = requirePhone(p.number, 'number', urls.index)
    const callerId = p.callerId ? requirePhone(p.callerId, 'callerId', urls.index) : undefined
    r.dial({ action: urls.action('dial'), method: 'POST', timeout: p.timeout, timeLimit: p.timeLimit, ...(callerId ? { callerId } : {}) }, number)
  },
  wait: {
    kinds: ['dial'],
    seconds: (p) => p.waitSeconds,
    output: ({ input }) => ({
      dialStatus: input ? String(input.fields.DialCallStatus ?? '') : null,
      dialDuration: input?.fields.DialCallDuration === undefined ? null : Number(input.fields.DialCallDuration),
    }),
  },
})
