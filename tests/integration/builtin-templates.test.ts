// Every built-in template's test cases pass, run as "Test" runs them: POST /api/templates/builtin:<slug>/test, the
// template-tests queue, a real worker, the engine with the recorded responses replayed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAppServices } from '../../lib/services/app'
import { builtinTemplates } from '../../lib/templates/builtin'
import type { RunningWorker } from '../../workers/runtime/worker-runtime'
import { seedTenant, useTestEnv, type SeededTenant } from '../helpers/db'
import { startTestWorker } from '../helpers/worker'
import { call } from './backbone/support'
import * as testRoute from '../../app/api/templates/[id]/test/route'

let t: Awaited<ReturnType<typeof useTestEnv>>
let worker: RunningWorker
let tenant: SeededTenant

beforeAll(async () => {
  t = await useTestEnv()
  tenant = await seedTenant(t.db.prisma)
  worker = await startTestWorker(t)
})
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await t?.teardown()
})

describe('built-in templates', () => {
  it.each(builtinTemplates.map((b) => [b.slug, b.versions.length]))('%s: every case of its newest version passes on a worker', async (slug, newest) => {
    const res = await call(testRoute.POST, { method: 'POST', headers: tenant.headers, params: { id: `builtin:${slug}` }, body: {} })
    expect(res.status, JSON.stringify(res.json)).toBe(200)
    const failures = (res.json.results as Array<{ name: string; status: string; error?: string; checks: Array<{ passed: boolean; message?: string }> }>)
      .filter((r) => r.status !== 'passed')
      .map((r) => ({ case: r.name, error: r.error, failed: r.checks.filter((c) => !c.passed).map((c) => c.message) }))
    expect(failures).toEqual([])
    expect(res.json).toMatchObject({ templateId: `builtin:${slug}`, version: newest, status: 'passed' })
    expect(res.json.results.length).toBeGreaterThan(0)
  })

  it('their runs are listed per template and are not executions', async () => {
    const slug = builtinTemplates[0].slug
    const res = await call(testRoute.GET, { headers: tenant.headers, params: { id: `builtin:${slug}` } })
    expect(res.status).toBe(200)
    expect(res.json.runs[0]).toMatchObject({ templateId: `builtin:${slug}`, status: 'passed' })
    expect(await t.db.prisma.execution.count()).toBe(0)
  })
})
