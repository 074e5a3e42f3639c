// The metrics of one process in isolation: the exposition is valid Prometheus text (read by the strict reader, which
// is itself shown to refuse broken text), label values stay in small sets whatever the input, route patterns come out
// of paths and params, and the scrape token is checked as the docs say.
import { describe, expect, it } from 'vitest'
import { createMetrics, MAX_WORKFLOW_LABELS } from '../../../lib/metrics/metrics'
import { BoundedLabel, nameLabel, routePattern, statusClass } from '../../../lib/metrics/labels'
import { scrapeAccess } from '../../../lib/metrics/scrape'
import { labelValues, parsePrometheusText, sampleValue } from '../../helpers/prom-text'

describe('the strict reader', () => {
  const ok = '# HELP a_total A thing\n# TYPE a_total counter\na_total{x="1"} 3\n'

  it('reads a valid exposition', () => {
    expect(sampleValue(parsePrometheusText(ok), 'a_total', { x: '1' })).toBe(3)
  })

  it.each([
    ['no final newline', ok.trimEnd()],
    ['a sample of no declared family', ok + 'b 1\n'],
    ['a repeated series', ok + 'a_total{x="1"} 4\n'],
    ['a bad label name', '# TYPE a gauge\na{1x="y"} 1\n'],
    ['an unquoted label value', '# TYPE a gauge\na{x=y} 1\n'],
    ['a bad escape', '# TYPE a gauge\na{x="\\t"} 1\n'],
    ['a bad value', '# TYPE a gauge\na 1,5\n'],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ['decreasing buckets', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ['a _count that is not the +Inf bucket', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'],
    ['TYPE after samples', ok + '# TYPE a_total gauge\n'],
  ])('refuses %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow()
  })
})

describe('a process’s metrics', () => {
  it('expose every family as valid text, with the default process metrics', async () => {
    const m = createMetrics()
    m.executionFinished('manual', 'succeeded', 1200, 'wf_1')
    m.stepSettled('set', 'succeeded', 3)
    m.stepRetrying('http-request')
    m.retriedStepEnded('http-request', 'succeeded')
    m.httpRequest('/api/workflows/[id]', 'GET', 200, 0.01)
    m.webhookRequest('production', 'POST', 404, 0.002)
    m.aiUsage({ provider: 'openai', model: 'gpt-x', outcome: 'ok', inputTokens: 10, outputTokens: 5, costPico: 2_500_000_000n, latencyMs: 300 })
    m.signInFailed('password')
    m.watchPool('prisma', () => ({ totalCount: 4, idleCount: 1, waitingCount: 2, options: { max: 10 } }))
    m.watchQueues(async () => [{ queue: 'executions', waiting: 3, active: 1, delayed: 0, oldestWaitingMs: 2500 }])
    const f = parsePrometheusText(await m.scrape())
    expect(sampleValue(f, 'auterity_executions_finished_total', { status: 'succeeded', mode: 'manual' })).toBe(1)
    expect(sampleValue(f, 'auterity_workflow_executions_finished_total', { workflow: 'wf_1', status: 'succeeded' })).toBe(1)
    expect(sampleValue(f, 'auterity_execution_duration_seconds_sum', { status: 'succeeded', mode: 'manual' })).toBeCloseTo(1.2)
    expect(sampleValue(f, 'auterity_step_duration_seconds_count', { node_type: 'set', status: 'succeeded' })).toBe(1)
    expect(sampleValue(f, 'auterity_retried_steps_total', { node_type: 'http-request', outcome: 'succeeded' })).toBe(1)
    expect(sampleValue(f, 'auterity_http_request_duration_seconds_count', { route: '/api/workflows/[id]', method: 'GET', status_class: '2xx' })).toBe(1)
    expect(sampleValue(f, 'auterity_webhook_request_duration_seconds_count', { kind: 'production', status_class: '4xx' })).toBe(1)
    expect(sampleValue(f, 'auterity_ai_tokens_total', { provider: 'openai', model: 'gpt-x', direction: 'output' })).toBe(5)
    expect(sampleValue(f, 'auterity_ai_cost_usd_total', { provider: 'openai', model: 'gpt-x' })).toBeCloseTo(0.0025)
    expect(sampleValue(f, 'auterity_signin_failures_total', { reason: 'password' })).toBe(1)
    expect(sampleValue(f, 'auterity_db_pool_connections', { pool: 'prisma', state: 'in_use' })).toBe(3)
    expect(sampleValue(f, 'auterity_db_pool_waiting_requests', { pool: 'prisma' })).toBe(2)
    expect(sampleValue(f, 'auterity_queue_jobs', { queue: 'executions', state: 'waiting' })).toBe(3)
    expect(sampleValue(f, 'auterity_queue_oldest_waiting_seconds', { queue: 'executions' })).toBe(2.5)
    expect(f.has('process_cpu_seconds_total')).toBe(true)
    expect(f.has('nodejs_eventloop_lag_seconds')).toBe(true)
  })

  it('leaves the queue gauges out of a scrape whose read fails, and answers the rest', async () => {
    const m = createMetrics({ defaultMetrics: false })
    m.watchQueues(async () => {
      throw new Error('Redis is down')
    })
    const f = parsePrometheusText(await m.scrape())
    expect(f.get('auterity_queue_jobs')?.samples).toEqual([])
    expect(f.has('auterity_executions_finished_total')).toBe(true)
  })

  it('keeps label values to known shapes whatever callers pass', async () => {
    const m = createMetrics({ defaultMetrics: false })
    m.executionFinished('c'.repeat(200), 'succeeded', 1)
    m.stepSettled('weird type with spaces', 'failed', 1)
    m.httpRequest('/api/x', 'BREW', 999, 0.1)
    const values = labelValues(parsePrometheusText(await m.scrape()))
    expect(values).not.toContain('c'.repeat(200))
    expect(values).toEqual(expect.arrayContaining(['other']))
    expect(values).not.toContain('weird type with spaces')
    expect(values).not.toContain('BREW')
  })
})

describe('labels', () => {
  it.each([
    ['/api/workflows/abc123/run', { id: 'abc123' }, '/api/workflows/[id]/run'],
    ['/api/executions/e1/steps/node%201/items', { id: 'e1', nodeId: 'node 1' }, '/api/executions/[id]/steps/[nodeId]/items'],
    ['/api/webhooks/a/b/c', { path: ['a', 'b', 'c'] }, '/api/webhooks/[...path]'],
    ['/api/health/live', {}, '/api/health/live'],
    ['/api/health/live', undefined, '/api/health/live'],
    // A param whose value is also a static word replaces the value's segment, not the route's word.
    ['/api/workflows/run/run', { id: 'run' }, '/api/workflows/run/[id]'],
  ])('routePattern(%s, %j) is %s', (path, params, expected) => {
    expect(routePattern(path, params as Record<string, string | string[]> | undefined)).toBe(expected)
  })

  it.each([[200, '2xx'], [204, '2xx'], [302, '3xx'], [404, '4xx'], [503, '5xx'], [99, 'other'], [600, 'other']])('status %i is %s', (status, label) => {
    expect(statusClass(status)).toBe(label)
  })

  it('reports runs by workflow for the first 500 workflows, the rest as other', async () => {
    const m = createMetrics({ defaultMetrics: false })
    for (let i = 0; i < MAX_WORKFLOW_LABELS + 2; i++) m.executionFinished('manual', 'failed', 1, `wf_${i}`)
    m.executionFinished('manual', 'failed', 1, 'wf_0')
    const f = parsePrometheusText(await m.scrape())
    const series = f.get('auterity_workflow_executions_finished_total')!.samples
    expect(series).toHaveLength(MAX_WORKFLOW_LABELS + 1)
    expect(sampleValue(f, 'auterity_workflow_executions_finished_total', { workflow: 'wf_0', status: 'failed' })).toBe(2)
    expect(sampleValue(f, 'auterity_workflow_executions_finished_total', { workflow: 'other', status: 'failed' })).toBe(2)
  })

  it('caps a label’s distinct values, then reports the rest as other', () => {
    const label = new BoundedLabel(2)
    expect(['a', 'b', 'c', 'a', null].map((v) => label.value(v))).toEqual(['a', 'b', 'other', 'a', 'none'])
  })

  it.each([['webhook', 'webhook'], ['twilio/sms', 'twilio/sms'], ['', 'other'], ['has space', 'other'], ['x'.repeat(65), 'other']])('nameLabel(%j) is %s', (raw, label) => {
    expect(nameLabel(raw)).toBe(label)
  })
})

describe('scrape access', () => {
  const token = 'a-long-enough-metrics-token'
  it.each([
    [undefined, undefined, {}, 'disabled'],
    [`Bearer ${token}`, undefined, {}, 'disabled'],
    [undefined, undefined, { open: true }, 'allowed'],
    [undefined, token, { open: true }, 'unauthorized'],
    [`Bearer ${token}`, token, {}, 'allowed'],
    [`bearer ${token}`, token, {}, 'allowed'],
    [`Bearer ${token}x`, token, {}, 'unauthorized'],
    [`Bearer ${token.slice(0, -1)}`, token, {}, 'unauthorized'],
    [token, token, {}, 'unauthorized'],
    ['Basic abc', token, {}, 'unauthorized'],
  ])('authorization %j against token %j (%j) is %s', (header, configured, opts, expected) => {
    expect(scrapeAccess(header, configured, opts)).toBe(expected)
  })
})
