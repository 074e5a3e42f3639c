// An LLM Chat step inside a real workflow run: expressions resolved in the sandbox, tokens streamed as
// step.progress events, the answer flowing to the next step, and the ledger row naming execution and step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../../lib/engine/types'
import { runWorkflow } from '../../../lib/engine/run'
import { nodeRegistry } from '../../../lib/nodes/registry'
import { createSandbox } from '../../../lib/sandbox/isolate'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { buildRouter, dep } from './builders'
import { offlineHostServices } from '../../helpers/host-services'

let fake: FakeLlm
const sandbox = createSandbox()
beforeAll(async () => {
  fake = await startFakeLlm()
})
afterAll(async () => {
  await fake.close()
  await (sandbox as { dispose?: () => Promise<void> | void }).dispose?.()
})

describe('LLM Chat in a workflow run', () => {
  it('resolves expressions, streams tokens as progress and records the step on the ledger', async () => {
    const { router, ledger } = buildRouter({ deployments: [dep('m', fake.v1)] })
    fake.script('m', { text: 'Oslo is cold', usage: { input: 12, output: 3 } })
    const events: EngineEvent[] = []
    const result = await runWorkflow({
      graph: {
        nodes: [
          { id: 'start', type: 'manual-trigger', typeVersion: 1, name: 'Start', params: {}, settings: {}, position: { x: 0, y: 0 } },
          { id: 'ask', type: 'llm-chat', typeVersion: 1, name: 'Ask', params: { model: 'm', userMessage: 'Weather in {{ $json.city }}?' }, settings: {}, position: { x: 200, y: 0 } },
        ],
        edges: [{ source: 'start', sourcePort: 'main', target: 'ask', targetPort: 'main' }],
        notes: [],
      },
      registry: nodeRegistry,
      executionId: 'ex-9',
      workflowId: 'wf-9',
      tenantId: 'tenant-1',
      input: [{ city: 'Oslo' }],
      services: { ...offlineHostServices(), ai: router, http: { request: () => Promise.reject(new Error('no http')) }, sandbox, sleep: async () => {} },
      getCredential: () => Promise.reject(new Error('no credentials')),
      onEvent: (e) => void events.push(e),
    })
    expect(result.status).toBe('succeeded')
    expect(fake.seen.at(-1)!.body.messages).toEqual([{ role: 'user', content: 'Weather in Oslo?' }])
    const tokens = events.filter((e) => e.type === 'step.progress' && e.event === 'llm.token').map((e) => (e as { data: { delta: string } }).data.delta)
    expect(tokens.join('')).toBe('Oslo is cold')
    const done = events.find((e) => e.type === 'step.succeeded' && e.nodeId === 'ask') as Extract<EngineEvent, { type: 'step.succeeded' }>
    expect(done.output.main[0]).toMatchObject({ city: 'Oslo', response: 'Oslo is cold', ai: { inputTokens: 12, outputTokens: 3 } })
    expect(ledger.rows.at(-1)).toMatchObject({ executionId: 'ex-9', workflowId: 'wf-9', stepId: 'ask', outcome: 'ok' })
  })
})
