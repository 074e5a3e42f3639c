// An Agent step inside a real run on the worker: each tool call is recorded as a step row of its own,
// next to the agent's step, with its arguments as input and its result as output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prismaDedupeHistory } from '../../../lib/services/dedupe-history'
import { closeAppServices } from '../../../lib/services/app'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import type { FakeLlm } from '../../fakes/llm-server'
import { useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node, waitForStatus } from '../backbone/support'
import { startAiTenant } from './setup'
import { memoryFiles } from '../../helpers/files'
import { startTestWorker } from '../../helpers/worker'

let t: Awaited<ReturnType<typeof useTestEnv>>
let bed: Awaited<ReturnType<typeof startAiTenant>>
let fake: FakeLlm
let owner: SeededTenant
let worker: RunningWorker

beforeAll(async () => {
  t = await useTestEnv()
  bed = await startAiTenant(t.db.prisma)
  ;({ fake, owner } = bed)
  worker = await startTestWorker(t, { services: { ...bed.services, dedupeHistory: prismaDedupeHistory(t.db.prisma), files: memoryFiles() } })
})
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await bed?.close()
  await t?.teardown()
})

describe('Agent on the worker', () => {
  it('records every tool call as a step', async () => {
    fake.script(
      'gpt-fake',
      { toolCalls: [{ name: 'tag', arguments: { text: 'hi' } }, { name: 'nope', arguments: {} }] },
      { text: 'tagged' },
    )
    const agentNode = {
      id: 'agent',
      type: 'agent',
      name: 'Agent',
      params: {
        model: 'backup',
        userMessage: 'tag it',
        tools: [{ name: 'tag', description: 'Adds a tag', kind: 'node', nodeType: 'set', params: { fields: [{ name: 'tag', value: 'done' }] } }],
      },
    }
    const created = await call(workflows.POST, { method: 'POST', headers: owner.headers, body: { name: 'Agent flow', graph: chain(node.manual(), agentNode) } })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    const started = await call(run.POST, { method: 'POST', headers: owner.headers, params: { id: created.json.id }, body: {} })
    const executionId = started.json.executionId as string
    const done = await waitForStatus(t.db.prisma, executionId, ['succeeded', 'failed'])
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded')

    const steps = await t.db.prisma.stepRun.findMany({ where: { executionId }, orderBy: { nodeId: 'asc' } })
    expect(steps.map((s) => [s.nodeId, s.nodeType, s.status])).toEqual([
      ['agent', 'agent', 'succeeded'],
      ['agent/tool-1', 'agent-tool', 'succeeded'],
      ['agent/tool-2', 'agent-tool', 'failed'],
      ['trigger', 'manual-trigger', 'succeeded'],
    ])
    const [, tag, nope] = steps
    expect(tag).toMatchObject({ nodeName: 'Agent › tag', input: [{ text: 'hi' }], output: { main: [{ text: 'hi', tag: 'done' }] } })
    expect(nope.error).toMatchObject({ message: 'unknown tool nope' })
  })
})
