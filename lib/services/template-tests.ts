// "Test" on a template: POST /api/templates/:id/test records a TemplateTestRun, a worker runs the version's cases
// (workers/runtime/template-tests.ts, lib/templates/test-cases.ts) and writes the outcome on the row, which the
// request waits for (up to WAIT_MS; then it answers 202 with the run still going, and GET shows it later).
// Built-in templates (`builtin:<slug>`) are tested the same way; their content comes from lib/templates/builtin.
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { env, requireRedisUrl } from '../env'
import { ValidationError } from '../errors'
import { createTemplateTestQueue, type TemplateTestJob } from '../queue/template-tests'
import { redisConnection } from '../redis'
import { loadTemplate } from './templates'
import type { TemplateCaseResult, TemplateContent } from '../templates/types'
import { within } from './fail-fast'

/** How long POST waits for the worker's outcome before answering with the run still going. */
const WAIT_MS = 60_000
const POLL_MS = 150
/** A run still unfinished this long after it was recorded is closed as an error when runs are listed (the worker's
 * limit is 20 s per case, at most 50 cases). */
const STALE_MS = 30 * 60_000
/** Runs GET lists, newest first. */
const LIST_LIMIT = 20
const FINISHED: ReadonlySet<string> = new Set(['passed', 'failed', 'error'])

export const templateTestBody = z.object({ version: z.number().int().min(1).optional() })

export interface TemplateTestRunView {
  id: string
  templateId: string
  version: number
  status: 'queued' | 'running' | 'passed' | 'failed' | 'error'
  results: TemplateCaseResult[] | null
  error: string | null
  createdAt: Date
  finishedAt: Date | null
}

export interface LoadedTemplateVersion {
  version: number
  content: TemplateContent
}

/**
 * The content of one version of a workspace template (`version` or its current one) or of a built-in (`version` or
 * its newest, which is its current one). 404 for an unknown template or version.
 */
export async function loadTemplateVersion(prisma: PrismaClient, tenantId: string, templateId: string, version?: number): Promise<LoadedTemplateVersion> {
  const template = await loadTemplate(forTenant(prisma, tenantId), templateId)
  const number = version ?? template.meta.currentVersion
  return { version: number, content: (await template.content(number)).content }
}

export interface TemplateTestDeps {
  prisma: PrismaClient
  enqueue(job: TemplateTestJob): Promise<void>
  /** How long to wait for the outcome (default WAIT_MS). */
  waitMs?: number
}

/** Records a test run of the version, has a worker run it, and waits for the outcome (see the top of this file). */
export async function testTemplate(deps: TemplateTestDeps, tenantId: string, templateId: string, body: z.infer<typeof templateTestBody>): Promise<TemplateTestRunView> {
  const { version, content } = await loadTemplateVersion(deps.prisma, tenantId, templateId, body.version)
  if (content.testCases.length === 0) {
    throw new ValidationError(`testCases: version ${version} of this template has no test cases to run`, { testCases: 'none to run' })
  }
  const db = forTenant(deps.prisma, tenantId)
  const run = await db.templateTestRun.create({ data: { tenantId, templateId, version, status: 'queued' } })
  try {
    await deps.enqueue({ testRunId: run.id, tenantId })
  } catch (err) {
    await db.templateTestRun.updateMany({ where: { id: run.id }, data: { status: 'error', error: 'The run could not be queued', finishedAt: new Date() } })
    throw err
  }
  return view(await waitForOutcome(deps.prisma, tenantId, run.id, deps.waitMs ?? WAIT_MS))
}

async function waitForOutcome(prisma: PrismaClient, tenantId: string, id: string, waitMs: number) {
  const db = forTenant(prisma, tenantId)
  const deadline = Date.now() + waitMs
  for (;;) {
    const row = await db.templateTestRun.findFirstOrThrow({ where: { id } })
    if (FINISHED.has(row.status) || Date.now() >= deadline) return row
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** The newest runs of a template (any version). 404 when the template is not this workspace's nor a built-in. */
export async function listTemplateTests(prisma: PrismaClient, tenantId: string, templateId: string): Promise<TemplateTestRunView[]> {
  const db = forTenant(prisma, tenantId)
  await loadTemplate(db, templateId) // 404 when neither this workspace's nor a built-in
  // A run no worker finished (none running, or it died and the job was lost with Redis) is closed here, on reading.
  await db.templateTestRun.updateMany({
    where: { templateId, status: { in: ['queued', 'running'] }, createdAt: { lt: new Date(Date.now() - STALE_MS) } },
    data: { status: 'error', error: `No worker finished this run within ${STALE_MS / 60_000} minutes: is a worker running?`, finishedAt: new Date() },
  })
  const rows = await db.templateTestRun.findMany({ where: { templateId }, orderBy: { createdAt: 'desc' }, take: LIST_LIMIT })
  return rows.map(view)
}

function view(row: { id: string; templateId: string; version: number; status: string; results: unknown; error: string | null; createdAt: Date; finishedAt: Date | null }): TemplateTestRunView {
  return {
    id: row.id,
    templateId: row.templateId,
    version: row.version,
    status: row.status as TemplateTestRunView['status'],
    results: (row.results as TemplateCaseResult[] | null) ?? null,
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  }
}

/** The web process's producer, for one request: test runs are rare, so no connection is kept between them. A Redis that
 * does not answer is a 503 within the fail-fast deadline. */
export async function enqueueTemplateTest(job: TemplateTestJob): Promise<void> {
  const config = env()
  const timeoutMs = config.failFast.redisTimeoutMs
  const connection = { ...redisConnection(requireRedisUrl()), maxRetriesPerRequest: 1, connectTimeout: timeoutMs, enableOfflineQueue: false }
  const queue = createTemplateTestQueue({ connection, prefix: config.queuePrefix })
  try {
    await within(queue.enqueue(job), timeoutMs, 'redis')
  } finally {
    await queue.close().catch(() => undefined)
  }
}
