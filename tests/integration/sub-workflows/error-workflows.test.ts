// Error workflows with a real worker: settings.errorWorkflowId validated on save (no new version), the error workflow
// started with the failed run's data on failure only, linked to the failed run, never looping, and a deleted one
// logged instead of failing anything.
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import * as workflow from '../../../app/api/workflows/[id]/route'
import * as activate from '../../../app/api/workflows/[id]/activate/route'
import * as retry from '../../../app/api/executions/[id]/retry/route'
import { call } from '../backbone/support'
import { tapStdout } from '../../helpers/logs'
import { STUDIO, chain, createWorkflow, getExecution, node, publishWorkflow, runWorkflow, sub, updateWorkflow, useSubWorkflowEnv, waitFor, waitForStatus } from './support'

const env = useSubWorkflowEnv()
const h = () => env.a.headers
const prisma = () => env.t.db.prisma
const errorRuns = (parentExecutionId: string) => prisma().execution.findMany({ where: { parentExecutionId, mode: 'error' } })
const settle = () => new Promise((r) => setTimeout(r, 600))

afterEach(() => vi.restoreAllMocks())

async function errorWorkflow(name = 'Alerts', ...after: ReturnType<typeof node.set>[]) {
  return createWorkflow(h(), name, chain(sub.errorTrigger(), ...(after.length ? after : [node.set('note', { noted: true })])))
}

async function withErrorWorkflow(name: string, graph: unknown, errorWorkflowId: string) {
  const id = await createWorkflow(h(), name, graph)
  const res = await updateWorkflow(h(), id, { settings: { errorWorkflowId } })
  expect(res.status, JSON.stringify(res.json)).toBe(200)
  return id
}

describe('workflow settings', () => {
  it('stores errorWorkflowId without a new version, and refuses what cannot be an error workflow (400 naming the field)', async () => {
    const alerts = await errorWorkflow()
    const plain = await createWorkflow(h(), 'Plain', chain(node.manual(), node.set('s', { x: 1 })))
    const wf = await createWorkflow(h(), 'Orders', chain(node.manual(), node.set('s', { x: 1 })))
    const { seedTenant } = await import('../../helpers/db')
    const other = await seedTenant(prisma())
    const theirs = await createWorkflow(other.headers, 'Their alerts', chain(sub.errorTrigger(), node.set('s', { x: 1 })))

    for (const [errorWorkflowId, message] of [
      ['nope', 'workflow nope not found in this workspace'],
      [theirs, `workflow ${theirs} not found in this workspace`],
      [plain, 'workflow "Plain" has no Error Trigger node'],
    ]) {
      const res = await updateWorkflow(h(), wf, { settings: { errorWorkflowId } })
      expect(res.status).toBe(400)
      expect(res.json.error.fields['settings.errorWorkflowId']).toContain(message)
    }
    const unknown = await updateWorkflow(h(), wf, { settings: { retries: 3 } })
    expect(unknown.status).toBe(400)

    const ok = await updateWorkflow(h(), wf, { settings: { errorWorkflowId: alerts } })
    expect(ok.status, JSON.stringify(ok.json)).toBe(200)
    expect(ok.json.version).toBe(1)
    const saved = await call(workflow.GET, { headers: h(), params: { id: wf } })
    expect(saved.json).toMatchObject({ currentVersion: 1, settings: { errorWorkflowId: alerts } })
    expect(await prisma().workflowVersion.count({ where: { workflowId: wf } })).toBe(1)
    // A graph save keeps the settings; null clears them.
    await updateWorkflow(h(), wf, { graph: chain(node.manual(), node.set('s', { x: 2 })) })
    expect((await call(workflow.GET, { headers: h(), params: { id: wf } })).json.settings).toEqual({ errorWorkflowId: alerts })
    await updateWorkflow(h(), wf, { settings: { errorWorkflowId: null } })
    expect((await call(workflow.GET, { headers: h(), params: { id: wf } })).json.settings).toEqual({})
  })
})

describe('publishing', () => {
  it('publishes a workflow started only by other runs (its published version is what they run) without registrations', async () => {
    for (const trigger of [sub.errorTrigger(), sub.trigger()]) {
      const id = await createWorkflow(h(), 'Started by runs', chain(trigger, node.set('s', { x: 1 })))
      const res = await call(activate.POST, { method: 'POST', headers: h(), params: { id }, body: {} })
      expect(res.status, JSON.stringify(res.json)).toBe(200)
      expect(res.json).toMatchObject({ publishedVersion: 1 })
      expect(await prisma().triggerRegistration.count({ where: { workflowId: id } })).toBe(0)
    }
  })
})

describe('error workflows', () => {
  it('starts the error workflow with the failed run, workflow, node and a link; linked both ways', async () => {
    const alerts = await errorWorkflow()
    const wf = await withErrorWorkflow('Orders', chain(node.manual(), node.set('ok', { a: 1 }), sub.stop('stop', 'Order {{ $json.a }} is broken')), alerts)
    const failed = await runWorkflow(h(), wf)
    await waitForStatus(prisma(), failed, ['failed'])
    const [run] = await waitFor('the error workflow run', async () => ((await errorRuns(failed)).length ? errorRuns(failed) : null))
    expect(run).toMatchObject({ workflowId: alerts, mode: 'error', startNodeId: 'err' })
    await waitForStatus(prisma(), run.id, ['succeeded'])
    const step = await prisma().stepRun.findFirstOrThrow({ where: { executionId: run.id, nodeId: 'note' } })
    expect((step.output as { main: unknown[] }).main).toEqual([
      {
        execution: {
          id: failed,
          url: `${STUDIO}/executions/${failed}`,
          mode: 'manual',
          retryOf: null,
          error: { message: expect.stringContaining('Order 1 is broken'), name: expect.any(String) },
          lastNodeExecuted: 'Stop',
        },
        workflow: { id: wf, name: 'Orders' },
        node: { id: 'stop', name: 'Stop', type: 'stop-and-error' },
        noted: true,
      },
    ])
    expect((await getExecution(h(), failed)).children).toEqual([expect.objectContaining({ id: run.id, workflowName: 'Alerts', mode: 'error', nodeId: 'stop' })])
    expect((await getExecution(h(), run.id)).parent).toEqual({ id: failed, workflowName: 'Orders', nodeId: 'stop' })
  })

  it('runs the error workflow\'s published version over a newer draft, and names what a failed re-run retried', async () => {
    const alerts = await createWorkflow(h(), 'Published alerts', chain(sub.errorTrigger(), node.set('note', { from: 'published' })))
    await publishWorkflow(h(), alerts)
    await updateWorkflow(h(), alerts, { graph: chain(sub.errorTrigger(), node.set('note', { from: 'draft' })) })
    const wf = await withErrorWorkflow('Retried', chain(node.manual(), sub.stop()), alerts)
    const first = await runWorkflow(h(), wf)
    await waitForStatus(prisma(), first, ['failed'])
    const again = await call(retry.POST, { method: 'POST', headers: h(), params: { id: first }, body: {} })
    expect(again.status, JSON.stringify(again.json)).toBe(202)
    const second = again.json.executionId as string
    await waitForStatus(prisma(), second, ['failed'])
    const [run] = await waitFor('the error workflow run', async () => ((await errorRuns(second)).length ? errorRuns(second) : null))
    await waitForStatus(prisma(), run.id, ['succeeded'])
    expect(run.versionNumber).toBe(1)
    const step = await prisma().stepRun.findFirstOrThrow({ where: { executionId: run.id, nodeId: 'note' } })
    expect((step.output as { main: unknown[] }).main[0]).toMatchObject({ from: 'published', execution: { id: second, retryOf: first, mode: 'manual' } })
  })

  it('starts nothing when the run succeeds', async () => {
    const alerts = await errorWorkflow()
    const wf = await withErrorWorkflow('Fine', chain(node.manual(), node.set('ok', { a: 1 })), alerts)
    const id = await runWorkflow(h(), wf)
    await waitForStatus(prisma(), id, ['succeeded'])
    await settle()
    expect(await prisma().execution.count({ where: { workflowId: alerts } })).toBe(0)
  })

  it('a failing error workflow never starts another error workflow run, even when it names itself', async () => {
    const broken = await createWorkflow(h(), 'Broken alerts', chain(sub.errorTrigger(), sub.stop('stop', 'alerts are down')))
    expect((await updateWorkflow(h(), broken, { settings: { errorWorkflowId: broken } })).status).toBe(200)
    const wf = await withErrorWorkflow('Orders 2', chain(node.manual(), sub.stop()), broken)
    const failed = await runWorkflow(h(), wf)
    const [run] = await waitFor('the error workflow run', async () => ((await errorRuns(failed)).length ? errorRuns(failed) : null))
    await waitForStatus(prisma(), run.id, ['failed'])
    await settle()
    expect(await prisma().execution.count({ where: { workflowId: broken } })).toBe(1)
  })

  it('an error workflow deleted meanwhile is logged; the worker goes on', async () => {
    // The worker logs it as a JSON line (lib/log) on stdout.
    const logs = tapStdout()
    onTestFinished(() => logs.stop())
    const alerts = await errorWorkflow('Gone')
    const wf = await withErrorWorkflow('Orders 3', chain(node.manual(), sub.stop()), alerts)
    const del = await call(workflow.DELETE, { method: 'DELETE', headers: h(), params: { id: alerts } })
    expect(del.status).toBe(204)
    const failed = await runWorkflow(h(), wf)
    await waitForStatus(prisma(), failed, ['failed'])
    await waitFor('the warning', async () => logs.entries().some((e) => e.level === 'warn' && e.errorWorkflowId === alerts && String(e.msg).includes('no longer exists')))
    expect(await errorRuns(failed)).toHaveLength(0)
    const fine = await createWorkflow(h(), 'Still fine', chain(node.manual(), node.set('s', { x: 1 })))
    await waitForStatus(prisma(), await runWorkflow(h(), fine), ['succeeded'])
  })
})
