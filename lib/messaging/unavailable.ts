// For hosts that must not send messages (template test cases replay recorded answers instead). Browser-safe.
import { NodeError } from '../engine/types'
import type { MessagingHost } from './types'

export const unavailableMessaging: MessagingHost = {
  forRun() {
    throw new NodeError('Messages are sent only when the workflow runs', { code: 'MESSAGING_UNAVAILABLE' })
  },
}
