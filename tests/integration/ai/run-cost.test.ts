// AI cost per run and per node, from the usage ledger, in the executions list and detail: a real run on the worker
// with two LLM steps against the fake LLM (priced deployments: $0.15 / $0.60 per 1M tokens in / out) sums both
// steps exactly; a run without AI shows none; another workspace's ledger rows never count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prismaDedupeHistory } from '../../../lib/services/dedupe-history'
import { closeAppServices } from '../../../lib/services/app'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as executions from '../../../app/api/executions/route'
import * as execution from '../../../app/api/executions/[id]/route'
import type { FakeLlm } from '../../fakes/llm-server'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
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

const llm = (id: string, prompt: string) => ({ id, type: 'llm-chat', name: id, params: { model: 'backup', userMessage: prompt, stream: false } })

async function runToEnd(name: string, graph: unknown): Promise<string> {
  const created = await call(workflows.POST, { method: 'POST', headers: owner.headers, body: { name, graph } })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  const started = await call(run.POST, { method: 'POST', headers: owner.headers, params: { id: created.json.id }, body: {} })
  const executionId = started.json.executionId as string
  const done = await waitForStatus(t.db.prisma, executionId, ['succeeded', 'failed'])
  expect(done.status, JSON.stringify(done.error)).toBe('succeeded')
  // The ledger writes in batches shortly after each call: flush what the run's steps recorded.
  await bed.services.ai.ledger.flush()
  return executionId
}

describe('AI cost per run', () => {
  it('sums two LLM steps in the list and the detail, per node in the detail; a run without AI has none', async () => {
    // 1000 in + 500 out at $0.15/$0.60 per 1M = $0.00045; 2000 in + 1000 out = $0.0009; together $0.00135.
    fake.script('gpt-fake', { text: 'first', usage: { input: 1000, output: 500 } }, { text: 'second', usage: { input: 2000, output: 1000 } })
    const withAi = await runToEnd('Two LLM steps', chain(node.manual(), llm('ask', 'one'), llm('again', 'two')))
    const withoutAi = await runToEnd('No AI', chain(node.manual(), node.set('x', { n: 1 })))

    const detail = await call(execution.GET, { headers: owner.headers, params: { id: withAi } })
    expect(detail.status).toBe(200)
    expect(detail.json.aiCostUsd).toBe('0.001350000000')
    expect(detail.json.aiCostByNode).toEqual({ ask: '0.000450000000', again: '0.000900000000' })

    const plain = await call(execution.GET, { headers: owner.headers, params: { id: withoutAi } })
    expect(plain.json).toMatchObject({ aiCostUsd: null, aiCostByNode: {} })

    const list = await call(executions.GET, { url: '/api/executions?limit=10', headers: owner.headers })
    const cost = Object.fromEntries((list.json.executions as { id: string; aiCostUsd: string | null }[]).map((e) => [e.id, e.aiCostUsd]))
    expect(cost).toMatchObject({ [withAi]: '0.001350000000', [withoutAi]: null })
  })

  it("counts only the workspace's own ledger rows", async () => {
    const [latest] = (await call(executions.GET, { url: '/api/executions?limit=1', headers: owner.headers })).json.executions
    const other = await seedTenant(t.db.prisma, { name: 'Other' })
    // A row naming this run's id from another workspace (ids are not secrets) must not add to its cost.
    await t.db.prisma.aiUsage.create({ data: { tenantId: other.tenantId, executionId: latest.id, stepId: 'x', target: 't', costUsd: '5', latencyMs: 1, outcome: 'ok' } })
    const detail = await call(execution.GET, { headers: owner.headers, params: { id: latest.id } })
    expect(detail.json.aiCostByNode).not.toHaveProperty('x')
    const list = await call(executions.GET, { url: '/api/executions?limit=1', headers: owner.headers })
    expect(list.json.executions[0].aiCostUsd).toBe(latest.aiCostUsd)
  })
})
