// Tracing's configuration and its off state: where spans go is read from the standard OTEL_* variables in lib/env,
// and a process without an endpoint registers nothing (the API's no-op tracer, no step tracer, no job context).
import { afterEach, describe, expect, it } from 'vitest'
import { trace } from '@opentelemetry/api'
import { readEnv } from '@/lib/env'
import { injectTraceContext } from '@/lib/telemetry/propagation'
import { stepTracer } from '@/lib/telemetry/runs'
import { routeTemplate } from '@/lib/telemetry/http-server'
import { startTracing } from '@/lib/telemetry/tracing'
import { tracingOn, withSpan } from '@/lib/telemetry/spans'

const VARS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_SDK_DISABLED', 'OTEL_TRACES_EXPORTER', 'OTEL_SERVICE_NAME'] as const
const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]))
afterEach(() => {
  for (const v of VARS) if (saved[v] === undefined) delete process.env[v]
  else process.env[v] = saved[v]
})

function tracingEnv(vars: Partial<Record<(typeof VARS)[number], string>>) {
  for (const v of VARS) delete process.env[v]
  Object.assign(process.env, vars)
  return readEnv().tracing
}

describe('tracing configuration', () => {
  it.each([
    [{}, undefined],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, 'http://collector:4318/v1/traces'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/base/' }, 'https://otel.example.com/base/v1/traces'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:9999/custom/path' }, 'http://b:9999/custom/path'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_SDK_DISABLED: 'true' }, undefined],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_TRACES_EXPORTER: 'none' }, undefined],
  ])('%j → %s', (vars, url) => {
    expect(tracingEnv(vars).tracesUrl).toBe(url)
  })

  it('names the variable that is not a URL', () => {
    expect(() => tracingEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/)
  })

  it('lets OTEL_SERVICE_NAME replace the process name', () => {
    expect(tracingEnv({ OTEL_SERVICE_NAME: 'studio-eu' }).serviceName).toBe('studio-eu')
    expect(tracingEnv({}).serviceName).toBeUndefined()
  })
})

describe('tracing off', () => {
  it('registers nothing and the helpers do nothing', async () => {
    const tracing = await startTracing({ tracesUrl: undefined, serviceName: 'auterity-test' })
    expect(tracing.enabled).toBe(false)
    expect(tracingOn()).toBe(false)
    const span = trace.getTracer('any').startSpan('probe')
    expect(span.isRecording()).toBe(false)
    span.end()
    expect(stepTracer()).toBeUndefined()
    expect(injectTraceContext()).toBeUndefined()
    expect(await withSpan('x', {}, async (s) => s)).toBeUndefined()
  })
})

describe('route templates (span names without ids or webhook secrets)', () => {
  it.each([
    ['/api/workflows/abc/run', { id: 'abc' }, '/api/workflows/[id]/run'],
    ['/api/executions/e1/steps/n%201/items', { id: 'e1', nodeId: 'n 1' }, '/api/executions/[id]/steps/[nodeId]/items'],
    ['/api/webhooks/orders/new', { path: ['orders', 'new'] }, '/api/webhooks/[...path]'],
    ['/api/health', undefined, '/api/health'],
  ])('%s', (path, params, template) => {
    expect(routeTemplate(path, params)).toBe(template)
  })
})
