import { describe, expect, it } from 'vitest'
import { backoffDelay } from '@/lib/engine/util'
import { eventsOf, graph, harness } from './builders'

describe('retries, timeouts, continueOnFail, cancellation', () => {
  it('retries a retryable error with exponential backoff through services.sleep', async () => {
    const h = harness()
    const g = graph(['t:trigger', { id: 'f', type: 'fail', params: { times: 3 }, settings: { maxAttempts: 4, backoffMs: 100, maxBackoffMs: 250 } }], ['t>f'])
    const result = await h.run(g, { random: () => 1 })
    expect(result.status).toBe('succeeded')
    expect(result.steps.f.attempts).toBe(4)
    expect(h.delays).toEqual([100, 200, 250])
    expect(eventsOf(h.events, 'f')).toEqual([
      ...['step.started', 'step.failed', 'step.retrying'],
      ...['step.started', 'step.failed', 'step.retrying'],
      ...['step.started', 'step.failed', 'step.retrying'],
      ...['step.started', 'step.succeeded'],
    ])
    expect(h.events.filter((e) => e.type === 'step.failed').map((e) => e.type === 'step.failed' && e.willRetry)).toEqual([true, true, true])
  })

  it.each([
    [0, 1, 50],
    [0.5, 1, 75],
    [1, 1, 100],
    [0, 3, 200],
    [1, 3, 400],
    [1, 10, 1000],
  ])('jittered delay with random=%s at attempt %s is %s ms (base 100, cap 1000)', (r, attempt, delay) => {
    expect(backoffDelay(attempt, 100, 1000, () => r)).toBe(delay)
  })

  it('keeps jittered delays within [d/2, d]', async () => {
    const h = harness()
    await h.run(graph(['t:trigger', { id: 'f', type: 'fail', settings: { maxAttempts: 3, backoffMs: 1000 } }], ['t>f']))
    expect(h.delays).toHaveLength(2)
    expect(h.delays[0]).toBeGreaterThanOrEqual(500)
    expect(h.delays[0]).toBeLessThanOrEqual(1000)
    expect(h.delays[1]).toBeGreaterThanOrEqual(1000)
    expect(h.delays[1]).toBeLessThanOrEqual(2000)
  })

  it('does not retry a non-retryable NodeError', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', { id: 'f', type: 'fail', params: { retryable: false }, settings: { maxAttempts: 5 } }], ['t>f']))
    expect(result.status).toBe('failed')
    expect(result.steps.f).toMatchObject({ status: 'failed', attempts: 1 })
    expect(h.delays).toEqual([])
  })

  it('retries plain errors (not NodeErrors)', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', { id: 'c', type: 'crash', settings: { maxAttempts: 2, backoffMs: 0 } }], ['t>c']))
    expect(result.steps.c.attempts).toBe(2)
    expect(result.error).toMatchObject({ name: 'TypeError', message: 'plain crash', nodeId: 'c' })
  })

  it('times out an attempt, aborts its signal and retries', async () => {
    const h = harness()
    const g = graph(['t:trigger', { id: 'w', type: 'wait-signal', settings: { timeoutMs: 20, maxAttempts: 2, backoffMs: 0 } }], ['t>w'])
    const result = await h.run(g)
    expect(result.status).toBe('failed')
    expect(result.steps.w.attempts).toBe(2)
    expect(result.error).toMatchObject({ code: 'TIMEOUT', retryable: true })
  })

  it('stops waiting for a node that ignores its signal', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', { id: 'x', type: 'hang', settings: { timeoutMs: 20 } }, 'a'], ['t>x', 'x>a']))
    expect(result).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT', nodeId: 'x' } })
  })

  it('routes the error to the error port with continueOnFail and carries on', async () => {
    const h = harness()
    const g = graph(
      ['t:trigger', { id: 'f', type: 'fail', params: { retryable: false }, settings: { continueOnFail: true } }, 'ok', 'handler'],
      ['t>f', 'f>ok', 'f.error>handler'],
    )
    const result = await h.run(g, { input: [{ a: 1 }, { a: 2 }] })
    expect(result.status).toBe('succeeded')
    expect(result.steps.f).toMatchObject({ status: 'succeeded', outputCounts: { error: 2 }, error: { code: 'BOOM' } })
    expect(result.steps.ok.status).toBe('skipped')
    expect(result.steps.handler.outputCounts).toEqual({ main: 2 })
    const out = h.events.find((e) => e.type === 'step.succeeded' && e.nodeId === 'handler')
    expect(out).toMatchObject({ output: { main: [{ a: 1, error: { message: 'boom 1', code: 'BOOM' } }, { a: 2, error: { code: 'BOOM' } }] } })
    expect(eventsOf(h.events, 'f')).toEqual(['step.started', 'step.succeeded'])
  })

  it('with continueOnFail and no failure the error branch is skipped', async () => {
    const result = await harness().run(graph(['t:trigger', { id: 'a', type: 'pass', settings: { continueOnFail: true } }, 'h'], ['t>a', 'a.error>h']))
    expect(result.steps.h.status).toBe('skipped')
  })

  it('cancels: running nodes see their signal abort, the run ends canceled', async () => {
    const h = harness()
    const ctl = new AbortController()
    const run = h.run(graph(['t:trigger', 'w:wait-signal', 'after'], ['t>w', 'w>after']), { signal: ctl.signal })
    await h.probe.whenStarted('w')
    ctl.abort()
    const result = await run
    expect(result.status).toBe('canceled')
    expect(result.steps.w.status).toBe('canceled')
    expect(result.steps.after.status).toBe('pending')
    expect(h.events.find((e) => e.type === 'step.failed')).toMatchObject({ error: { code: 'CANCELED' }, willRetry: false })
    expect(h.events.at(-1)).toMatchObject({ type: 'execution.finished', status: 'canceled' })
  })

  it('cancels a node that ignores its signal without waiting for it', async () => {
    const h = harness()
    const ctl = new AbortController()
    const run = h.run(graph(['t:trigger', 'x:hang'], ['t>x']), { signal: ctl.signal })
    await h.probe.whenStarted('x')
    ctl.abort()
    expect((await run).status).toBe('canceled')
  })

  it('cancels during a backoff sleep', async () => {
    const h = harness()
    const ctl = new AbortController()
    const result = await h.run(graph(['t:trigger', { id: 'f', type: 'fail', settings: { maxAttempts: 3 } }], ['t>f']), {
      signal: ctl.signal,
      services: {
        http: { request: async () => Promise.reject(new Error('no')) },
        sandbox: { evaluateExpression: async () => 0, runCode: async () => 0 },
        sleep: async (_ms, signal) => {
          ctl.abort()
          if (signal.aborted) throw signal.reason
        },
      },
    })
    expect(result.status).toBe('canceled')
    expect(result.steps.f.attempts).toBe(1)
  })

  it('is canceled before starting when the signal is already aborted', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', 'a'], ['t>a']), { signal: AbortSignal.abort() })
    expect(result.status).toBe('canceled')
    expect(h.probe.order).toEqual([])
  })

  it('treats settings given as undefined as missing (defaults apply)', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', { id: 'a', type: 'pass', settings: { timeoutMs: undefined, maxAttempts: undefined } }], ['t>a']))
    expect(result.status).toBe('succeeded')
  })
})
