import { describe, expect, it } from 'vitest'
import { executionLoaded, executionUpdated, makeStore, nodeRunView, runStarted, stepUpdated } from '@/lib/store'
import type { StepUpdatedEvent } from '@/lib/realtime/events'

const step = (over: Partial<StepUpdatedEvent>): StepUpdatedEvent => ({
  executionId: 'e1', workflowId: 'w', nodeId: 'a', nodeName: 'A', attempt: 1, maxAttempts: 1, status: 'running',
  startedAt: null, finishedAt: null, durationMs: null, inputCount: 0, outputCounts: {}, error: null, ...over,
})

describe('run state', () => {
  it('shows queued nodes until they start, then their step state', () => {
    const store = makeStore()
    store.dispatch(runStarted({ executionId: 'e1' }))
    expect(nodeRunView(store.getState().run.status, store.getState().run.steps.a)?.status).toBe('queued')
    store.dispatch(stepUpdated(step({ status: 'succeeded', durationMs: 12, outputCounts: { main: 3 } })))
    expect(nodeRunView(store.getState().run.status, store.getState().run.steps.a)).toMatchObject({ status: 'succeeded', durationMs: 12 })
  })

  it.each([
    [step({ status: 'retrying', attempt: 1, maxAttempts: 3 }), 'retrying 2/3'],
    [step({ status: 'failed' }), 'failed'],
    [step({ status: 'skipped' }), 'skipped'],
    [step({ status: 'running', attempt: 7, iteration: 3 }), 'running · iteration 3'],
    [step({ status: 'succeeded', attempt: 4, iteration: 4 }), 'succeeded · 4 iterations'],
    [step({ status: 'succeeded', attempt: 1, iteration: 1 }), 'succeeded · 1 iteration'],
  ])('labels %#', (ev, label) => {
    const store = makeStore()
    store.dispatch(runStarted({ executionId: 'e1' }))
    store.dispatch(stepUpdated(ev))
    expect(nodeRunView(store.getState().run.status, store.getState().run.steps.a)?.label).toBe(label)
  })

  it('ignores events from other executions', () => {
    const store = makeStore()
    store.dispatch(runStarted({ executionId: 'e1' }))
    store.dispatch(stepUpdated(step({ executionId: 'other' })))
    store.dispatch(executionUpdated({ executionId: 'other', status: 'failed', error: null }))
    expect(store.getState().run.steps).toEqual({})
    expect(store.getState().run.status).toBe('queued')
  })

  it('loads a finished execution, last attempt winning, no queued nodes', () => {
    const store = makeStore()
    store.dispatch(executionLoaded({ executionId: 'e2', status: 'succeeded', steps: [
      { nodeId: 'a', attempt: 2, status: 'succeeded', outputCounts: { main: 1 } },
      { nodeId: 'a', attempt: 1, status: 'failed' },
    ] }))
    expect(store.getState().run.steps.a.status).toBe('succeeded')
    expect(nodeRunView(store.getState().run.status, store.getState().run.steps.zz)).toBeNull()
  })

  it('loads a loop body step as its last iteration, and keeps the iteration through a retry notice', () => {
    const store = makeStore()
    store.dispatch(executionLoaded({ executionId: 'e2', status: 'succeeded', steps: [
      { nodeId: 'a', attempt: 1, iteration: 1, status: 'succeeded', outputCounts: { main: 3 } },
      { nodeId: 'a', attempt: 2, iteration: 2, status: 'succeeded', outputCounts: { main: 1 } },
    ] }))
    expect(store.getState().run.steps.a).toMatchObject({ iteration: 2, outputCounts: { main: 1 } })
    store.dispatch(runStarted({ executionId: 'e1' }))
    store.dispatch(stepUpdated(step({ status: 'running', attempt: 5, iteration: 3 })))
    store.dispatch(stepUpdated(step({ status: 'retrying', attempt: 5 })))
    expect(nodeRunView(store.getState().run.status, store.getState().run.steps.a)?.label).toBe('retrying · iteration 3')
  })
})
