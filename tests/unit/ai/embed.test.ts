// AiRouter.embed against local servers speaking OpenAI's embeddings format (two of them, so two deployments of
// one model can answer differently): batching and order, failover only within one embedding space, the
// dimension check, budgets before the call, exact costs, kinds.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { splitBatches } from '../../../lib/ai/embeddings'
import { costPico, picoToUsd } from '../../../lib/ai/pricing'
import { loadTokenizer } from '../../../lib/ai/tokens'
import type { Deployment, RoutePolicy } from '../../../lib/ai/types'
import { startFakeEmbeddings, type FakeEmbeddings } from '../../fakes/embeddings'
import { buildRouter, dep, hi, T } from './builders'

const DIM = 8
let a: FakeEmbeddings
let b: FakeEmbeddings
beforeAll(async () => {
  ;[a, b] = await Promise.all([startFakeEmbeddings({ dim: DIM, thesaurus: {} }), startFakeEmbeddings({ dim: DIM, thesaurus: {} })])
})
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()])
})
beforeEach(() => {
  a.seen.length = 0
  b.seen.length = 0
})

/** An embedding deployment: $0.02 / 1M input tokens, like text-embedding-3-small. */
function emb(name: string, fake: FakeEmbeddings, o: Partial<Deployment> = {}): Deployment {
  return dep(name, fake.v1, { kind: 'embedding', modelId: 'embed-m', dimensions: DIM, contextLength: 8191, inputPriceMicros: 20_000n, outputPriceMicros: 0n, capabilities: { tools: false, json: false, vision: false }, ...o })
}
const route = (...deployments: string[]): RoutePolicy => ({ name: 'vectors', strategy: 'failover', deployments })
const texts = (n: number, prefix = 'text') => Array.from({ length: n }, (_, i) => `${prefix} number ${i} about ${i % 7 ? 'cats' : 'dogs'}`)
/** What the fake bills: ceil(chars / 4) per input. */
const fakeTokens = (inputs: string[]) => inputs.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0)

describe('AiRouter.embed: batching', () => {
  it('splits the inputs into requests of at most maxBatch and keeps the input order, whatever answers first', async () => {
    const { router, ledger } = buildRouter({ deployments: [emb('e', a)] })
    const input = texts(25)
    // The first request answers last: order must come from the batch, not the arrival.
    a.script('embed-m', { delayMs: 150 })
    const r = await router.embed({ target: 'e', input, maxBatch: 10 }, T)
    expect(a.seen.map((s) => s.inputs)).toEqual([10, 10, 5])
    expect(r.batches).toBe(3)
    expect(r.embeddings).toHaveLength(25)
    const truth = a.embedder(DIM)
    r.embeddings.forEach((v, i) => expect(v).toEqual(truth.embed(input[i]).map((x) => expect.closeTo(x, 6))))
    expect(r).toMatchObject({ dimensions: DIM, deployment: 'e', model: 'embed-m', fallbackIndex: 0, attempts: [] })
    expect(ledger.rows).toHaveLength(1)
  })

  it.each([
    ['by count', [1, 1, 1, 1, 1], 2, 100, [[0, 1], [2, 3], [4]]],
    ['by size', [40, 40, 40, 10], 96, 90, [[0, 1], [2, 3]]],
    ['one input over the cap goes alone', [10, 500, 10], 96, 100, [[0], [1], [2]]],
  ])('splitBatches %s', (_label, sizes, maxBatch, maxSize, expected) => {
    expect(splitBatches(sizes, maxBatch, maxSize).map((x) => x.items)).toEqual(expected)
  })

  it('passes `dimensions` to the provider and checks the vectors against it', async () => {
    const { router } = buildRouter({ deployments: [emb('e', a, { dimensions: null })] })
    const r = await router.embed({ target: 'e', input: ['short vectors please'], dimensions: 4 }, T)
    expect(a.seen[0].dimensions).toBe(4)
    expect(r.dimensions).toBe(4)
    expect(r.embeddings[0]).toHaveLength(4)
  })
})

describe('AiRouter.embed: failover within one embedding space', () => {
  it.each([
    ['500', { status: 500 }, 'HTTP_500', 10_000],
    ['429', { status: 429 }, 'RATE_LIMITED', 10_000],
    ['hang', { hang: true as const }, 'TIMEOUT', 300],
  ])('fails over when the primary answers %s, skipping a deployment of another model', async (_l, step, code, timeoutMs) => {
    const { router, ledger } = buildRouter({
      deployments: [emb('primary', a, { timeoutMs }), emb('other-model', b, { modelId: 'embed-other' }), emb('backup', b)],
      routes: [route('primary', 'other-model', 'backup')],
    })
    a.script('embed-m', step)
    const r = await router.embed({ target: 'vectors', input: ['hello world'] }, T)
    expect(r).toMatchObject({ deployment: 'backup', fallbackIndex: 1 })
    expect(r.attempts).toEqual([expect.objectContaining({ deployment: 'other-model', code: 'AI_OTHER_EMBEDDING_SPACE' }), expect.objectContaining({ deployment: 'primary', code })])
    expect(b.seen.map((s) => s.model)).toEqual(['embed-m'])
    expect(ledger.rows[0]).toMatchObject({ outcome: 'ok', deploymentName: 'backup', fallbackIndex: 1, outputTokens: 0 })
  })

  it('never falls back to another model or another vector length: all failed instead', async () => {
    const { router, ledger } = buildRouter({
      deployments: [emb('primary', a), emb('other-model', b, { modelId: 'embed-other' }), emb('other-length', b, { dimensions: 16 })],
      routes: [route('primary', 'other-model', 'other-length')],
    })
    a.script('embed-m', { status: 503 })
    const err = await router.embed({ target: 'vectors', input: ['hello'] }, T).catch((e) => e)
    expect(err).toMatchObject({ code: 'AI_ALL_FAILED', status: 502 })
    expect(b.seen).toHaveLength(0)
    expect(err.details.attempts.map((x: { code: string }) => x.code).sort()).toEqual(['AI_OTHER_EMBEDDING_SPACE', 'AI_OTHER_EMBEDDING_SPACE', 'HTTP_503'])
    expect(ledger.rows[0]).toMatchObject({ outcome: 'error', errorCode: 'AI_ALL_FAILED', costPico: 0n })
  })

  it('skips a deployment whose circuit is open, within the space only', async () => {
    const now = 5_000_000
    const { router } = buildRouter({
      deployments: [emb('primary', a), emb('other-model', b, { modelId: 'embed-other' }), emb('backup', b)],
      routes: [route('primary', 'other-model', 'backup')],
      now: () => now,
      cooldownMs: 60_000,
    })
    a.script('embed-m', { status: 500 }, { status: 500 })
    await router.embed({ target: 'vectors', input: ['one'] }, T)
    await router.embed({ target: 'vectors', input: ['two'] }, T)
    expect(router.breakers.states(now)['dep-primary']).toBe('open')
    a.seen.length = 0
    const r = await router.embed({ target: 'vectors', input: ['three'] }, T)
    expect(r.deployment).toBe('backup')
    expect(r.attempts).toContainEqual({ deployment: 'primary', code: 'CIRCUIT_OPEN', error: 'circuit open' })
    expect(a.seen).toHaveLength(0)
    expect(b.seen.every((s) => s.model === 'embed-m')).toBe(true)
  })

  it('retries on the same deployment with backoff before failing over', async () => {
    const { router } = buildRouter({ deployments: [emb('primary', a, { maxRetries: 1 }), emb('backup', b)], routes: [route('primary', 'backup')] })
    a.script('embed-m', { status: 429 })
    const r = await router.embed({ target: 'vectors', input: ['x y z'] }, T)
    expect(r).toMatchObject({ deployment: 'primary', attempts: [{ deployment: 'primary', code: 'RATE_LIMITED' }] })
    expect(b.seen).toHaveLength(0)
  })

  it('hands only the unfinished batches to the next deployment and costs each at its own price', async () => {
    const { router, ledger } = buildRouter({
      deployments: [emb('primary', a), emb('backup', b, { inputPriceMicros: 130_000n })],
      routes: [route('primary', 'backup')],
    })
    const input = texts(6, 'partial') // same length each: the fake bills every input alike
    a.script('embed-m', { delayMs: 0 }, { status: 500 })
    const r = await router.embed({ target: 'vectors', input, maxBatch: 2 }, T)
    const sent = (f: FakeEmbeddings) => f.seen.reduce((n, s) => n + s.inputs, 0)
    const onA = sent(a) - 2 // one batch of two failed there
    const onB = sent(b)
    expect(onA).toBeGreaterThanOrEqual(2)
    expect(onA + onB).toBe(6)
    expect(r.embeddings).toHaveLength(6)
    const truth = a.embedder(DIM)
    r.embeddings.forEach((v, i) => expect(v[0]).toBeCloseTo(truth.embed(input[i])[0], 6))
    const each = fakeTokens([input[0]])
    const expected = BigInt(each * onA) * 20_000n + BigInt(each * onB) * 130_000n
    expect(r.costUsd).toBe(picoToUsd(expected))
    expect(r).toMatchObject({ deployment: 'backup', fallbackIndex: 1, attempts: [{ deployment: 'primary', code: 'HTTP_500' }] })
    expect(ledger.rows[0]).toMatchObject({ outcome: 'ok', inputTokens: fakeTokens(input), costPico: expected, deploymentName: 'backup' })
  })
})

describe('AiRouter.embed: dimensions', () => {
  it.each([
    ['the deployment', {}, 8, 'configured for'],
    ['the request', { expectDimensions: 8 }, 8, 'expects'],
  ])('refuses vectors of another length than %s says, naming both, and records what was billed', async (_l, extra, expected, words) => {
    const { router, ledger } = buildRouter({ deployments: [emb('primary', a), emb('backup', b)], routes: [route('primary', 'backup')] })
    a.script('embed-m', { wrongDimension: 5 })
    const err = await router.embed({ target: 'vectors', input: ['one text'], ...extra }, T).catch((e) => e)
    expect(err).toMatchObject({ code: 'AI_EMBEDDING_DIMENSION', status: 502, details: { expected, received: 5 } })
    expect(err.message).toMatch(new RegExp(`5 dimensions.*${words} ${expected}`))
    // Not a provider outage: no failover to a deployment that might quietly "fix" it.
    expect(b.seen).toHaveLength(0)
    expect(ledger.rows[0]).toMatchObject({ outcome: 'error', errorCode: 'AI_EMBEDDING_DIMENSION', inputTokens: 2 })
  })

  it('without a configured length, every vector must match the first', async () => {
    const { router } = buildRouter({ deployments: [emb('e', a, { dimensions: null })] })
    a.script('embed-m', { delayMs: 0 }, { wrongDimension: 3 })
    const err = await router.embed({ target: 'e', input: ['a', 'b'], maxBatch: 1 }, T).catch((e) => e)
    // Both requests are in flight at once: whichever answered first sets the length.
    expect(err).toMatchObject({ code: 'AI_EMBEDDING_DIMENSION', details: { source: 'first vector' } })
    expect([err.details.expected, err.details.received].sort()).toEqual([3, DIM])
  })
})

describe('AiRouter.embed: budgets, ledger, kinds, bad input', () => {
  it('estimates input tokens × input price before the call and blocks over budget without calling', async () => {
    const input = texts(40, 'budgeted')
    const tokenizer = await loadTokenizer()
    const tokens = input.reduce((n, t) => n + tokenizer.countOnce(t), 0)
    const estimate = costPico(tokens, 0, { inputPriceMicros: 20_000n, outputPriceMicros: 0n })
    const limit = '0.000010'
    const spent = 10_000_000n - estimate + 1n // one picodollar short of room
    const { router, ledger } = buildRouter({ deployments: [emb('e', a)], budgets: [{ tenantId: T.tenantId, workflowId: null, period: 'day', limitUsd: limit }], spent })
    const err = await router.embed({ target: 'e', input }, T).catch((e) => e)
    expect(err).toMatchObject({ code: 'BUDGET_EXCEEDED', status: 402, details: { estimateUsd: picoToUsd(estimate) } })
    expect(a.seen).toHaveLength(0)
    expect(ledger.rows[0]).toMatchObject({ outcome: 'budget_exceeded', target: 'e' })

    const fits = buildRouter({ deployments: [emb('e', a)], budgets: [{ tenantId: T.tenantId, workflowId: null, period: 'day', limitUsd: limit }], spent: spent - 1n })
    await expect(fits.router.embed({ target: 'e', input }, T)).resolves.toMatchObject({ embeddings: expect.any(Array) })
  })

  it('records one ledger row per call with the provider-billed tokens and the exact cost', async () => {
    const { router, ledger } = buildRouter({ deployments: [emb('e', a)] })
    const input = texts(30, 'ledger')
    const r = await router.embed({ target: 'e', input, maxBatch: 7 }, { ...T, source: 'api' })
    const expected = costPico(fakeTokens(input), 0, { inputPriceMicros: 20_000n, outputPriceMicros: 0n })
    expect(r.usage.inputTokens).toBe(fakeTokens(input))
    expect(r.costUsd).toBe(picoToUsd(expected))
    expect(ledger.rows).toHaveLength(1)
    expect(ledger.rows[0]).toMatchObject({ source: 'api', target: 'e', deploymentName: 'e', model: 'embed-m', inputTokens: fakeTokens(input), outputTokens: 0, costPico: expected, outcome: 'ok', streamed: false, executionId: 'ex-1', stepId: 'node-1' })
  })

  it('refuses a chat call to an embedding deployment and an embed call to a chat deployment', async () => {
    const { router, ledger } = buildRouter({ deployments: [emb('e', a), dep('chatty', a.v1)], routes: [{ name: 'chat-route', strategy: 'failover', deployments: ['chatty'] }] })
    await expect(router.chat({ target: 'e', messages: hi }, T)).rejects.toMatchObject({ code: 'AI_WRONG_KIND', status: 422, message: expect.stringMatching(/embedding deployment: chat calls need a chat deployment/) })
    await expect(router.embed({ target: 'chatty', input: ['x'] }, T)).rejects.toMatchObject({ code: 'AI_WRONG_KIND', message: expect.stringMatching(/chat deployment: embeddings need an embedding deployment/) })
    await expect(router.embed({ target: 'chat-route', input: ['x'] }, T)).rejects.toMatchObject({ code: 'AI_WRONG_KIND', message: expect.stringMatching(/route of chat deployments/) })
    expect(a.seen).toHaveLength(0)
    expect(ledger.rows).toHaveLength(0)
  })

  it.each([
    ['an empty text', { input: ['fine', ''] }, 'input[1]'],
    ['no text at all', { input: [] }, 'input'],
    ['too many texts', { input: Array.from({ length: 2049 }, () => 'x') }, 'input'],
    ['a bad dimensions', { input: ['x'], dimensions: 0 }, 'dimensions'],
    ['dimensions and expectDimensions that disagree', { input: ['x'], dimensions: 4, expectDimensions: 8 }, 'dimensions'],
    ['a batch size of zero', { input: ['x'], maxBatch: 0 }, 'maxBatch'],
  ])('refuses %s naming the field', async (_l, req, field) => {
    const { router } = buildRouter({ deployments: [emb('e', a)] })
    const err = await router.embed({ target: 'e', ...req }, T).catch((e) => e)
    expect(err).toMatchObject({ code: 'AI_INPUT_INVALID', status: 400 })
    expect(Object.keys(err.fields)).toEqual([field])
    expect(a.seen).toHaveLength(0)
  })

  it('refuses an input over the model context, naming input[i] and its token count', async () => {
    const { router } = buildRouter({ deployments: [emb('e', a, { contextLength: 50 })] })
    const long = 'lorem ipsum dolor sit amet '.repeat(30)
    const err = await router.embed({ target: 'e', input: ['short', long] }, T).catch((e) => e)
    expect(err).toMatchObject({ code: 'AI_INPUT_INVALID', fields: { 'input[1]': expect.stringMatching(new RegExp(`^${(await loadTokenizer()).countOnce(long)} tokens, over the 50-token context`)) } })
    expect(a.seen).toHaveLength(0)
  })

  it('does not blame the deployment when the caller aborts', async () => {
    const { router, ledger } = buildRouter({ deployments: [emb('e', a)] })
    a.script('embed-m', { hang: true })
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 50)
    await expect(router.embed({ target: 'e', input: ['x'] }, { ...T, signal: ac.signal })).rejects.toBeDefined()
    expect(ledger.rows[0]).toMatchObject({ outcome: 'error', errorCode: 'ABORTED', deploymentName: 'e' })
    expect(router.breakers.states(Date.now())['dep-e']).toBe('closed')
  })
})
