// A browser host for places that run no browsers (template test cases, tests of other nodes): every page refuses.
import { NodeError } from '../engine/types'
import type { BrowserHost } from './types'

const refuse = () => Promise.reject(new NodeError('No browser is available here: browser steps run on a worker', { code: 'BROWSER_UNAVAILABLE' }))

export const unavailableBrowser: BrowserHost = {
  kinds: [],
  forRun: (scope) => ({ files: scope.files, open: refuse, resume: refuse }),
  endRun: async () => undefined,
}
