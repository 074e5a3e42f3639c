// Node services for work done inside the web process ("test this step"): one shared sandbox and one guarded
// HTTP client per process, with the same outbound policy as the workers. The sandbox is a child process for
// expressions too: an out-of-memory there would leave a stuck isolate in the web process for good, and a
// tested step is not a hot path.
import type { NodeServices } from '../engine/types'
import { webAiServices } from '../ai/service'
import { env } from '../env'
import { createSafeHttpClient } from '../net/ssrf'
import { createProcessSandbox } from '../sandbox/process'
import { cancellableSleep } from './worker-runtime'

const holder = globalThis as unknown as { __auterityNodeServices?: NodeServices }

export function webNodeServices(): NodeServices {
  holder.__auterityNodeServices ??= {
    http: createSafeHttpClient(env().http),
    sandbox: createProcessSandbox({ processes: 1, maxRssMb: env().sandbox.maxRssMb }),
    sleep: cancellableSleep,
    extra: webAiServices(),
  }
  return holder.__auterityNodeServices
}
