// Execute Workflow with a real worker: wait and fire-and-forget, all items or each item, the child's input schema,
// published vs current versions, self-recursion stopped at the nesting cap (both modes), parent and child linked in
// the API, and a parent's cancel reaching the child it waits for.
import { afterAll, describe, expect, it } from 'vitest'
import * as cancel from '../../../app/api/executions/[id]/cancel/route'
import { call } from '../backbone/support'
import { createExecuteWorkflow } from '../../../workers/runtime/execute-workflow'
import { nodeRegistry } from '../../../lib/nodes/registry'
import { createHostSandbox } from '../../../lib/sandbox/host'
import { cancellableSleep } from '../../../lib/services/cancellable-sleep'
import { offlineHostServices } from '../../helpers/host-services'
import {
  MAX_DEPTH, chain, createWorkflow, getExecution, node, publishWorkflow, runWorkflow, sub, updateWorkflow, useSubWorkflowEnv, waitFor, waitForStatus,
} from './support'

const env = useSubWorkflowEnv()
const sandbox = createHostSandbox({ concurrency: 1 })
afterAll(() => sandbox.dispose())
const h = () => env.a.headers
const prisma = () => env.t.db.prisma

/** A child that doubles `n`: Execute Workflow Trigger → Set. */
async function doubler(params: Record<string, unknown> = {}) {
  return createWorkflow(h(), 'Doubler', chain(sub.trigger(params), node.set('double', { doubled: '{{ $json.n * 2 }}' })))
}

async function stepOutput(executionId: string, nodeId: string) {
  const step = await prisma().stepRun.findFirstOrThrow({ where: { executionId, nodeId } })
  return (step.output as { main: Record<string, unknown>[] }).main
}

const children = (parentExecutionId: string) => prisma().execution.findMany({ where: { parentExecutionId }, orderBy: { createdAt: 'asc' } })

describe('Execute Workflow', () => {
  it('wait + all items: one child run, its last step\'s items come back, recorded and linked both ways', async () => {
    const child = await doubler()
    const parent = await createWorkflow(h(), 'Parent', chain(node.manual(), sub.call('call', { workflowId: child })))
    const id = await runWorkflow(h(), parent, [{ n: 1 }, { n: 2 }])
    await waitForStatus(prisma(), id, ['succeeded'])
    expect(await stepOutput(id, 'call')).toEqual([{ n: 1, doubled: 2 }, { n: 2, doubled: 4 }])
    const [run, ...more] = await children(id)
    expect(more).toHaveLength(0)
    expect(run).toMatchObject({ workflowId: child, mode: 'subworkflow', status: 'succeeded', startNodeId: 'in', input: [{ n: 1 }, { n: 2 }] })
    expect((await prisma().stepRun.findMany({ where: { executionId: run.id } })).map((s) => s.nodeId).sort()).toEqual(['double', 'in'])

    const parentView = await getExecution(h(), id)
    expect(parentView.parent).toBeNull()
    expect(parentView.children).toEqual([expect.objectContaining({ id: run.id, workflowId: child, workflowName: 'Doubler', status: 'succeeded', nodeId: 'call' })])
    const childView = await getExecution(h(), run.id)
    expect(childView.parent).toEqual({ id, workflowName: 'Parent', nodeId: 'call' })
    expect(childView.children).toEqual([])
  })

  it('wait + each item: one child run per item, outputs concatenated in order', async () => {
    const child = await doubler()
    const parent = await createWorkflow(h(), 'Each', chain(node.manual(), sub.call('call', { workflowId: child, runFor: 'eachItem' })))
    const id = await runWorkflow(h(), parent, [{ n: 1 }, { n: 2 }, { n: 3 }])
    await waitForStatus(prisma(), id, ['succeeded'])
    expect(await stepOutput(id, 'call')).toEqual([{ n: 1, doubled: 2 }, { n: 2, doubled: 4 }, { n: 3, doubled: 6 }])
    const runs = await children(id)
    expect(runs.map((r) => r.input)).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }]])
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true)
  })

  it('fire and forget: the input items go on with the child run\'s id; the child runs from the queue', async () => {
    const child = await doubler()
    const parent = await createWorkflow(h(), 'Fire', chain(node.manual(), sub.call('call', { workflowId: child, mode: 'fireAndForget', runFor: 'eachItem' })))
    const id = await runWorkflow(h(), parent, [{ n: 5 }, { n: 6 }])
    await waitForStatus(prisma(), id, ['succeeded'])
    const out = await stepOutput(id, 'call')
    expect(out).toEqual([{ n: 5, subExecutionId: expect.any(String) }, { n: 6, subExecutionId: expect.any(String) }])
    for (const [i, item] of out.entries()) {
      const row = await waitForStatus(prisma(), item.subExecutionId as string, ['succeeded'])
      expect(row).toMatchObject({ workflowId: child, mode: 'subworkflow', parentExecutionId: id, startNodeId: 'in', input: [{ n: 5 + i }] })
      expect(await stepOutput(row.id, 'double')).toEqual([{ n: 5 + i, doubled: 2 * (5 + i) }])
    }
    expect((await getExecution(h(), id)).children.map((c: { id: string }) => c.id).sort()).toEqual(out.map((i) => i.subExecutionId).sort())
  })

  it('checks the items against the child\'s input schema: the refused child run fails, naming item and field', async () => {
    const child = await doubler({ inputSource: 'schema', fields: [{ name: 'n', type: 'number', required: true }, { name: 'label', type: 'string' }] })
    const parent = await createWorkflow(h(), 'Typed', chain(node.manual(), sub.call('call', { workflowId: child })))
    const ok = await runWorkflow(h(), parent, [{ n: 1, label: 'a', extra: true }])
    await waitForStatus(prisma(), ok, ['succeeded'])
    expect(await stepOutput(ok, 'call')).toEqual([{ n: 1, label: 'a', extra: true, doubled: 2 }])

    for (const [input, message] of [
      [[{ n: 1 }, { label: 'b' }], 'item 1: field "n" is required'],
      [[{ n: 1 }, { n: 2 }, { n: 3, label: 4 }], 'item 2: field "label" must be a string, got a number'],
      [[{ n: '7' }], 'item 0: field "n" must be a number, got a string'],
    ] as const) {
      const id = await runWorkflow(h(), parent, [...input])
      const row = await waitForStatus(prisma(), id, ['failed'])
      expect((row.error as { message: string }).message).toContain(message)
      const [refused] = await children(id)
      expect(refused).toMatchObject({ workflowId: child, status: 'failed', mode: 'subworkflow' })
      expect((refused.error as { message: string }).message).toContain(message)
      expect(await prisma().stepRun.count({ where: { executionId: refused.id } })).toBe(0)
    }
  })

  it('runs the published version, refuses a child without one, and refuses a child without an Execute Workflow Trigger', async () => {
    const child = await doubler()
    const parent = await createWorkflow(h(), 'Published', chain(node.manual(), sub.call('call', { workflowId: child, version: 'published' })))
    const refused = await waitForStatus(prisma(), await runWorkflow(h(), parent, [{ n: 1 }]), ['failed'])
    expect((refused.error as { message: string }).message).toMatch(/Workflow "Doubler" has no published version/)

    await publishWorkflow(h(), child)
    // A newer draft does not change what the published call runs.
    await updateWorkflow(h(), child, { graph: chain(sub.trigger(), node.set('double', { doubled: 'draft' })) })
    const id = await runWorkflow(h(), parent, [{ n: 1 }])
    await waitForStatus(prisma(), id, ['succeeded'])
    expect(await stepOutput(id, 'call')).toEqual([{ n: 1, doubled: 2 }])

    const plain = await createWorkflow(h(), 'No entry', chain(node.manual(), node.set('s', { x: 1 })))
    const caller = await createWorkflow(h(), 'Caller', chain(node.manual(), sub.call('call', { workflowId: plain })))
    const failed = await waitForStatus(prisma(), await runWorkflow(h(), caller), ['failed'])
    expect((failed.error as { message: string }).message).toMatch(/Workflow "No entry" has no Execute Workflow Trigger/)
    expect(await children(failed.id)).toHaveLength(0)
  })

  it.each(['wait', 'fireAndForget'] as const)('a workflow that calls itself (%s) stops at the depth limit', async (mode) => {
    const self = await createWorkflow(h(), `Self ${mode}`, chain(sub.trigger(), node.set('s', { x: 1 })))
    const saved = await updateWorkflow(h(), self, { graph: chain(sub.trigger(), sub.call('again', { workflowId: self, mode })) })
    expect(saved.status, JSON.stringify(saved.json)).toBe(200)
    const root = await runWorkflow(h(), self)
    // Root (depth 0) and children at depths 1..MAX_DEPTH; the deepest one's step is refused.
    const runs = await waitFor('the recursion to stop', async () => {
      const rows = await prisma().execution.findMany({ where: { workflowId: self }, orderBy: { createdAt: 'asc' } })
      return rows.length === MAX_DEPTH + 1 && rows.every((r) => r.status === 'succeeded' || r.status === 'failed') ? rows : null
    })
    const deepest = runs[MAX_DEPTH]
    expect(deepest.status).toBe('failed')
    expect((deepest.error as { message: string }).message).toContain(`depth ${MAX_DEPTH + 1}`)
    // Wait mode: the failure travels up the chain; fire and forget: each parent had already succeeded.
    expect(runs.slice(0, MAX_DEPTH).map((r) => r.status)).toEqual(Array(MAX_DEPTH).fill(mode === 'wait' ? 'failed' : 'succeeded'))
    expect(runs[0].id).toBe(root)
    for (let i = 1; i <= MAX_DEPTH; i++) expect(runs[i].parentExecutionId).toBe(runs[i - 1].id)
    const links = await prisma().subWorkflowRun.findMany({ where: { executionId: { in: runs.map((r) => r.id) } }, orderBy: { depth: 'asc' } })
    expect(links.map((l) => l.depth)).toEqual([1, 2, 3])
    // Nothing else starts afterwards.
    await new Promise((r) => setTimeout(r, 500))
    expect(await prisma().execution.count({ where: { workflowId: self } })).toBe(MAX_DEPTH + 1)
  })

  it('canceling the parent cancels the child it waits for', async () => {
    const slow = await createWorkflow(h(), 'Slow', chain(sub.trigger(), node.wait('w', 20_000), node.set('s', { done: true })))
    const parent = await createWorkflow(h(), 'Waits', chain(node.manual(), sub.call('call', { workflowId: slow })))
    const id = await runWorkflow(h(), parent)
    const child = await waitFor('the child to run', async () => (await children(id)).find((c) => c.status === 'running'))
    const res = await call(cancel.POST, { method: 'POST', headers: h(), params: { id } })
    expect(res.status).toBe(202)
    await waitForStatus(prisma(), child.id, ['canceled'], 5000)
    expect(await prisma().stepRun.count({ where: { executionId: child.id, nodeId: 's' } })).toBe(0)
    expect((await prisma().execution.findUniqueOrThrow({ where: { id } })).status).toBe('canceled')
  })

  it('canceling the child it waits for fails the calling step', async () => {
    const slow = await createWorkflow(h(), 'Slow child', chain(sub.trigger(), node.wait('w', 20_000)))
    const parent = await createWorkflow(h(), 'Waits on', chain(node.manual(), sub.call('call', { workflowId: slow })))
    const id = await runWorkflow(h(), parent)
    const child = await waitFor('the child to run', async () => (await children(id)).find((c) => c.status === 'running'))
    expect((await call(cancel.POST, { method: 'POST', headers: h(), params: { id: child.id } })).status).toBe(202)
    const row = await waitForStatus(prisma(), id, ['failed'], 5000)
    expect((row.error as { message: string }).message).toContain('Sub-workflow "Slow child" was canceled')
    expect((await prisma().execution.findUniqueOrThrow({ where: { id: child.id } })).status).toBe('canceled')
  })

  it('a child left running by a lost delivery of its parent is closed when the step runs again', async () => {
    const child = await doubler()
    const parent = await createWorkflow(h(), 'Redelivered', chain(node.manual(), sub.call('call', { workflowId: child })))
    const version = await prisma().workflowVersion.findFirstOrThrow({ where: { workflowId: parent } })
    const childVersion = await prisma().workflowVersion.findFirstOrThrow({ where: { workflowId: child } })
    const tenantId = env.a.tenantId
    const base = { tenantId, status: 'running' as const, startedAt: new Date() }
    const run = await prisma().execution.create({ data: { ...base, workflowId: parent, versionId: version.id, versionNumber: 1, mode: 'manual' } })
    // What the lost delivery left: an inline child still 'running', linked to the step.
    const orphan = await prisma().execution.create({ data: { ...base, workflowId: child, versionId: childVersion.id, versionNumber: 1, mode: 'subworkflow', parentExecutionId: run.id } })
    await prisma().subWorkflowRun.create({ data: { tenantId, executionId: orphan.id, parentExecutionId: run.id, parentNodeId: 'call', depth: 1 } })
    const execute = createExecuteWorkflow({
      prisma: prisma(), registry: nodeRegistry, services: () => ({ ...offlineHostServices(), http: { request: () => Promise.reject(new Error('offline')) }, sandbox, sleep: cancellableSleep }),
      getCredential: () => Promise.reject(new Error('none')), maxDepth: MAX_DEPTH, starts: () => { throw new Error('not in this test') },
    })
    const req = { tenantId, parentExecutionId: run.id, parentNodeId: 'call', workflowId: child, version: 'current' as const, wait: true, items: [{ n: 4 }], signal: new AbortController().signal }
    expect((await execute(req)).items).toEqual([{ n: 4, doubled: 8 }])
    expect(await prisma().execution.findUniqueOrThrow({ where: { id: orphan.id } })).toMatchObject({ status: 'failed', error: { name: 'WorkerLost' } })
    const runs = await children(run.id)
    expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded'])
  })

  it('refuses another workspace\'s workflow', async () => {
    const { seedTenant } = await import('../../helpers/db')
    const other = await seedTenant(prisma())
    const theirs = await createWorkflow(other.headers, 'Theirs', chain(sub.trigger(), node.set('s', { x: 1 })))
    const parent = await createWorkflow(h(), 'Snoop', chain(node.manual(), sub.call('call', { workflowId: theirs })))
    const row = await waitForStatus(prisma(), await runWorkflow(h(), parent), ['failed'])
    expect((row.error as { message: string }).message).toContain(`Workflow ${theirs} not found in this workspace`)
    expect(await prisma().execution.count({ where: { workflowId: theirs } })).toBe(0)
  })
})
