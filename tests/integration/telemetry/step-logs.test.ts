// Step logs end to end: a Code node's console lines (levels, order, one huge line, more lines than a step keeps) and
// an HTTP Request step that a local server answers 503 twice then 200, retried by the engine. The worker writes the
// lines on each attempt's step row and the execution detail API returns them. Real PostgreSQL, Redis and worker.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { startTestWorker } from '../../helpers/worker'
import { call, chain, node, waitForStatus } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as execution from '../../../app/api/executions/[id]/route'
import { closeAppServices } from '../../../lib/services/app'
import { STEP_LOG_MAX_LINES, STEP_LOG_MAX_LINE_BYTES } from '../../../lib/engine/step-log'
import type { StepLogLine } from '../../../lib/engine/types'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let worker: RunningWorker
let flaky: Server
let flakyUrl: string
const answered: number[] = []

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'A' })
  // 503 twice (with a Retry-After), then 200: what a briefly overloaded API does.
  flaky = createServer((req, res) => {
    const status = answered.length < 2 ? 503 : 200
    answered.push(status)
    res.writeHead(status, { 'content-type': 'application/json', ...(status === 503 && { 'retry-after': '1' }) })
    res.end(JSON.stringify(status === 503 ? { error: 'busy' } : { ok: true }))
  })
  await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve))
  flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`
  worker = await startTestWorker(t, { http: { allowList: [new URL(flakyUrl).host] } })
})
afterAll(async () => {
  await worker?.close()
  await new Promise((resolve) => flaky?.close(resolve))
  await closeAppServices()
  await t?.teardown()
})

const CODE = `
console.log('first', { n: 1 });
console.warn('second');
console.error('third');
console.info('x'.repeat(20000));
for (let i = 0; i < 300; i++) console.log('line ' + i);
return items;`

describe('step logs', () => {
  it('keeps Code console lines and HTTP retry lines with each attempt, bounded, and the detail API returns them', async () => {
    const http = { ...node.http('h', `${flakyUrl}/orders?token=query-secret`, { maxAttempts: 3, backoffMs: 20, maxBackoffMs: 50 }) }
    http.params = { ...http.params, headers: [{ name: 'x-api-key', value: 'header-secret-value' }] }
    const graph = chain(node.manual(), node.code('c', CODE), http)
    const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Logs', graph } })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    const started = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: created.json.id }, body: {} })
    const executionId = started.json.executionId as string
    const done = await waitForStatus(t.db.prisma, executionId, ['succeeded', 'failed'])
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded')
    expect(answered).toEqual([503, 503, 200])

    const detail = await call(execution.GET, { headers: a.headers, params: { id: executionId } })
    expect(detail.status).toBe(200)
    const steps = detail.json.steps as { nodeId: string; attempt: number; status: string; logs: StepLogLine[] | null }[]

    // The Code step: its lines in order with their levels, the huge one cut, then a count of what did not fit.
    const code = steps.find((s) => s.nodeId === 'c')!
    const lines = code.logs!
    expect(lines).toHaveLength(STEP_LOG_MAX_LINES + 1)
    expect(lines.slice(0, 3).map((l) => [l.level, l.message])).toEqual([
      ['info', 'first {"n":1}'],
      ['warn', 'second'],
      ['error', 'third'],
    ])
    expect(lines[3].level).toBe('info')
    expect(lines[3].message).toMatch(/^x+ … \(\d+ more bytes cut\)$/)
    expect(lines[3].message.length).toBeLessThan(STEP_LOG_MAX_LINE_BYTES + 40)
    expect(lines.slice(4, STEP_LOG_MAX_LINES).map((l) => l.message)).toEqual(Array.from({ length: STEP_LOG_MAX_LINES - 4 }, (_, i) => `line ${i}`))
    expect(lines.at(-1)).toMatchObject({ level: 'warn', message: expect.stringMatching(/^… 104 more lines dropped/) })
    for (let i = 1; i < lines.length; i++) expect(lines[i].at).toBeGreaterThanOrEqual(lines[i - 1].at)

    // The HTTP step: one row per attempt; the failed ones hold the answer and the engine's retry note, the last none.
    const attempts = steps.filter((s) => s.nodeId === 'h').sort((x, y) => x.attempt - y.attempt)
    expect(attempts.map((s) => s.status)).toEqual(['failed', 'failed', 'succeeded'])
    const path = `${flakyUrl}/orders`
    for (const [i, s] of attempts.slice(0, 2).entries()) {
      expect(s.logs!.map((l) => l.level)).toEqual(['warn', 'warn'])
      expect(s.logs![0]).toMatchObject({ message: `GET ${path} answered 503 (Retry-After: 1)`, data: { status: 503 } })
      expect(s.logs![1].message).toMatch(new RegExp(`^Attempt ${i + 1} of 3 failed: GET ${path.replace(/[.]/g, '\\.')} answered 503.* — retrying in \\d+ ms$`))
      expect(s.logs![1].data).toMatchObject({ attempt: i + 1, maxAttempts: 3, code: 'HTTP_STATUS', delayMs: expect.any(Number) })
    }
    expect(attempts[2].logs).toBeNull()
    // Neither the header nor the query string reaches a log line.
    const all = JSON.stringify(steps.map((s) => s.logs))
    expect(all).not.toContain('header-secret-value')
    expect(all).not.toContain('query-secret')

    // What the API returned is what the rows hold.
    const rows = await t.db.prisma.stepRun.findMany({ where: { executionId, nodeId: 'h' }, orderBy: { attempt: 'asc' }, select: { logs: true } })
    expect(rows.map((r) => r.logs)).toEqual(attempts.map((s) => s.logs))
  })
})
