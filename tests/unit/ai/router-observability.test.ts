// What the AI router tells the step that called it: a line per retry and fallback in the step's log, and a client
// span per provider call (GenAI attributes, tokens) under the step's span when tracing is on. A real local fake of
// the OpenAI wire format; spans collected in memory from the real SDK.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { trace } from '@opentelemetry/api'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { tracingOn } from '@/lib/telemetry/spans'
import { buildRouter, dep, hi, T } from './builders'

let fake: FakeLlm
beforeAll(async () => {
  fake = await startFakeLlm('Hello from fake')
})
afterAll(() => fake.close())
afterEach(() => trace.disable())

const route = { name: 'main', strategy: 'failover' as const, deployments: ['primary', 'backup'] }

describe('AI router observability', () => {
  it('notes a retry and a fallback in the step log and traces each provider call', async () => {
    const exporter = new InMemorySpanExporter()
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }))
    expect(tracingOn()).toBe(true)
    const { router } = buildRouter({ deployments: [dep('primary', fake.v1, { maxRetries: 1 }), dep('backup', fake.v1)], routes: [route] })
    fake.script('primary', { status: 500 })
    fake.script('primary', { status: 500 })
    const lines: string[] = []
    const r = await router.chat({ target: 'main', messages: hi }, { ...T, log: { warn: (m) => void lines.push(m) } })
    expect(r.deployment).toBe('backup')
    expect(lines).toEqual([
      expect.stringMatching(/^AI deployment "primary" failed \(HTTP_500: .*\): retry 1 of 1 in \d+ ms$/),
      expect.stringMatching(/^AI deployment "primary" failed \(HTTP_500: .*\); trying "backup" next$/),
    ])

    const spans = exporter.getFinishedSpans()
    expect(spans.map((s) => [s.name, s.attributes['auterity.ai.deployment'], s.attributes['auterity.ai.attempt'], s.status.code])).toEqual([
      ['chat primary', 'primary', 1, 2],
      ['chat primary', 'primary', 2, 2],
      ['chat backup', 'backup', 1, 0],
    ])
    expect(spans[2].attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'backup',
      'gen_ai.usage.input_tokens': r.usage.inputTokens,
      'gen_ai.usage.output_tokens': r.usage.outputTokens,
      'auterity.ai.fallback_index': 1,
    })
    expect(spans[0].attributes['error.type']).toBe('HTTP_500')
  })
})
