// Agent tools that are saved workflows: the agent (real engine, real sandbox, fake LLM through the real SDK)
// calls a workflow tool; the tool run is recorded as its own execution with its steps.
import { unavailableMessaging } from '../../lib/messaging/unavailable'
import { unavailableEvents } from '@/lib/nodes/publish-event/host'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox } from '../../lib/sandbox/isolate'
import { createSubWorkflowRunner } from '../../workers/runtime/sub-workflow'
import { cancellableSleep } from '../../lib/services/cancellable-sleep'
import { nodeRegistry } from '../../lib/nodes/registry'
import type { Item } from '../../lib/engine/types'
import { agent } from '../../lib/nodes/agent/definition'
import { startFakeLlm, type FakeLlm } from '../fakes/llm-server'
import { buildRouter, dep } from '../unit/ai/builders'
import { runNode } from '../unit/nodes/harness'
import { seedTenant, useTestEnv } from '../helpers/db'
import { memoryConversationStore, offlineHostServices } from '../helpers/host-services'
import { unavailableDedupeHistory } from '../../lib/nodes/remove-duplicates/history'
import { memoryFiles } from '../helpers/files'
import { createTcpGuard } from '../../lib/net/tcp-guard'

let t: Awaited<ReturnType<typeof useTestEnv>>
let fake: FakeLlm
const sandbox = createSandbox()
beforeAll(async () => {
  t = await useTestEnv()
  fake = await startFakeLlm('unused')
})
afterAll(async () => {
  sandbox.dispose()
  await fake.close()
  await t.teardown()
})

async function saveWorkflow(tenantId: string, name: string, graph: object) {
  const wf = await t.db.prisma.workflow.create({ data: { tenantId, name } })
  await t.db.prisma.workflowVersion.create({ data: { tenantId, workflowId: wf.id, number: 1, graph } })
  return wf.id
}

function runner(maxDepth = 2) {
  const http = { request: async () => { throw new Error('no network in this test') } }
  return createSubWorkflowRunner({
    prisma: t.db.prisma,
    registry: nodeRegistry,
    services: () => ({ ...offlineHostServices(), http, sandbox, sleep: cancellableSleep }),
    getCredential: async () => { throw new Error('no credentials') },
    maxDepth,
  })
}

describe('sub-workflows as agent tools', () => {
  it('runs the tool workflow, records it as a child execution, and feeds its output back to the model', async () => {
    const owner = await seedTenant(t.db.prisma)
    const toolId = await saveWorkflow(owner.tenantId, 'Shout', {
      nodes: [
        { id: 'in', type: 'manual-trigger', name: 'Input', params: {} },
        { id: 'up', type: 'set', name: 'Upper', params: { fields: [{ name: 'loud', value: '{{ $json.text.toUpperCase() }}' }] } },
      ],
      edges: [{ source: 'in', target: 'up' }],
    })
    fake.script('m', { toolCalls: [{ name: 'shout', arguments: { text: 'hi there' } }] }, { text: 'The tool said HI THERE' })
    const ai = buildRouter({ deployments: [dep('m', fake.v1)] })
    const run = runner()
    const { output } = await runNode(agent, {
      params: { model: 'm', userMessage: 'shout it', tools: [{ name: 'shout', description: 'Upper-cases text', kind: 'workflow', workflowId: toolId }] },
      items: [{}],
      // The node harness runs as tenant "tenant-1"; the tool call is made as the seeded tenant.
      services: { ai: ai.router, aiMemory: memoryConversationStore(), dedupeHistory: unavailableDedupeHistory, files: memoryFiles(), network: createTcpGuard(), events: unavailableEvents, messaging: unavailableMessaging, browser: offlineHostServices().browser, vectors: offlineHostServices().vectors, executeWorkflow: offlineHostServices().executeWorkflow, runWorkflow: (id: string, items: Item[], o: { signal: AbortSignal; parentExecutionId: string }) => run(id, items, { ...o, tenantId: owner.tenantId }) },
    })
    const item = output.main[0]
    expect(item.response).toBe('The tool said HI THERE')
    expect(item.steps).toEqual([expect.objectContaining({ tool: 'shout', result: [{ text: 'hi there', loud: 'HI THERE' }] })])
    expect(JSON.stringify(fake.seen.at(-1)!.body.messages)).toContain('HI THERE')

    const child = await t.db.prisma.execution.findFirstOrThrow({ where: { workflowId: toolId }, include: { steps: true } })
    expect(child).toMatchObject({ mode: 'subworkflow', status: 'succeeded', tenantId: owner.tenantId })
    expect(child.steps.map((s) => [s.nodeId, s.status]).sort()).toEqual([['in', 'succeeded'], ['up', 'succeeded']])
  })

  it('refuses another tenant’s workflow and stops runaway nesting', async () => {
    const a = await seedTenant(t.db.prisma)
    const b = await seedTenant(t.db.prisma)
    const other = await saveWorkflow(b.tenantId, 'Not yours', { nodes: [{ id: 'in', type: 'manual-trigger', name: 'Input', params: {} }], edges: [] })
    const run = runner()
    const signal = new AbortController().signal
    await expect(run(other, [{}], { tenantId: a.tenantId, signal, parentExecutionId: 'p' })).rejects.toThrow(/not found/)
    expect(await t.db.prisma.execution.count({ where: { workflowId: other } })).toBe(0)
    const mine = await saveWorkflow(a.tenantId, 'Mine', { nodes: [{ id: 'in', type: 'manual-trigger', name: 'Input', params: {} }], edges: [] })
    await expect(runner(0)(mine, [{}], { tenantId: a.tenantId, signal, parentExecutionId: 'p' })).rejects.toThrow(/nest deeper than 0/)
    await expect(runner(1)(mine, [{ x: 1 }], { tenantId: a.tenantId, signal, parentExecutionId: 'p' })).resolves.toEqual([{ x: 1 }])
  })
})
