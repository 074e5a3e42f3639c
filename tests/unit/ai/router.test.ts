import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { buildRouter, dep, hi, T } from './builders'

let fake: FakeLlm
beforeAll(async () => {
  fake = await startFakeLlm('Hello from fake')
})
afterAll(() => fake.close())
beforeEach(() => fake.setDefault({ text: 'Hello from fake' }))

// Generous timeouts: a loaded CI machine must not turn a scripted 500 into a timeout. The hang case sets its own.
const chain = (timeoutMs = 10_000) => [dep('primary', fake.v1, { timeoutMs }), dep('backup', fake.v1, { timeoutMs: 10_000 })]
const failoverRoute = { name: 'main', strategy: 'failover' as const, deployments: ['primary', 'backup'] }

describe('AI router: failover', () => {
  it.each([
    ['500', { status: 500 }, 'HTTP_500', 10_000],
    ['429', { status: 429 }, 'RATE_LIMITED', 10_000],
    ['hang', { hang: true as const }, 'TIMEOUT', 1_000],
  ])('fails over when the primary answers %s', async (_label, step, code, timeoutMs) => {
    const { router, ledger } = buildRouter({ deployments: chain(timeoutMs), routes: [failoverRoute] })
    fake.script('primary', step)
    const r = await router.chat({ target: 'main', messages: hi }, T)
    expect(r.text).toBe('Hello from fake')
    expect(r.deployment).toBe('backup')
    expect(r.fallbackIndex).toBe(1)
    expect(r.attempts).toEqual([expect.objectContaining({ deployment: 'primary', code })])
    expect(ledger.rows).toHaveLength(1)
    expect(ledger.rows[0]).toMatchObject({ outcome: 'ok', deploymentName: 'backup', fallbackIndex: 1, tenantId: 'tenant-1', workflowId: 'wf-1', executionId: 'ex-1', stepId: 'node-1' })
  })

  it('fails over mid-stream setup and passes the stream through', async () => {
    const { router } = buildRouter({ deployments: chain(), routes: [failoverRoute] })
    fake.script('primary', { status: 503 })
    fake.script('backup', { text: 'one two three' })
    const deltas: string[] = []
    let final
    for await (const ev of router.stream({ target: 'main', messages: hi }, T)) {
      if (ev.type === 'text') deltas.push(ev.delta)
      if (ev.type === 'finish') final = ev.result
    }
    expect(deltas).toEqual(['one ', 'two ', 'three'])
    expect(final).toMatchObject({ deployment: 'backup', text: 'one two three', usage: { inputTokens: 5, outputTokens: 3 } })
  })

  it('fails over a stream whose primary hangs before the first token', async () => {
    const { router } = buildRouter({ deployments: chain(1_000), routes: [failoverRoute] })
    fake.script('primary', { hang: true })
    let final
    for await (const ev of router.stream({ target: 'main', messages: hi }, T)) if (ev.type === 'finish') final = ev.result
    expect(final).toMatchObject({ deployment: 'backup', attempts: [{ deployment: 'primary', code: 'TIMEOUT' }] })
  })

  it('retries on the same deployment before failing over', async () => {
    const { router } = buildRouter({ deployments: [dep('primary', fake.v1, { maxRetries: 1 }), dep('backup', fake.v1)], routes: [failoverRoute] })
    fake.script('primary', { status: 500 })
    const r = await router.chat({ target: 'main', messages: hi }, T)
    expect(r.deployment).toBe('primary')
    expect(r.attempts).toHaveLength(1)
  })

  it('does not fail over on a 400 (the request itself is bad)', async () => {
    const { router, ledger } = buildRouter({ deployments: chain(), routes: [failoverRoute] })
    fake.script('primary', { status: 400, message: 'bad field' })
    await expect(router.chat({ target: 'main', messages: hi }, T)).rejects.toMatchObject({ code: 'AI_PROVIDER_REJECTED' })
    expect(ledger.rows[0]).toMatchObject({ outcome: 'error', errorCode: 'HTTP_400' })
  })

  it('throws a typed error when every deployment fails, and records it', async () => {
    const { router, ledger } = buildRouter({ deployments: chain(), routes: [failoverRoute] })
    fake.script('primary', { status: 500 })
    fake.script('backup', { status: 502 })
    await expect(router.chat({ target: 'main', messages: hi }, T)).rejects.toMatchObject({ code: 'AI_ALL_FAILED', retryable: true })
    expect(ledger.rows[0]).toMatchObject({ outcome: 'error', errorCode: 'AI_ALL_FAILED', costPico: 0n })
  })
})

describe('AI router: cancellation', () => {
  it('records a stream the consumer stopped early, with the tokens it likely cost', async () => {
    const { router, ledger } = buildRouter({ deployments: [dep('m', fake.v1)] })
    fake.script('m', { text: 'one two three four' })
    for await (const ev of router.stream({ target: 'm', messages: hi }, T)) if (ev.type === 'text') break
    expect(ledger.rows).toHaveLength(1)
    expect(ledger.rows[0]).toMatchObject({ outcome: 'error', errorCode: 'CANCELLED', deploymentName: 'm', outputTokens: 2, streamed: true }) // "one " is 2 tokens
    expect(ledger.rows[0].inputTokens).toBeGreaterThan(0)
    expect(router.breakers.states(Date.now())['dep-m']).toBe('closed')
  })

  it("does not fail over when the caller aborts, and does not blame the deployment", async () => {
    const { router, ledger } = buildRouter({ deployments: chain(), routes: [failoverRoute] })
    fake.script('primary', { hang: true })
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 50)
    await expect(router.chat({ target: 'main', messages: hi }, { ...T, signal: ac.signal })).rejects.toBeDefined()
    expect(ledger.rows[0]).toMatchObject({ outcome: 'error', errorCode: 'ABORTED', deploymentName: 'primary' })
    expect(router.breakers.states(Date.now())['dep-primary']).toBe('closed')
  })
})

describe('AI router: circuit breaker', () => {
  it('opens after consecutive failures, skips the deployment, then closes after a successful trial', async () => {
    let now = 1_000_000
    const { router } = buildRouter({ deployments: chain(), routes: [failoverRoute], now: () => now, cooldownMs: 5_000 })
    fake.script('primary', { status: 500 }, { status: 500 })
    await router.chat({ target: 'main', messages: hi }, T)
    await router.chat({ target: 'main', messages: hi }, T)
    expect(router.breakers.states(now)['dep-primary']).toBe('open')

    const before = fake.seen.filter((s) => s.body?.model === 'primary').length
    const skipped = await router.chat({ target: 'main', messages: hi }, T)
    expect(skipped.attempts).toEqual([{ deployment: 'primary', code: 'CIRCUIT_OPEN', error: 'circuit open' }])
    expect(fake.seen.filter((s) => s.body?.model === 'primary').length).toBe(before)

    now += 5_000
    expect(router.breakers.states(now)['dep-primary']).toBe('half-open')
    const trial = await router.chat({ target: 'main', messages: hi }, T)
    expect(trial.deployment).toBe('primary')
    expect(router.breakers.states(now)['dep-primary']).toBe('closed')
  })

  it('a failed half-open trial opens the circuit again', async () => {
    let now = 2_000_000
    const { router } = buildRouter({ deployments: chain(), routes: [failoverRoute], now: () => now, cooldownMs: 5_000 })
    fake.script('primary', { status: 500 }, { status: 500 }, { status: 500 })
    await router.chat({ target: 'main', messages: hi }, T)
    await router.chat({ target: 'main', messages: hi }, T)
    now += 5_000
    const r = await router.chat({ target: 'main', messages: hi }, T)
    expect(r.deployment).toBe('backup')
    expect(router.breakers.states(now)['dep-primary']).toBe('open')
  })
})

describe('AI router: Anthropic through the same router', () => {
  it('answers JSON and streaming through the Anthropic wire format', async () => {
    const claude = dep('claude-x', fake.v1, { provider: 'anthropic' })
    const { router } = buildRouter({ deployments: [claude] })
    const r = await router.chat({ target: 'claude-x', messages: [{ role: 'system', content: 'be brief' }, ...hi] }, T)
    expect(r.text).toBe('Hello from fake')
    expect(fake.seen.at(-1)!.path).toBe('/v1/messages')
    let text = ''
    for await (const ev of router.stream({ target: 'claude-x', messages: hi }, T)) if (ev.type === 'text') text += ev.delta
    expect(text).toBe('Hello from fake')
  })

  it('fails over from an Anthropic 429 to an OpenAI deployment', async () => {
    const { router } = buildRouter({ deployments: [dep('claude-x', fake.v1, { provider: 'anthropic' }), dep('backup', fake.v1)], routes: [{ name: 'mixed', strategy: 'failover', deployments: ['claude-x', 'backup'] }] })
    fake.script('claude-x', { status: 429 })
    const r = await router.chat({ target: 'mixed', messages: hi }, T)
    expect(r).toMatchObject({ deployment: 'backup', attempts: [{ deployment: 'claude-x', code: 'RATE_LIMITED' }] })
  })
})
