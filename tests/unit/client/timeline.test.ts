import { describe, expect, it } from 'vitest'
import { canRetryFromFailed, layoutTimeline } from '@/lib/client/timeline'
import type { StepRecord } from '@/lib/client/types'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const at = (ms: number) => new Date(T0 + ms).toISOString()

function step(nodeId: string, attempt: number, status: StepRecord['status'], from: number | null, to: number | null): StepRecord {
  return {
    id: `${nodeId}-${attempt}`,
    nodeId,
    nodeName: nodeId.toUpperCase(),
    nodeType: 'set',
    attempt,
    iteration: null,
    status,
    input: [],
    inputCount: 1,
    output: null,
    outputCounts: { main: 1 },
    error: null,
    startedAt: from === null ? null : at(from),
    finishedAt: to === null ? null : at(to),
    durationMs: from !== null && to !== null ? to - from : null,
  }
}

describe('layoutTimeline', () => {
  it('puts one row per node in start order and one bar per attempt', () => {
    const steps = [step('b', 1, 'failed', 100, 300), step('a', 1, 'succeeded', 0, 100), step('b', 2, 'succeeded', 500, 1000)]
    const t = layoutTimeline(steps, { createdAt: at(0), startedAt: at(0), finishedAt: at(1000) })
    expect(t.spanMs).toBe(1000)
    expect(t.rows.map((r) => [r.nodeId, r.attempts, r.status])).toEqual([
      ['a', 1, 'succeeded'],
      ['b', 2, 'succeeded'],
    ])
    expect(t.rows[1].bars.map((b) => [b.attempt, b.leftPct, b.widthPct])).toEqual([
      [1, 10, 20],
      [2, 50, 50],
    ])
  })

  it('stretches running steps to now and gives instant steps a visible width', () => {
    const steps = [step('a', 1, 'succeeded', 0, 0), step('b', 1, 'running', 200, null)]
    const t = layoutTimeline(steps, { createdAt: at(0), startedAt: at(0), finishedAt: null }, T0 + 400)
    expect(t.spanMs).toBe(400)
    expect(t.rows[0].bars[0].widthPct).toBeCloseTo(0.6)
    expect(t.rows[1].bars[0]).toMatchObject({ leftPct: 50, widthPct: 50 })
  })

  it('starts the chart at the first step, not at the queued execution', () => {
    const t = layoutTimeline([step('a', 1, 'succeeded', 500, 1000)], { createdAt: at(0), startedAt: at(0), finishedAt: at(1000) })
    expect(t.spanMs).toBe(500)
    expect(t.rows[0].bars[0]).toMatchObject({ leftPct: 0, widthPct: 100 })
  })

  it('draws steps reused by a re-run from the failed step at the start, off this run\'s time axis', () => {
    // The earlier run's trigger and first step (copied rows keep their times), then this run's retry of the step that failed.
    const steps = [step('t', 1, 'succeeded', -60_000, -59_990), step('a', 1, 'succeeded', -59_990, -59_900), step('b', 1, 'succeeded', 200, 700)]
    const t = layoutTimeline(steps, { createdAt: at(0), startedAt: at(100), finishedAt: at(700) })
    expect(t.spanMs).toBe(500) // this run's own span, not a minute back to the earlier run
    expect(t.rows.map((r) => [r.nodeId, r.bars[0].reused])).toEqual([
      ['t', true],
      ['a', true],
      ['b', false],
    ])
    expect(t.rows[0].bars[0]).toMatchObject({ leftPct: 0, durationMs: 10 })
    expect(t.rows[2].bars[0]).toMatchObject({ leftPct: 0, widthPct: 100 })
  })

  it('lays out an execution with no steps yet', () => {
    const t = layoutTimeline([], { createdAt: at(0), startedAt: null, finishedAt: null }, T0 + 50)
    expect(t.rows).toEqual([])
    expect(t.spanMs).toBe(50)
  })
})

describe('canRetryFromFailed', () => {
  it.each([
    [{ status: 'failed', steps: [{ status: 'succeeded' }, { status: 'failed' }] }, true],
    [{ status: 'failed', steps: [] }, false],
    [{ status: 'succeeded', steps: [{ status: 'failed' }] }, false],
    [{ status: 'canceled' }, false],
  ])('%j → %s', (execution, expected) => {
    expect(canRetryFromFailed(execution)).toBe(expected)
  })
})
