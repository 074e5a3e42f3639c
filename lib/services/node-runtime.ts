// Node services for work done inside the web process ("test this step"): one shared sandbox and one guarded
// HTTP client per process, with the same outbound policy as the workers. The sandbox is a child process for
// expressions too: an out-of-memory there would leave a stuck isolate in the web process for good, and a
// tested step is not a hot path.
import { webProcess } from '../composition/web'
import { NodeError, type NodeServices } from '../engine/types'
import { webAiServices } from '../ai/service'
import type { HostServices } from '../nodes/host-services'
import { unavailableDedupeHistory } from '../nodes/remove-duplicates/history'
import { unavailableEvents } from '../nodes/publish-event/host'
import { env } from '../env'
import { createSafeHttpClient, createTcpGuard } from '../net/ssrf'
import { createProcessSandbox } from '../sandbox/process'
import { cancellableSleep } from './cancellable-sleep'
import { webFiles } from './files'
import { appServices } from './app'
import { messagingHostFromEnv } from '../messaging/host'
import { createBrowserHost } from '../browser/host'
import { webVectors } from './vectors'

type WebNodeServices = NodeServices & HostServices

export function webNodeServices(): WebNodeServices {
  const web = webProcess()
  web.nodeServices ??= {
    http: createSafeHttpClient(env().http),
    network: createTcpGuard(env().http),
    sandbox: createProcessSandbox({ processes: 1, maxRssMb: env().sandbox.maxRssMb }),
    sleep: cancellableSleep,
    ...webAiServices(),
    // A sub-workflow is an execution of its own, recorded by a worker; a tested step does not start one.
    runWorkflow: () => Promise.reject(new NodeError('Workflow tools run only when the workflow runs, not when one step is tested', { code: 'UNAVAILABLE' })),
    executeWorkflow: () => Promise.reject(new NodeError('Sub-workflows run only when the workflow runs, not when one step is tested', { code: 'UNAVAILABLE' })),
    dedupeHistory: unavailableDedupeHistory,
    // A tested Publish Event step would start real runs of other workflows.
    events: unavailableEvents,
    // A tested Send SMS step sends (as n8n's does); its message is recorded without an execution.
    messaging: { forRun: (scope) => messagingHostFromEnv(appServices().prisma, appServices().redis, { keyPrefix: env().queuePrefix }).forRun(scope) },
    // A tested browser step opens a page in this process (Chromium starts on the first one), a few at most.
    browser: createBrowserHost({
      ...env().browser,
      maxPages: env().browser.webMaxPages,
      defaultTimeoutMs: env().browser.stepTimeoutMs,
      guard: createTcpGuard(env().http),
      idleContextMs: 60_000,
    }),
    // A tested Ingest step writes to the collection (as n8n's vector store nodes do when tested).
    vectors: webVectors(),
    // A tested step is no execution: what it writes is kept for an hour (long enough to look at), then swept.
    files: {
      maxFileBytes: webFiles().maxFileBytes,
      forRun: ({ tenantId }) => webFiles().scoped({ tenantId, executionId: null }),
    },
  }
  return web.nodeServices
}
