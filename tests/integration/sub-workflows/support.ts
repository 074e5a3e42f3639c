// Fixtures for the sub-workflow and error-workflow tests: workflows saved and run through the route handlers, a real
// worker (startTestWorker) with a small nesting cap, graph builders for the nodes these tests use.
import { afterAll, beforeAll, expect } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { startTestWorker } from '../../helpers/worker'
import { call, chain, node, waitFor, waitForStatus, type NodeSpec } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as workflow from '../../../app/api/workflows/[id]/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as publish from '../../../app/api/workflows/[id]/publish/route'
import * as execution from '../../../app/api/executions/[id]/route'
import { closeAppServices } from '../../../lib/services/app'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'
import type { Item } from '../../../lib/engine/types'

export const MAX_DEPTH = 3
export const STUDIO = 'https://studio.test'

export function useSubWorkflowEnv() {
  const ctx = {} as { t: Awaited<ReturnType<typeof useTestEnv>>; a: SeededTenant; worker: RunningWorker }
  beforeAll(async () => {
    ctx.t = await useTestEnv()
    ctx.a = await seedTenant(ctx.t.db.prisma)
    ctx.worker = await startTestWorker(ctx.t, { subWorkflows: { maxDepth: MAX_DEPTH, studioUrl: STUDIO } })
  })
  afterAll(async () => {
    await ctx.worker?.close()
    await closeAppServices()
    await ctx.t?.teardown()
  })
  return ctx
}

export const sub = {
  trigger: (params: Record<string, unknown> = {}, id = 'in'): NodeSpec => ({ id, type: 'execute-workflow-trigger', name: 'When called', params }),
  errorTrigger: (id = 'err'): NodeSpec => ({ id, type: 'error-trigger', name: 'On error', params: {} }),
  call: (id: string, params: Record<string, unknown>): NodeSpec => ({ id, type: 'execute-workflow', name: `Call ${id}`, params: { version: 'current', ...params } }),
  stop: (id = 'stop', message = 'Broken on purpose'): NodeSpec => ({ id, type: 'stop-and-error', name: 'Stop', params: { message } }),
}
export { chain, node }

export async function createWorkflow(headers: Record<string, string>, name: string, graph: unknown): Promise<string> {
  const res = await call(workflows.POST, { method: 'POST', headers, body: { name, graph } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

/** Saves a new version (or only settings): the PUT's answer. */
export async function updateWorkflow(headers: Record<string, string>, id: string, body: Record<string, unknown>) {
  const current = await call(workflow.GET, { headers, params: { id } })
  return call(workflow.PUT, { method: 'PUT', headers, params: { id }, body: { baseVersion: current.json.currentVersion, ...body } })
}

export async function publishWorkflow(headers: Record<string, string>, id: string) {
  const res = await call(publish.POST, { method: 'POST', headers, params: { id }, body: {} })
  expect(res.status, JSON.stringify(res.json)).toBe(200)
}

export async function runWorkflow(headers: Record<string, string>, id: string, input: Item[] = [{}]): Promise<string> {
  const res = await call(run.POST, { method: 'POST', headers, params: { id }, body: { input } })
  expect(res.status, JSON.stringify(res.json)).toBe(202)
  return res.json.executionId as string
}

export async function getExecution(headers: Record<string, string>, id: string) {
  const res = await call(execution.GET, { headers, params: { id } })
  expect(res.status, JSON.stringify(res.json)).toBe(200)
  return res.json
}

export { waitFor, waitForStatus }
