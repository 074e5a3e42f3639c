import { describe, expect, it } from 'vitest'
import { createRegistry } from '@/lib/engine/registry'
import { runWorkflow } from '@/lib/engine/run'
import { NodeError, type NodeServices } from '@/lib/engine/types'
import { Probe, def, graph, testDefinitions } from './builders'

function setup(beforeSideEffect: NodeServices['beforeSideEffect'], maxAttempts = 1) {
  const ran: string[] = []
  let failFirst = maxAttempts > 1
  const registry = createRegistry([
    ...testDefinitions(new Probe()),
    def('effect', async (ctx) => {
      ran.push(ctx.node.id)
      if (failFirst) {
        failFirst = false
        throw new NodeError('flaky', { retryable: true })
      }
      return { main: ctx.items }
    }, { sideEffects: true }),
    def('pure', async (ctx) => {
      ran.push(ctx.node.id)
      return { main: ctx.items }
    }),
  ])
  const g = graph(['t:trigger', { id: 'e', type: 'effect', settings: { maxAttempts, backoffMs: 0 } }, 'p:pure'], ['t>e', 'e>p'])
  const run = () =>
    runWorkflow({
      graph: g, registry, executionId: 'ex1', workflowId: 'wf1', tenantId: 't1', input: [{ n: 1 }],
      services: { http: { request: () => Promise.reject(new Error('no http')) }, sandbox: undefined as never, sleep: async () => {}, beforeSideEffect },
      getCredential: () => Promise.reject(new Error('none')),
    })
  return { ran, run }
}

describe('steps with side effects', () => {
  it('asks the host before each attempt of a node that declares side effects, and only for those', async () => {
    const asked: { nodeId: string; attempt: number }[] = []
    const { ran, run } = setup(async (step) => void asked.push(step), 2)
    expect((await run()).status).toBe('succeeded')
    expect(asked).toEqual([{ nodeId: 'e', attempt: 1 }, { nodeId: 'e', attempt: 2 }])
    expect(ran).toEqual(['e', 'e', 'p'])
  })

  it('does not run the step when the host refuses', async () => {
    const { ran, run } = setup(async () => {
      throw new NodeError('lease lost')
    })
    const result = await run()
    expect(result.status).toBe('failed')
    expect(result.steps.e.error?.message).toBe('lease lost')
    expect(ran).toEqual([])
  })
})
