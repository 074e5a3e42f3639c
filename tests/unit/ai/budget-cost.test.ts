import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadTokenizer } from '../../../lib/ai/tokens'
import { costPico, picoToUsd, usdPerMillionToMicros, usdToPico } from '../../../lib/ai/pricing'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { buildRouter, dep, hi, T } from './builders'

let fake: FakeLlm
beforeAll(async () => {
  fake = await startFakeLlm()
})
afterAll(() => fake.close())
beforeEach(() => fake.setDefault({ text: 'ok' }))

describe('pricing', () => {
  it.each([
    [1000, 500, 150_000n, 600_000n, '0.000450000000'],
    [1, 1, 1n, 1n, '0.000000000002'],
    [1_000_000, 0, 2_500_000n, 0n, '2.500000000000'],
    [123_457, 98_765, 3_000_000n, 15_000_000n, '1.851846000000'],
  ])('%i in + %i out tokens at %i/%i micro-USD per 1M = $%s', (i, o, ip, op, usd) => {
    expect(picoToUsd(costPico(i, o, { inputPriceMicros: ip, outputPriceMicros: op }))).toBe(usd)
  })
  it.each([['0.15', 150_000_000_000n], ['2', 2_000_000_000_000n], ['0.000000000001', 1n], ['-1.5', -1_500_000_000_000n]])('usdToPico(%s)', (s, p) => {
    expect(usdToPico(s)).toBe(p)
    expect(usdToPico(picoToUsd(p))).toBe(p)
  })
  it('converts USD per 1M tokens to micro-USD', () => {
    expect(usdPerMillionToMicros(0.15)).toBe(150_000n)
    expect(usdPerMillionToMicros(2.5)).toBe(2_500_000n)
  })
})

describe('AI router: costs on the ledger', () => {
  it('records exact cost from the provider-reported usage', async () => {
    const { router, ledger } = buildRouter({ deployments: [dep('m', fake.v1)] })
    fake.script('m', { text: 'x', usage: { input: 1234, output: 567 } })
    const r = await router.chat({ target: 'm', messages: hi }, T)
    // 1234 × $1/1M + 567 × $2/1M = $0.002368
    expect(r.costUsd).toBe('0.002368000000')
    expect(ledger.rows[0]).toMatchObject({ inputTokens: 1234, outputTokens: 567, costPico: 2_368_000_000n, provider: 'openai', model: 'm' })
  })
})

describe('AI router: budgets', () => {
  const budget = (limitUsd: string, workflowId: string | null = null) => ({ tenantId: T.tenantId, workflowId, period: 'day' as const, limitUsd })

  it('stops a call before it is made when the estimate exceeds what is left', async () => {
    // estimate = prompt tokens × $1/1M + 1000 max tokens × $2/1M ≈ $0.00201; $0.002 left
    const { router, ledger } = buildRouter({ deployments: [dep('m', fake.v1)], budgets: [budget('1.000')], spent: usdToPico('0.998') })
    const before = fake.seen.length
    await expect(router.chat({ target: 'm', messages: hi, maxTokens: 1000 }, T)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED', status: 402 })
    expect(fake.seen.length).toBe(before)
    expect(ledger.rows[0]).toMatchObject({ outcome: 'budget_exceeded', errorCode: 'BUDGET_EXCEEDED', costPico: 0n })
  })

  it('allows the call when the estimate fits, and counts its real cost afterwards', async () => {
    const { router } = buildRouter({ deployments: [dep('m', fake.v1)], budgets: [budget('0.01')] })
    fake.script('m', { text: 'x', usage: { input: 1000, output: 4000 } }) // $0.009 real cost
    await router.chat({ target: 'm', messages: hi, maxTokens: 10 }, T)
    const head = await router.budgets.headroom([budget('0.01')])
    expect(picoToUsd(head!.left)).toBe('0.001000000000')
    await expect(router.chat({ target: 'm', messages: hi, maxTokens: 1000 }, T)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' })
  })

  it('applies a workflow budget only to that workflow', async () => {
    const { router } = buildRouter({ deployments: [dep('m', fake.v1)], budgets: [budget('0.0000001', 'wf-other')] })
    await expect(router.chat({ target: 'm', messages: hi }, T)).resolves.toMatchObject({ text: 'ok' })
    await expect(router.chat({ target: 'm', messages: hi }, { ...T, workflowId: 'wf-other' })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' })
  })

  it('picks a cheaper deployment when the route allows it', async () => {
    const pricey = dep('pricey', fake.v1, { inputPriceMicros: 100_000_000n, outputPriceMicros: 100_000_000n })
    const cheap = dep('cheap', fake.v1, { inputPriceMicros: 1n, outputPriceMicros: 1n })
    const { router } = buildRouter({
      deployments: [pricey, cheap],
      routes: [{ name: 'r', strategy: 'failover', deployments: ['pricey', 'cheap'], onBudgetExceeded: 'cheaper' }],
      budgets: [budget('0.01')],
    })
    const r = await router.chat({ target: 'r', messages: hi, maxTokens: 1000 }, T)
    expect(r.deployment).toBe('cheap')
  })

  it('counts prompt tokens with tiktoken', async () => {
    expect((await loadTokenizer()).countPrompt([{ role: 'user', content: 'hello world' }])).toBe(3 + 3 + 2)
  })
})

describe('AI router: policies', () => {
  it('cheapest-that-fits skips deployments without the needed capability or context', async () => {
    const { router } = buildRouter({
      deployments: [
        dep('tiny', fake.v1, { inputPriceMicros: 1n, outputPriceMicros: 1n, contextLength: 100 }),
        dep('notools', fake.v1, { inputPriceMicros: 2n, outputPriceMicros: 2n, capabilities: { tools: false, json: true, vision: false } }),
        dep('pricey', fake.v1, { inputPriceMicros: 9_000_000n }),
        dep('ok', fake.v1, { inputPriceMicros: 5n, outputPriceMicros: 5n }),
      ],
      routes: [{ name: 'cheap', strategy: 'cheapest', deployments: ['pricey', 'tiny', 'notools', 'ok'] }],
    })
    const tools = [{ name: 'lookup', parameters: { type: 'object', properties: {} } }]
    expect((await router.chat({ target: 'cheap', messages: hi, maxTokens: 500 }, T)).deployment).toBe('notools')
    expect((await router.chat({ target: 'cheap', messages: hi, maxTokens: 500, tools }, T)).deployment).toBe('ok')
  })

  it('fastest picks the deployment with the lowest measured p95', async () => {
    const { router } = buildRouter({ deployments: [dep('a', fake.v1), dep('b', fake.v1)], routes: [{ name: 'fast', strategy: 'fastest', deployments: ['a', 'b'] }] })
    router.latency.seed('dep-a', [400, 500, 900])
    router.latency.seed('dep-b', [100, 120, 150])
    expect((await router.chat({ target: 'fast', messages: hi }, T)).deployment).toBe('b')
  })

  it('names what is missing when nothing can serve the request', async () => {
    const { router } = buildRouter({ deployments: [dep('small', fake.v1, { contextLength: 50 })] })
    await expect(router.chat({ target: 'small', messages: hi, maxTokens: 100 }, T)).rejects.toMatchObject({ code: 'AI_NO_CANDIDATE' })
    await expect(router.chat({ target: 'nope', messages: hi }, T)).rejects.toMatchObject({ code: 'AI_TARGET_NOT_FOUND' })
  })
})
