// GET /api/workflows/:id/triggers reports a Page Changed trigger's checks (what the inspector shows), only to its workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as triggers from '../../../app/api/workflows/[id]/triggers/route'
import { closeAppServices } from '../../../lib/services/app'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma)
  b = await seedTenant(t.db.prisma)
})
afterAll(async () => {
  await closeAppServices()
  await t?.teardown()
})

describe('Page Changed status', () => {
  it('lists each monitor\'s checks, changes and last error; another workspace sees none', async () => {
    const watch = { id: 'watch', type: 'browser-page-monitor', name: 'Page changed', params: { url: 'https://example.com/pricing' } }
    const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Watch', graph: chain(watch, node.set('s', { ok: true })) } })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    const workflowId = created.json.id
    const before = await call(triggers.GET, { headers: a.headers, params: { id: workflowId } })
    expect(before.json.monitors).toEqual([])

    const checkedAt = new Date('2026-12-01T04:00:00Z')
    await t.db.prisma.pageMonitor.create({
      data: {
        tenantId: a.tenantId, workflowId, nodeId: 'watch', target: 'digest', checks: 7, changes: 2, lastCheckedAt: checkedAt, baselineAt: checkedAt,
        lastError: 'Blocked request to 10.0.0.5', lastErrorAt: checkedAt,
      },
    })
    const res = await call(triggers.GET, { headers: a.headers, params: { id: workflowId } })
    expect(res.status).toBe(200)
    expect(res.json.monitors).toEqual([
      { nodeId: 'watch', checks: 7, changes: 2, lastCheckedAt: checkedAt.toISOString(), baselineAt: checkedAt.toISOString(), lastError: 'Blocked request to 10.0.0.5', lastErrorAt: checkedAt.toISOString(), snapshots: 0 },
    ])
    const other = await call(triggers.GET, { headers: b.headers, params: { id: workflowId } })
    expect(other.json.monitors ?? []).toEqual([])
  })
})
