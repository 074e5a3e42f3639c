// Out-of-memory user code against real worker processes (spawned `workers/worker.ts`, real PostgreSQL and Redis).
// Code nodes run in the worker's sandbox child processes: 20 runs that blow their heap leave the worker's own
// memory where it was, and SIGTERM still drains and exits 0. An expression that takes one of the worker's
// in-process isolates down for good makes the worker recycle itself: it drains what it runs and ends, and the
// runs queued meanwhile are taken by the next worker. "Test this step" keeps both out of the web process.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node, waitFor, waitForStatus } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as testStep from '../../../app/api/workflows/[id]/test-step/route'
import { closeAppServices } from '../../../lib/services/app'

const root = path.resolve(import.meta.dirname, '../../..')
// 16 MB is the smallest heap at which this allocation still ends in isolated-vm's catastrophic error (~0.3 s
// each on the dev box, where 512 MB takes ~8 s); in process each such run left ~26 MB behind.
const OOM_CODE = { ...node.code('oom', 'new Array(1e9).fill(1); return items'), params: { source: 'new Array(1e9).fill(1); return items', mode: 'runOnceForAllItems', memoryMb: 16, timeoutMs: 20_000 } }
let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
const children: ChildProcess[] = []

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_WORKER_LOCK_MS: '4000', AUTERITY_WORKER_STALLED_MS: '2000' })
  a = await seedTenant(t.db.prisma)
})
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  await closeAppServices()
  await t?.teardown()
})

interface Worker {
  proc: ChildProcess
  output(): string
}

async function startWorker(): Promise<Worker> {
  // LOG_LEVEL=info: its readiness and recycling are info and warn lines (lib/log).
  const proc = spawn(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'workers/worker.ts'], { cwd: root, env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(proc)
  let output = ''
  proc.stderr!.on('data', (d) => (output += d))
  proc.stdout!.on('data', (d) => (output += d))
  // A cold start (tsx compiling the worker's imports) on a loaded 2-core machine has taken over 20 s.
  await waitFor('the worker to be ready', async () => {
    if (proc.exitCode !== null) throw new Error(`worker exited with ${proc.exitCode}: ${output}`)
    return output.includes('"msg":"worker ready"')
  }, 60_000)
  return { proc, output: () => output }
}

/** Resolves with the exit code or signal, or 'still running' after `ms`. */
function exited(proc: ChildProcess, ms: number): Promise<number | string> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode ?? proc.signalCode!)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still running'), ms)
    proc.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(code ?? signal!)
    })
  })
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]
  return Math.round(Number(kb) / 1024)
}

async function createWorkflow(name: string, graph: unknown): Promise<string> {
  const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name, graph } })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  return created.json.id
}

async function startRun(workflowId: string): Promise<string> {
  const res = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: workflowId }, body: {} })
  expect(res.status, JSON.stringify(res.json)).toBe(202)
  return res.json.executionId
}

describe('out-of-memory user code', () => {
  it('20 out-of-memory Code runs leave the worker RSS where it was; a normal run works and SIGTERM exits 0', async () => {
    const worker = await startWorker()
    const ok = await createWorkflow('Fine', chain(node.manual(), node.code('fine', 'return [{ ok: true }]')))
    const oom = await createWorkflow('Greedy', chain(node.manual(), OOM_CODE))
    await waitForStatus(t.db.prisma, await startRun(ok), ['succeeded'])
    const before = rssMb(worker.proc.pid!)

    // Two at a time, as a tenant retrying its workflow would: each run takes a fresh isolate down (many runs at
    // once can share the isolate they take down, which hides most of a leak).
    const ids: string[] = []
    for (let i = 0; i < 10; i++) {
      const pair = [await startRun(oom), await startRun(oom)]
      ids.push(...pair)
      for (const id of pair) expect((await waitForStatus(t.db.prisma, id, ['succeeded', 'failed'])).status).toBe('failed')
    }
    const failed = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: ids[19], nodeId: 'oom' } })
    expect(failed.error).toMatchObject({ code: 'SANDBOX_MEMORY_LIMIT' })
    const after = rssMb(worker.proc.pid!)
    // Each run left ~26 MB in the worker when Code ran in process (~520 MB for 20). 250 MB leaves room for the
    // V8 heap and malloc arenas growing under 20 runs' worth of jobs, rows and events.
    expect.soft(after - before, `worker RSS ${before} MB before, ${after} MB after`).toBeLessThan(250)

    await waitForStatus(t.db.prisma, await startRun(ok), ['succeeded'])
    worker.proc.kill('SIGTERM')
    expect(await exited(worker.proc, 30_000)).toBe(0)
  }, 180_000)

  it('an expression that takes an in-process isolate down makes the worker recycle itself without losing runs', async () => {
    const first = await startWorker()
    const slow = await createWorkflow('Slow', chain(node.manual(), node.wait('pause', 2500), node.set('after', { ok: true })))
    const boom = await createWorkflow('Boom', chain(node.manual(), node.set('boom', { size: '{{ new Array(1e9).fill(1).length }}' })))
    const later = await createWorkflow('Later', chain(node.manual(), node.set('later', { ok: true })))

    const inFlight = await startRun(slow)
    await waitForStatus(t.db.prisma, inFlight, ['running'])
    const broken = await startRun(boom)
    expect((await waitForStatus(t.db.prisma, broken, ['succeeded', 'failed'])).status).toBe('failed')
    await waitFor('the worker to announce its recycling', async () => first.output().includes('"msg":"worker recycling"'))
    const queued = [await startRun(later), await startRun(later)]

    // It drains the run it had, then ends by itself (a stuck isolate thread would hang a normal exit).
    expect(await exited(first.proc, 30_000)).toBe('SIGKILL')
    const drained = await t.db.prisma.execution.findUniqueOrThrow({ where: { id: inFlight } })
    expect(drained.status).toBe('succeeded')
    // Taken by the next worker (or, if a fetch was already under way when it began to drain, run before it ended).
    for (const id of queued) expect(['queued', 'succeeded']).toContain((await t.db.prisma.execution.findUniqueOrThrow({ where: { id } })).status)

    const second = await startWorker()
    for (const id of queued) await waitForStatus(t.db.prisma, id, ['succeeded'])
    second.proc.kill('SIGTERM')
    expect(await exited(second.proc, 30_000)).toBe(0)
  }, 120_000)

  it('"test this step" fails out-of-memory Code and expressions cleanly without growing the web process', async () => {
    const id = await createWorkflow('Tested', chain(node.manual(), OOM_CODE, node.set('boom', { size: '{{ new Array(1e9).fill(1).length }}' })))
    const before = Math.round(process.memoryUsage.rss() / 1048576)
    for (let i = 0; i < 4; i++) {
      for (const nodeId of ['oom', 'boom']) {
        const res = await call(testStep.POST, { method: 'POST', headers: a.headers, params: { id }, body: { nodeId, input: [{}] } })
        expect(res.json).toMatchObject({ status: 'failed', error: { code: 'SANDBOX_MEMORY_LIMIT' } })
      }
    }
    const res = await call(testStep.POST, { method: 'POST', headers: a.headers, params: { id }, body: { nodeId: 'oom', input: [{}], graph: chain(node.manual(), node.code('oom', 'return [{ fine: true }]')) } })
    expect(res.json).toMatchObject({ status: 'succeeded', output: { main: [{ fine: true }] } })
    const after = Math.round(process.memoryUsage.rss() / 1048576)
    // In process, each of these left an isolate's heap behind (~26 MB for the Code, ~90 MB for the expression).
    expect(after - before, `test process RSS ${before} MB before, ${after} MB after`).toBeLessThan(150)
  }, 120_000)
})
