// Per-run caps: a fan-in that multiplies items is stopped by maxItemsPerStep, a run that goes on too long by
// maxRunMs; both fail with an error naming the cap and the setting, and continueOnFail does not swallow them.
import { describe, expect, it } from 'vitest'
import { DEFAULT_RUN_LIMITS } from '@/lib/engine/limits'
import type { EngineEvent } from '@/lib/engine/types'
import { graph, harness, type NodeSpec } from './builders'

/** trigger → m0; each layer i: a_i and b_i both read m_(i-1), m_i reads both: items double per layer. */
function doublingGraph(layers: number, extra: Partial<NodeSpec> = {}) {
  const nodes: NodeSpec[] = [{ id: 't', type: 'trigger' }, { id: 'm0', type: 'pass' }]
  const edges = ['t>m0']
  for (let i = 1; i <= layers; i++) {
    nodes.push({ id: `a${i}`, type: 'pass' }, { id: `b${i}`, type: 'pass' }, { id: `m${i}`, type: 'pass', ...extra })
    edges.push(`m${i - 1}>a${i}`, `m${i - 1}>b${i}`, `a${i}>m${i}`, `b${i}>m${i}`)
  }
  return graph(nodes, edges)
}

const tenItems = Array.from({ length: 10 }, (_, n) => ({ n }))
const failedStep = (events: EngineEvent[]) => events.find((e): e is Extract<EngineEvent, { type: 'step.failed' }> => e.type === 'step.failed')

describe('run limits', () => {
  it('defaults leave room for the 1,000,000-item runs and stop a run after an hour', () => {
    expect(DEFAULT_RUN_LIMITS).toEqual({ maxItemsPerStep: 5_000_000, maxRunMs: 3_600_000, maxLoopIterations: 10_000 })
  })

  it('a fan-in graph that doubles items per layer is stopped at the first step over maxItemsPerStep', async () => {
    const h = harness()
    // 10 → 20 → 40 → 80 → 160: layer 4's merge step is the first over 100.
    const result = await h.run(doublingGraph(6, { type: 'pass-batch' }), { input: tenItems, limits: { maxItemsPerStep: 100 } })
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ code: 'RUN_LIMIT_ITEMS', nodeId: 'm4', retryable: false, details: { limit: 100, setting: 'AUTERITY_MAX_ITEMS_PER_STEP' } })
    expect(result.error?.message).toMatch(/Step "m4" produced more than 100 items.*maxItemsPerStep.*AUTERITY_MAX_ITEMS_PER_STEP/)
    expect(result.steps.m3).toMatchObject({ status: 'succeeded', outputCounts: { main: 80 } })
    expect(h.probe.order).not.toContain('a5')
  })

  it('a step that reads all its input at once is refused before the fan-in is loaded', async () => {
    const h = harness()
    const result = await h.run(doublingGraph(6), { input: tenItems, limits: { maxItemsPerStep: 100 } })
    expect(result.error).toMatchObject({ code: 'RUN_LIMIT_ITEMS', nodeId: 'm4', message: expect.stringMatching(/Step "m4" would receive more than 100 items/) })
    expect(h.probe.order).not.toContain('m4')
    expect(h.probe.maxItems).toBeLessThanOrEqual(100)
  })

  it('continueOnFail does not turn the items cap into error items', async () => {
    const h = harness()
    const result = await h.run(doublingGraph(5, { type: 'pass-batch', settings: { continueOnFail: true, maxAttempts: 3, backoffMs: 0 } }), { input: tenItems, limits: { maxItemsPerStep: 100 } })
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ code: 'RUN_LIMIT_ITEMS', nodeId: 'm4' })
    expect(result.steps.m4).toMatchObject({ status: 'failed', attempts: 1 })
    expect(h.events.some((e) => e.type === 'step.retrying')).toBe(false)
  })

  it('a trigger input over the cap fails the trigger step', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', 'p:pass'], ['t>p']), { input: tenItems, limits: { maxItemsPerStep: 5 } })
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ code: 'RUN_LIMIT_ITEMS', nodeId: 't' })
  })

  it('a run longer than maxRunMs fails, and so does the step that was running', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', 'w:wait-signal', 'after:pass'], ['t>w', 'w>after']), { limits: { maxRunMs: 50 } })
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ code: 'RUN_LIMIT_TIME', retryable: false, details: { limitMs: 50, setting: 'AUTERITY_MAX_RUN_MS' } })
    expect(result.error?.message).toMatch(/longer than 50 ms.*maxRunMs.*AUTERITY_MAX_RUN_MS/)
    expect(result.steps.w).toMatchObject({ status: 'failed', error: { code: 'RUN_LIMIT_TIME' } })
    expect(failedStep(h.events)).toMatchObject({ nodeId: 'w', willRetry: false, error: { code: 'RUN_LIMIT_TIME' } })
    expect(h.probe.order).not.toContain('after')
  })

  it('counts run time from startedAt, so a resumed run does not get a fresh hour', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', 'w:wait-signal'], ['t>w']), { limits: { maxRunMs: 1_000, startedAt: Date.now() - 5_000 } })
    expect(result).toMatchObject({ status: 'failed', error: { code: 'RUN_LIMIT_TIME' } })
  })

  it('maxRunMs 0 means no time limit', async () => {
    const h = harness()
    expect((await h.run(graph(['t:trigger', 'p:pass'], ['t>p']), { limits: { maxRunMs: 0 } })).status).toBe('succeeded')
  })
})
