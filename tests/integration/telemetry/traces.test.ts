// One trace per execution, end to end: the run route's request span → the enqueue's producer span → (W3C context in
// the BullMQ job) → the worker's run span → a span per step attempt → the HTTP Request step's outbound client span,
// exported over OTLP/HTTP to a local receiver. Then tracing is stopped: nothing more is sent and the API is back on
// its no-op tracer. Real PostgreSQL, Redis, worker and HTTP servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trace } from '@opentelemetry/api'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { startTestWorker } from '../../helpers/worker'
import { startOtlpReceiver, type ReceivedSpan } from '../../helpers/otlp-receiver'
import { call, chain, node, startSideEffectServer, waitFor, waitForStatus } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import { closeAppServices } from '../../../lib/services/app'
import { startTracing, type Tracing } from '../../../lib/telemetry/tracing'
import { tracingOn } from '../../../lib/telemetry/spans'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let api: Awaited<ReturnType<typeof startSideEffectServer>>
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>
let worker: RunningWorker
let tracing: Tracing

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c'
const CALLER_SPAN = 'b7ad6b7169203331'

beforeAll(async () => {
  receiver = await startOtlpReceiver()
  // Before anything runs, as server.ts and workers/worker.ts do; a short batch delay so the test need not wait 5 s.
  tracing = await startTracing({ tracesUrl: receiver.tracesUrl, serviceName: 'auterity-test', batch: { scheduledDelayMillis: 100 } })
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'A' })
  api = await startSideEffectServer()
  worker = await startTestWorker(t, { http: { allowList: [`127.0.0.1:${api.port}`] } })
})
afterAll(async () => {
  await worker?.close()
  await tracing?.stop()
  await api?.close()
  await receiver?.close()
  await closeAppServices()
  await t?.teardown()
})

async function runFlow(graph: unknown, headers: Record<string, string> = {}) {
  const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Traced', graph } })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  // The URL Next hands the handler: the span is named after the route it matches.
  const url = `/api/workflows/${created.json.id}/run`
  const started = await call(run.POST, { method: 'POST', url, headers: { ...a.headers, ...headers }, params: { id: created.json.id }, body: {} })
  expect(started.status, JSON.stringify(started.json)).toBe(202)
  const executionId = started.json.executionId as string
  await waitForStatus(t.db.prisma, executionId, ['succeeded', 'failed'])
  return executionId
}

const one = (spans: ReceivedSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name)
  expect(found.map((s) => s.name), `spans named "${name}" among ${spans.map((s) => s.name).join(', ')}`).toEqual([name])
  return found[0]
}

describe('traces', () => {
  it('follows one execution from the request through the queue to its steps and their outbound HTTP call', async () => {
    expect(tracingOn()).toBe(true)
    const graph = chain(node.manual(), node.code('c', 'console.log("shaping"); return items.map((i) => ({ ...i, shaped: true }))'), node.http('h', `${api.url}/count/traced?api_key=hidden`))
    const executionId = await runFlow(graph, { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` })
    await tracing.flush()
    const spans = await waitFor('the run span to be exported', async () => {
      const mine = receiver.spans.filter((s) => s.traceId === CALLER_TRACE)
      return mine.some((s) => s.name === 'run execution') && mine.some((s) => s.name === 'GET') ? mine : null
    })

    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['auterity-test']))
    const request = one(spans, 'POST /api/workflows/[id]/run')
    const publish = one(spans, 'publish executions')
    const execution = one(spans, 'run execution')
    const code = one(spans, 'step code')
    const http = one(spans, 'step http-request')
    const outbound = one(spans, 'GET')

    // Parent links: the caller's span → request → enqueue → run → each step → the step's HTTP request.
    expect(request).toMatchObject({ kind: 2, parentSpanId: CALLER_SPAN, attributes: { 'http.request.method': 'POST', 'http.route': '/api/workflows/[id]/run', 'http.response.status_code': 202 } })
    expect(publish).toMatchObject({ kind: 4, parentSpanId: request.spanId, attributes: { 'messaging.destination.name': 'executions', 'auterity.execution.id': executionId } })
    expect(execution).toMatchObject({
      kind: 5,
      parentSpanId: publish.spanId,
      attributes: { 'auterity.execution.id': executionId, 'auterity.tenant.id': a.tenantId, 'auterity.execution.mode': 'manual', 'auterity.execution.status': 'succeeded' },
    })
    for (const step of [code, http]) expect(step.parentSpanId).toBe(execution.spanId)
    expect(code.attributes).toMatchObject({ 'auterity.node.type': 'code', 'auterity.node.id': 'c', 'auterity.step.attempt': 1, 'auterity.step.status': 'succeeded', 'auterity.step.input_items': 1, 'auterity.step.output_items': 1, 'auterity.step.log_lines': 1 })
    expect(http.attributes).toMatchObject({ 'auterity.node.type': 'http-request', 'auterity.step.status': 'succeeded', 'auterity.step.output_items.main': 1 })
    expect(outbound).toMatchObject({
      kind: 3,
      parentSpanId: http.spanId,
      attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.full': `${api.url}/count/traced`, 'server.address': '127.0.0.1', 'server.port': api.port },
    })
    // The query (it may hold a key) is not recorded anywhere, and steps are ordered in time.
    expect(JSON.stringify(spans)).not.toContain('hidden')
    expect(api.hits('count/traced')).toBe(1)
  })

  it('records a failed step as an error span with the error, and a run without a caller as a new trace', async () => {
    const executionId = await runFlow(chain(node.manual(), node.http('bad', `${api.url}/fail/never-fixed`)))
    await tracing.flush()
    const spans = await waitFor('the failed run to be exported', async () => {
      const run = receiver.spans.find((s) => s.name === 'run execution' && s.attributes['auterity.execution.id'] === executionId)
      return run ? receiver.spans.filter((s) => s.traceId === run.traceId) : null
    })
    const request = one(spans, 'POST /api/workflows/[id]/run')
    expect(request.parentSpanId).toBeUndefined()
    expect(one(spans, 'run execution')).toMatchObject({ status: 2, attributes: { 'auterity.execution.status': 'failed', 'error.type': 'HTTP_STATUS' } })
    const step = one(spans, 'step http-request')
    expect(step).toMatchObject({ status: 2, attributes: { 'auterity.step.status': 'failed', 'error.type': 'HTTP_STATUS', 'auterity.step.will_retry': false } })
    expect(step.events).toEqual([expect.objectContaining({ name: 'exception', attributes: expect.objectContaining({ 'exception.message': expect.stringContaining('answered 400') }) })])
    expect(one(spans, 'GET')).toMatchObject({ status: 2, attributes: { 'http.response.status_code': 400 } })
  })

  it('sends nothing once tracing is stopped, and leaves the API on its no-op tracer', async () => {
    await tracing.stop()
    expect(tracingOn()).toBe(false)
    expect((await startTracing({ tracesUrl: undefined, serviceName: 'auterity-test' })).enabled).toBe(false)
    const probe = trace.getTracer('probe').startSpan('probe')
    expect(probe.isRecording()).toBe(false)
    expect(probe.spanContext().traceId).toBe('00000000000000000000000000000000')
    probe.end()

    const before = { requests: receiver.requests(), spans: receiver.spans.length }
    const executionId = await runFlow(chain(node.manual(), node.http('h', `${api.url}/count/untraced`)))
    const job = await t.db.prisma.execution.findUnique({ where: { id: executionId } })
    expect(job?.status).toBe('succeeded')
    // Longer than the batch delay the exporter had: a span would have been sent by now.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect({ requests: receiver.requests(), spans: receiver.spans.length }).toEqual(before)
    expect(receiver.contentTypes.every((c) => c.startsWith('application/json'))).toBe(true)
  })
})
