// Loop Over Items through real worker processes against PostgreSQL and Redis: a body step gets one StepRun row per
// iteration (attempts go on counting, `iteration` says which), the loop node one row with the number of iterations,
// and a worker killed in the middle of a loop leaves a run that the next delivery finishes by starting the loop over.
import { describe, expect, it } from 'vitest'
import { call, exited, node, spawnWorker, useSpawnedWorkers, waitFor, waitForStatus, type NodeSpec } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'

const env = useSpawnedWorkers()
const { children } = env

const gen = (count: number) => node.code('gen', `return Array.from({ length: ${count} }, (_, n) => ({ n, even: n % 2 === 0 }))`)
const loop = (batchSize: number): NodeSpec => ({ id: 'loop', type: 'loop-over-items', name: 'Loop', params: { batchSize } })
const ifEven: NodeSpec = { id: 'if', type: 'if', name: 'Even?', params: { conditions: [{ left: '{{ $json.even }}', operator: 'isTrue' }] } }

function graph(nodes: NodeSpec[], edges: [string, string, string?][]) {
  return {
    nodes: nodes.map((n, i) => ({ position: { x: i * 200, y: 0 }, ...n })),
    edges: edges.map(([source, target, sourcePort = 'main']) => ({ source, sourcePort, target, targetPort: 'main' })),
    notes: [],
  }
}

async function startRun(g: unknown): Promise<string> {
  const created = await call(workflows.POST, { method: 'POST', headers: env.a.headers, body: { name: 'Loop', graph: g } })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  const res = await call(run.POST, { method: 'POST', headers: env.a.headers, params: { id: created.json.id }, body: {} })
  expect(res.status, JSON.stringify(res.json)).toBe(202)
  return res.json.executionId as string
}

const rows = (executionId: string) => env.t.db.prisma.stepRun.findMany({ where: { executionId }, orderBy: [{ nodeId: 'asc' }, { attempt: 'asc' }] })
const summary = (list: Awaited<ReturnType<typeof rows>>, nodeId: string) =>
  list.filter((r) => r.nodeId === nodeId).map((r) => `#${r.attempt} it${r.iteration}:${r.status}`)

describe('loop over items in the worker', () => {
  it('records each iteration of the body as its own StepRun row and runs "done" once with what came back', async () => {
    const worker = await spawnWorker(children)
    // 7 items in batches of 3: the even ones come back through the If's true branch, the odd ones end there.
    const executionId = await startRun(
      graph([node.manual(), gen(7), loop(3), ifEven, node.set('tag', { seen: true }), node.set('after', { done: true })], [
        ['trigger', 'gen'], ['gen', 'loop'], ['loop', 'if', 'loop'], ['if', 'tag', 'true'], ['tag', 'loop'], ['loop', 'after', 'done'],
      ]),
    )
    const done = await waitForStatus(env.t.db.prisma, executionId, ['succeeded', 'failed'])
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded')
    const list = await rows(executionId)
    expect(summary(list, 'if')).toEqual(['#1 it1:succeeded', '#2 it2:succeeded', '#3 it3:succeeded'])
    expect(summary(list, 'tag')).toEqual(['#1 it1:succeeded', '#2 it2:succeeded', '#3 it3:succeeded'])
    expect(list.filter((r) => r.nodeId === 'if').map((r) => r.inputCount)).toEqual([3, 3, 1])
    // Each iteration's row keeps its own input (not a reference to the latest output upstream).
    expect(list.filter((r) => r.nodeId === 'tag').map((r) => (r.input as { n: number }[]).map((x) => x.n))).toEqual([[0, 2], [4], [6]])
    const loopRow = list.filter((r) => r.nodeId === 'loop')
    expect(loopRow).toHaveLength(1)
    expect(loopRow[0]).toMatchObject({ attempt: 1, iteration: 3, status: 'succeeded', outputCounts: { done: 4 } })
    const after = list.filter((r) => r.nodeId === 'after')
    expect(after).toHaveLength(1)
    expect((after[0].output as { main: { n: number }[] }).main.map((x) => x.n)).toEqual([0, 2, 4, 6])
    worker.kill('SIGTERM')
    expect(await exited(worker)).toBe(0)
  })

  it('a loop that exceeds its cap fails with LOOP_LIMIT before any body step runs', async () => {
    const worker = await spawnWorker(children, { AUTERITY_MAX_LOOP_ITERATIONS: '2' })
    const executionId = await startRun(graph([node.manual(), gen(7), loop(3), node.set('tag', { seen: true })], [['trigger', 'gen'], ['gen', 'loop'], ['loop', 'tag', 'loop'], ['tag', 'loop']]))
    const done = await waitForStatus(env.t.db.prisma, executionId, ['succeeded', 'failed'])
    expect(done.status).toBe('failed')
    expect(done.error).toMatchObject({ code: 'LOOP_LIMIT', nodeId: 'loop' })
    expect((done.error as { message: string }).message).toContain('AUTERITY_MAX_LOOP_ITERATIONS')
    const list = await rows(executionId)
    expect(summary(list, 'loop')).toEqual(['#1 it0:failed'])
    expect(summary(list, 'tag')).toEqual([])
    worker.kill('SIGTERM')
    expect(await exited(worker)).toBe(0)
  })

  it('after kill -9 in the middle of a loop, the next delivery starts the loop over and finishes the run', async () => {
    const first = await spawnWorker(children)
    const executionId = await startRun(
      graph([node.manual(), gen(4), loop(1), node.wait('pause', 1200), node.set('after', { done: true })], [
        ['trigger', 'gen'], ['gen', 'loop'], ['loop', 'pause', 'loop'], ['pause', 'loop'], ['loop', 'after', 'done'],
      ]),
    )
    await waitFor('the second iteration to run', async () => (await env.t.db.prisma.stepRun.findFirst({ where: { executionId, nodeId: 'pause', iteration: 2, status: 'running' } })) !== null)
    first.kill('SIGKILL')
    await exited(first)

    const second = await spawnWorker(children)
    const done = await waitForStatus(env.t.db.prisma, executionId, ['succeeded', 'failed'], 45_000)
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded')
    expect(done.deliveries).toBe(2)
    const list = await rows(executionId)
    // Iteration 1 settled, iteration 2 was lost with the worker; the loop then ran all four again, numbered after them.
    expect(summary(list, 'pause')).toEqual([
      '#1 it1:succeeded', '#2 it2:failed', '#3 it1:succeeded', '#4 it2:succeeded', '#5 it3:succeeded', '#6 it4:succeeded',
    ])
    expect(summary(list, 'gen')).toEqual(['#1 itnull:succeeded'])
    expect(list.filter((r) => r.nodeId === 'loop').at(-1)).toMatchObject({ status: 'succeeded', iteration: 4, outputCounts: { done: 4 } })
    const after = list.filter((r) => r.nodeId === 'after')
    expect(after).toHaveLength(1)
    expect((after[0].output as { main: { n: number }[] }).main.map((x) => x.n)).toEqual([0, 1, 2, 3])
    second.kill('SIGTERM')
    expect(await exited(second)).toBe(0)
  })
})
