// The worker's metrics over its own listener (lib/metrics/server.ts), around real runs through the real worker path
// (API → queue → in-process worker runtime → PostgreSQL): runs by status and mode, step durations by node type and
// status, retries by how they ended, AI calls through the router to a local fake speaking the providers' wire format,
// and BullMQ queue depths read from Redis. Every count is checked against what was done, the whole exposition goes
// through a strict parser, and no label value is an id of a run, workflow or workspace.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import { createAiServices } from '../../../lib/ai'
import { createMetrics, type Metrics } from '../../../lib/metrics/metrics'
import { startMetricsServer, type MetricsServer } from '../../../lib/metrics/server'
import { createGuardedFetch, type GuardedFetch } from '../../../lib/net/ssrf'
import { createExecutionQueue } from '../../../lib/queue'
import { createQueueDepthReader, ALL_QUEUES } from '../../../lib/queue/depth'
import { redisConnection } from '../../../lib/redis'
import { closeAppServices } from '../../../lib/services/app'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { labelValues, parsePrometheusText, sampleValue, type Family } from '../../helpers/prom-text'
import { startTestWorker } from '../../helpers/worker'
import { seedAi } from '../ai/setup'
import { call, chain, node, waitFor, waitForStatus } from '../backbone/support'

const TOKEN = 'worker-metrics-test-token-abcdef'
let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let metrics: Metrics
let worker: RunningWorker
let server: MetricsServer
let upstream: Server
let upstreamUrl: string
const hits = new Map<string, number>()
const executionIds: string[] = []
const workflowIds: string[] = []

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma)
  // /flaky/<key> fails (503, retryable) on its first call and answers on the next; /down always fails.
  upstream = createServer((req, res) => {
    const n = (hits.get(req.url!) ?? 0) + 1
    hits.set(req.url!, n)
    const ok = req.url!.startsWith('/flaky/') && n > 1
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }))
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  metrics = createMetrics()
  worker = await startTestWorker(t, { metrics, worker: { concurrency: 4 }, http: { allowList: [new URL(upstreamUrl).host] } })
  server = await startMetricsServer({ metrics, port: 0, host: '127.0.0.1', token: TOKEN })
})
afterAll(async () => {
  await server?.close()
  await worker?.close()
  await new Promise((r) => upstream?.close(r))
  await closeAppServices()
  await t?.teardown()
})

async function scrape(): Promise<Map<string, Family>> {
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  expect(res.status).toBe(200)
  return parsePrometheusText(await res.text())
}

async function runToEnd(graph: unknown): Promise<string> {
  const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: `Flow ${workflowIds.length}`, graph } })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  workflowIds.push(created.json.id)
  const started = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: created.json.id }, body: {} })
  expect(started.status, JSON.stringify(started.json)).toBe(202)
  executionIds.push(started.json.executionId)
  return (await waitForStatus(t.db.prisma, started.json.executionId, ['succeeded', 'failed'])).status
}

const delta = (before: Map<string, Family>, after: Map<string, Family>, name: string, labels: Record<string, string>) =>
  sampleValue(after, name, labels) - sampleValue(before, name, labels)

describe('the worker’s metrics listener', () => {
  it('answers GET /metrics with the token only, and nothing else', async () => {
    const base = `http://127.0.0.1:${server.port}`
    expect((await fetch(`${base}/metrics`)).status).toBe(401)
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all-0000' } })).status).toBe(401)
    expect((await fetch(`${base}/`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404)
    expect((await fetch(`${base}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404)
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(parsePrometheusText(await ok.text()).has('nodejs_heap_size_used_bytes')).toBe(true)
  })
})

describe('runs, steps and retries', () => {
  it('count what the runs did, by status, mode and node type', async () => {
    const before = await scrape()
    const statuses = [
      ...(await Promise.all([1, 2, 3].map(() => runToEnd(chain(node.manual(), node.set('s', { x: 1 })))))),
      await runToEnd(chain(node.manual(), node.code('boom', 'throw new Error("broken on purpose")'))),
      await runToEnd(chain(node.manual(), node.http('flaky', `${upstreamUrl}/flaky/${Date.now()}`, { maxAttempts: 3, backoffMs: 10 }))),
      await runToEnd(chain(node.manual(), node.http('down', `${upstreamUrl}/down`, { maxAttempts: 2, backoffMs: 10 }))),
    ]
    expect(statuses).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed', 'succeeded', 'failed'])
    // The counter moves right after the row is written: wait for the scrape to catch up with the database.
    const runs = (f: Map<string, Family>, status: string) => sampleValue(f, 'auterity_executions_finished_total', { status, mode: 'manual' })
    const after = await waitFor('the run counters', async () => {
      const f = await scrape()
      return runs(f, 'succeeded') - runs(before, 'succeeded') >= 4 && runs(f, 'failed') - runs(before, 'failed') >= 2 ? f : null
    })
    const d = (name: string, labels: Record<string, string>) => delta(before, after, name, labels)

    expect(d('auterity_executions_finished_total', { status: 'succeeded', mode: 'manual' })).toBe(4)
    expect(d('auterity_executions_finished_total', { status: 'failed', mode: 'manual' })).toBe(2)
    // By workflow: each of the six workflows ran once, with the status it ended in.
    const byWorkflow = workflowIds.slice(-6).map((workflow, i) => d('auterity_workflow_executions_finished_total', { workflow, status: statuses[i] }))
    expect(byWorkflow).toEqual([1, 1, 1, 1, 1, 1])
    expect(d('auterity_execution_duration_seconds_count', { status: 'succeeded', mode: 'manual' })).toBe(4)
    expect(d('auterity_execution_duration_seconds_count', { status: 'failed', mode: 'manual' })).toBe(2)

    const steps = (node_type: string, status: string) => d('auterity_step_duration_seconds_count', { node_type, status })
    expect(steps('manual-trigger', 'succeeded')).toBe(6)
    expect(steps('set', 'succeeded')).toBe(3)
    expect(steps('code', 'failed')).toBe(1)
    expect(steps('http-request', 'succeeded')).toBe(1)
    // The flaky step's first attempt, and both of the down step's.
    expect(steps('http-request', 'failed')).toBe(3)

    expect(d('auterity_step_retry_attempts_total', { node_type: 'http-request' })).toBe(2)
    expect(d('auterity_retried_steps_total', { node_type: 'http-request', outcome: 'succeeded' })).toBe(1)
    expect(d('auterity_retried_steps_total', { node_type: 'http-request', outcome: 'failed' })).toBe(1)
    expect(d('auterity_retried_steps_total', { node_type: 'set', outcome: 'succeeded' })).toBe(0)
    // Completion rate is derived: succeeded over all finished.
    expect(hits.get('/down')).toBe(2)
  })

  it('puts no id of a run or workspace into any label value, and workflow ids only into the by-workflow counter', async () => {
    expect(executionIds.length).toBeGreaterThan(0)
    const families = await scrape()
    // The one family allowed a workflow id (bounded per process: lib/metrics/metrics.ts) is set aside first.
    const byWorkflow = families.get('auterity_workflow_executions_finished_total')
    expect(byWorkflow?.samples.map((s) => s.labels.workflow)).toEqual(expect.arrayContaining(workflowIds))
    families.delete('auterity_workflow_executions_finished_total')
    const values = labelValues(families)
    for (const id of [...executionIds, ...workflowIds, a.tenantId]) expect(values.filter((v) => v.includes(id)), id).toEqual([])
    // Nor anything shaped like one (cuid, uuid).
    expect(values.filter((v) => /^c[a-z0-9]{20,}$/.test(v) || /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(v))).toEqual([])
    expect(byWorkflow!.samples.every((s) => !executionIds.includes(s.labels.workflow) && s.labels.workflow !== a.tenantId)).toBe(true)
  })
})

describe('queues', () => {
  it('reports the worker’s queues, and real waiting jobs with the age of the oldest', async () => {
    const own = await scrape()
    for (const queue of ALL_QUEUES) {
      for (const state of ['waiting', 'active', 'delayed']) expect(own.get('auterity_queue_jobs')!.samples.some((s) => s.labels.queue === queue && s.labels.state === state), `${queue} ${state}`).toBe(true)
    }

    // A queue nobody consumes (its own prefix): two jobs in arrival order and one by priority (the fair queue's).
    const prefix = `${t.redis.prefix}-idle`
    const connection = redisConnection(testRedisUrl())
    const queue = createExecutionQueue({ connection, prefix, fairBurst: 10 })
    const reader = createQueueDepthReader({ connection, prefix })
    try {
      await queue.enqueue('idle-1')
      await queue.enqueue('idle-2')
      await queue.enqueue('idle-3', undefined, { tenantId: 'tenant-x', workflowId: 'workflow-x' })
      await new Promise((r) => setTimeout(r, 1200))
      const idle = createMetrics({ defaultMetrics: false })
      idle.watchQueues(() => reader.read())
      const f = parsePrometheusText(await idle.scrape())
      expect(sampleValue(f, 'auterity_queue_jobs', { queue: 'executions', state: 'waiting' })).toBe(3)
      expect(sampleValue(f, 'auterity_queue_jobs', { queue: 'executions', state: 'active' })).toBe(0)
      expect(sampleValue(f, 'auterity_queue_jobs', { queue: 'event-deliveries', state: 'waiting' })).toBe(0)
      const oldest = sampleValue(f, 'auterity_queue_oldest_waiting_seconds', { queue: 'executions' })
      expect(oldest).toBeGreaterThanOrEqual(1.2)
      expect(oldest).toBeLessThan(30)
      expect(sampleValue(f, 'auterity_queue_oldest_waiting_seconds', { queue: 'schedules' })).toBe(0)
      // One removed: the next scrape (a second later: reads are shared within one) sees two.
      expect(await queue.remove('idle-2')).toBe(true)
      await new Promise((r) => setTimeout(r, 1100))
      expect(sampleValue(parsePrometheusText(await idle.scrape()), 'auterity_queue_jobs', { queue: 'executions', state: 'waiting' })).toBe(2)
    } finally {
      await reader.close()
      await queue.close()
    }
  })
})

describe('AI calls', () => {
  let fake: FakeLlm
  let guarded: GuardedFetch
  afterAll(async () => {
    await fake?.close()
    await guarded?.close()
  })

  it('count requests, tokens and cost by provider, model and outcome from the router’s ledger rows', async () => {
    fake = await startFakeLlm('Paris')
    await seedAi(t.db.prisma, a.tenantId, fake.v1)
    guarded = createGuardedFetch({ allowList: [new URL(fake.v1).host], field: 'baseUrl' })
    const { ai } = createAiServices({ prisma: t.db.prisma, fetch: guarded.fetch, ledgerDelayMs: 0, usage: metrics })
    const before = await scrape()
    fake.script('gpt-fake', { text: 'one', usage: { input: 1_000_000, output: 500_000 } }, { text: 'two', usage: { input: 1_000_000, output: 500_000 } })
    for (let i = 0; i < 2; i++) await ai.chat({ target: 'backup', messages: [{ role: 'user', content: 'hi' }] }, { tenantId: a.tenantId })
    fake.script('claude-fake', { status: 400, message: 'bad request on purpose' })
    await expect(ai.chat({ target: 'primary', messages: [{ role: 'user', content: 'hi' }] }, { tenantId: a.tenantId })).rejects.toThrow()
    await ai.ledger.flush()
    const after = await scrape()
    const d = (name: string, labels: Record<string, string>) => delta(before, after, name, labels)
    const gpt = { provider: 'openai', model: 'gpt-fake' }
    expect(d('auterity_ai_requests_total', { ...gpt, outcome: 'ok' })).toBe(2)
    expect(d('auterity_ai_tokens_total', { ...gpt, direction: 'input' })).toBe(2_000_000)
    expect(d('auterity_ai_tokens_total', { ...gpt, direction: 'output' })).toBe(1_000_000)
    // fake-gpt costs 0.15 $ per 1M input tokens and 0.60 $ per 1M output: (0.15 + 0.30) × 2.
    expect(d('auterity_ai_cost_usd_total', gpt)).toBeCloseTo(0.9, 9)
    expect(d('auterity_ai_request_duration_seconds_count', { ...gpt, outcome: 'ok' })).toBe(2)
    expect(d('auterity_ai_requests_total', { provider: 'anthropic', model: 'claude-fake', outcome: 'error' })).toBe(1)
    // The ledger still got every row (the observer only reads them).
    expect(await t.db.prisma.aiUsage.count({ where: { tenantId: a.tenantId } })).toBe(3)
  })
})
