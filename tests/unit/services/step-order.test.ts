import { describe, expect, it } from 'vitest'
import { flowRank, inRunOrder } from '@/lib/services/step-order'

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms)
const step = (nodeId: string, ms: number, extra: { attempt?: number; iteration?: number | null } = {}) => ({ nodeId, startedAt: at(ms), attempt: extra.attempt ?? 1, iteration: extra.iteration ?? null })
const ids = (steps: Array<{ nodeId: string; attempt: number }>) => steps.map((s) => `${s.nodeId}#${s.attempt}`)

describe('flowRank', () => {
  it('ranks a flow upstream first, whatever the order nodes are listed in', () => {
    const rank = flowRank(['d', 'c', 'b', 'a'], [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }, { source: 'a', target: 'd' }, { source: 'c', target: 'd' }])
    expect([...rank.entries()].sort((x, y) => x[1] - y[1]).map(([id]) => id)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('ranks every node of a graph with a loop (a cycle) once, entering the loop where it starts', () => {
    const rank = flowRank(['t', 'loop', 'body', 'after'], [
      { source: 't', target: 'loop' }, { source: 'loop', target: 'body' }, { source: 'body', target: 'loop' }, { source: 'loop', target: 'after' },
    ])
    expect([...rank.entries()].sort((x, y) => x[1] - y[1]).map(([id]) => id)).toEqual(['t', 'loop', 'body', 'after'])
  })
})

describe('inRunOrder', () => {
  const rank = flowRank(['z', 'y', 'x'], [{ source: 'z', target: 'y' }, { source: 'y', target: 'x' }])

  it('orders by start time first', () => {
    expect(ids(inRunOrder([step('z', 30), step('x', 10), step('y', 20)], rank))).toEqual(['x#1', 'y#1', 'z#1'])
  })

  it('breaks ties of the same millisecond by the flow, not by node id or the order rows were written', () => {
    expect(ids(inRunOrder([step('x', 0), step('y', 0), step('z', 0)], rank))).toEqual(['z#1', 'y#1', 'x#1'])
  })

  it.each([
    ['attempts of one node', [step('y', 0, { attempt: 2 }), step('y', 0, { attempt: 1 })], ['y#1', 'y#2']],
    ['loop iterations of one node', [step('y', 0, { iteration: 2, attempt: 1 }), step('y', 0, { iteration: 1, attempt: 2 })], ['y#2', 'y#1']],
    ['a node the version no longer has, after those it has', [step('gone', 0), step('x', 0)], ['x#1', 'gone#1']],
    ['a step not started yet, last', [{ nodeId: 'z', startedAt: null, attempt: 1, iteration: null }, step('x', 50)], ['x#1', 'z#1']],
  ])('%s', (_, steps, expected) => {
    expect(ids(inRunOrder(steps, rank))).toEqual(expected)
  })
})
