// Node services for work done inside the web process ("test this step"): one shared sandbox and one guarded
// HTTP client per process, with the same outbound policy as the workers.
import type { NodeServices } from '../engine/types'
import { webAiServices } from '../ai/service'
import { env } from '../env'
import { createSafeHttpClient } from '../net/ssrf'
import { createSandbox } from '../sandbox/isolate'
import { cancellableSleep } from './worker-runtime'

const holder = globalThis as unknown as { __auterityNodeServices?: NodeServices }

export function webNodeServices(): NodeServices {
  holder.__auterityNodeServices ??= {
    http: createSafeHttpClient(env().http),
    sandbox: createSandbox(),
    sleep: cancellableSleep,
    extra: webAiServices(),
  }
  return holder.__auterityNodeServices
}
