// The worker's side of "Test" on a template: consumes the template-test queue (lib/queue/template-tests.ts), claims
// the TemplateTestRun row (queued → running, a conditional update: a job delivered twice runs once; a redelivery
// after a worker died mid-run takes its running row over), runs the version's cases one after another through the
// engine (lib/templates/test-cases.ts) with this worker's services, Nothing goes to Execution or StepRun: a test run is not a workflow run, and files its cases write belong to
// no execution (they expire like a tested step's).
import type { PrismaClient } from '../../lib/db/generated/client'
import { forTenant } from '../../lib/db/scope'
import type { NodeRegistry, NodeServices, RunLimits } from '../../lib/engine/types'
import { FileService } from '../../lib/files/service'
import type { FileHost } from '../../lib/files/types'
import type { HostServices } from '../../lib/nodes/host-services'
import type { QueueConfig } from '../../lib/queue'
import { createTemplateTestWorker, type TemplateTestJob, type TemplateTestWorkerHandle } from '../../lib/queue/template-tests'
import { lazy } from '../../lib/lazy'
import type { TemplateCaseResult } from '../../lib/templates/types'

// The template services and the case runner (with Ajv, for the expectations' schemas) are loaded with the first test
// run, not with the worker.
const loadCaseRunner = lazy(async () => {
  const [{ loadTemplateVersion }, { runTemplateCases }] = await Promise.all([import('../../lib/services/template-tests'), import('../../lib/templates/test-cases')])
  return { loadTemplateVersion, runTemplateCases }
})

/** Longest one case may run (Wait nodes included). */
const DEFAULT_CASE_TIMEOUT_MS = 20_000

export interface TemplateTestsConfig {
  /** Test runs handled at once by this process (default 2). */
  concurrency?: number
  caseTimeoutMs?: number
}

export interface TemplateTestsDeps {
  prisma: PrismaClient
  registry: NodeRegistry<HostServices>
  services: NodeServices & HostServices
  limits?: Partial<Omit<RunLimits, 'startedAt'>>
}

/** A FileService's writes outside any execution (the File row's execution is a foreign key); another host as it is. */
function unattachedFiles(files: FileHost): FileHost {
  if (!(files instanceof FileService)) return files
  return { maxFileBytes: files.maxFileBytes, forRun: ({ tenantId }) => files.scoped({ tenantId, executionId: null }) }
}

export function outcomeOf(results: TemplateCaseResult[]): 'passed' | 'failed' | 'error' {
  if (results.some((r) => r.status === 'error')) return 'error'
  return results.some((r) => r.status === 'failed') ? 'failed' : 'passed'
}

/** One run: claim, run every case, record. A version that cannot be read (or anything else stopping the run) is the run's error. */
export async function processTemplateTestRun(deps: TemplateTestsDeps, job: TemplateTestJob, config: TemplateTestsConfig = {}, firstDelivery = true): Promise<void> {
  const db = forTenant(deps.prisma, job.tenantId)
  const status = firstDelivery ? 'queued' : { in: ['queued', 'running'] }
  const claimed = await db.templateTestRun.updateMany({ where: { id: job.testRunId, status }, data: { status: 'running' } })
  if (claimed.count === 0) return
  const run = await db.templateTestRun.findFirstOrThrow({ where: { id: job.testRunId }, select: { templateId: true, version: true } })
  const record = (data: { status: string; error?: string; results?: object[] }) =>
    db.templateTestRun.updateMany({ where: { id: job.testRunId }, data: { ...data, finishedAt: new Date() } })
  try {
    const { loadTemplateVersion, runTemplateCases } = await loadCaseRunner()
    const { content } = await loadTemplateVersion(deps.prisma, job.tenantId, run.templateId, run.version)
    const results = await runTemplateCases(content, {
      registry: deps.registry,
      services: { ...deps.services, files: unattachedFiles(deps.services.files) },
      tenantId: job.tenantId,
      runId: job.testRunId,
      timeoutMs: config.caseTimeoutMs ?? DEFAULT_CASE_TIMEOUT_MS,
      limits: deps.limits,
    })
    await record({ status: outcomeOf(results), results: results as unknown as object[] })
  } catch (err) {
    // The row was claimed: whatever stopped the run is written on it rather than left "running".
    await record({ status: 'error', error: `Version ${run.version} of the template could not be tested: ${err instanceof Error ? err.message : String(err)}` })
  }
}

export async function startTemplateTests(cfg: QueueConfig, deps: TemplateTestsDeps, config: TemplateTestsConfig = {}): Promise<TemplateTestWorkerHandle> {
  const worker = createTemplateTestWorker({ ...cfg, concurrency: config.concurrency }, (job, delivery) => processTemplateTestRun(deps, job, config, delivery.firstDelivery))
  await worker.waitUntilReady()
  return worker
}
