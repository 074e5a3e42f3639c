// Workflows, versions, credentials and tenancy through the route handlers (real PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as workflow from '../../../app/api/workflows/[id]/route'
import * as versions from '../../../app/api/workflows/[id]/versions/route'
import * as version from '../../../app/api/workflows/[id]/versions/[n]/route'
import * as validate from '../../../app/api/workflows/validate/route'
import * as executionsRoute from '../../../app/api/executions/[id]/route'
import * as credentials from '../../../app/api/credentials/route'
import * as credential from '../../../app/api/credentials/[id]/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as publish from '../../../app/api/workflows/[id]/publish/route'
import * as live from '../../../app/api/health/live/route'
import * as ready from '../../../app/api/health/ready/route'
import * as nodeTypes from '../../../app/api/node-types/route'
import * as cancel from '../../../app/api/executions/[id]/cancel/route'
import { appServices, closeAppServices } from '../../../lib/services/app'
import { resetEnv } from '../../../lib/env'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant
const graph = chain(node.manual(), node.set('s', { x: 1 }))

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'A' })
  b = await seedTenant(t.db.prisma, { name: 'B' })
})
afterAll(async () => {
  await closeAppServices()
  await t.teardown()
})

async function create(tenant: SeededTenant, body: Record<string, unknown> = {}) {
  const res = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name: 'Flow', graph, ...body } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json as { id: string; version: number }
}

describe('workflows API', () => {
  it('creates, reads, lists and versions a workflow', async () => {
    const { id, version: v } = await create(a, { message: 'first' })
    expect(v).toBe(1)
    const got = await call(workflow.GET, { headers: a.headers, params: { id } })
    expect(got.json).toMatchObject({ id, name: 'Flow', currentVersion: 1, version: { number: 1, message: 'first' } })
    expect(got.json.version.graph.nodes).toHaveLength(2)

    const saved = await call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id }, body: { baseVersion: 1, graph: chain(node.manual()), message: 'second' } })
    expect(saved.status).toBe(200)
    expect(saved.json.version).toBe(2)

    const list = await call(versions.GET, { headers: a.headers, params: { id } })
    expect(list.json.versions.map((x: { number: number }) => x.number)).toEqual([2, 1])
    const first = await call(version.GET, { headers: a.headers, params: { id, n: '1' } })
    expect(first.json.graph.nodes).toHaveLength(2)

    const all = await call(workflows.GET, { headers: a.headers })
    expect(all.json.workflows.map((w: { id: string }) => w.id)).toContain(id)
  })

  it('answers 409 with the current version when the base version is stale', async () => {
    const { id } = await create(a)
    await call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id }, body: { baseVersion: 1, graph } })
    const stale = await call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id }, body: { baseVersion: 1, graph } })
    expect(stale.status).toBe(409)
    expect(stale.json.error).toMatchObject({ code: 'CONFLICT', details: { currentVersion: 2 } })
  })

  it('keeps older versions immutable and renames without a new version', async () => {
    const { id } = await create(a)
    const renamed = await call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id }, body: { baseVersion: 1, name: 'Renamed' } })
    expect(renamed.json.version).toBe(1)
    expect((await call(workflow.GET, { headers: a.headers, params: { id } })).json.name).toBe('Renamed')
  })

  it.each([
    ['missing name', { graph }, 'name'],
    ['graph not an object', { name: 'x', graph: 'nope' }, 'graph'],
    ['node without type', { name: 'x', graph: { nodes: [{ id: 'a', name: 'A' }], edges: [] } }, 'graph.nodes.0.type'],
  ])('rejects %s with a 400 naming the field', async (_, body, field) => {
    const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body })
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.json.error)).toContain(field)
  })

  it('validates a graph without saving it', async () => {
    const ok = await call(validate.POST, { method: 'POST', headers: a.headers, body: { graph } })
    expect(ok.json).toEqual({ ok: true, problems: [] })
    const bad = await call(validate.POST, { method: 'POST', headers: a.headers, body: { graph: chain(node.manual(), { id: 'x', type: 'no-such-type', name: 'X' }) } })
    expect(bad.json.ok).toBe(false)
    expect(bad.json.problems[0]).toMatchObject({ nodeId: 'x' })
  })

  it('syncs webhook triggers from the published version and refuses a path another active workflow owns', async () => {
    const { id } = await create(a, { graph: chain(node.webhook('orders/new'), node.set('s', { a: 1 })), active: true })
    expect(await t.db.prisma.webhookTrigger.findMany({ where: { workflowId: id } })).toMatchObject([{ path: 'orders/new', method: 'POST' }])
    const clash = await call(workflows.POST, { method: 'POST', headers: b.headers, body: { name: 'B', graph: chain(node.webhook('orders/new')), active: true } })
    expect(clash.status).toBe(409)
    expect(clash.json.error.message).toContain('orders/new')
    // Saved as a draft (inactive) it is accepted: the clash is refused when it would go live.
    expect((await call(workflows.POST, { method: 'POST', headers: b.headers, body: { name: 'B', graph: chain(node.webhook('orders/new')) } })).status).toBe(201)
    // A saved draft does not move production; publishing it does.
    await call(workflow.PUT, { method: 'PUT', headers: a.headers, params: { id }, body: { baseVersion: 1, graph: chain(node.webhook('orders/changed')) } })
    expect(await t.db.prisma.webhookTrigger.findMany({ where: { workflowId: id } })).toMatchObject([{ path: 'orders/new' }])
    expect((await call(publish.POST, { method: 'POST', headers: a.headers, params: { id }, body: {} })).json).toMatchObject({ active: true, publishedVersion: 2 })
    expect(await t.db.prisma.webhookTrigger.findMany({ where: { workflowId: id } })).toMatchObject([{ path: 'orders/changed' }])
  })

  it('announces webhook URLs under the studio URL, or under AUTERITY_WEBHOOK_URL when set', async () => {
    const { id } = await create(a, { graph: chain(node.webhook('announce/me'), node.set('s', { a: 1 })), active: true })
    const detail = async () => (await call(workflow.GET, { headers: a.headers, params: { id } })).json
    const webhooks = async () => (await detail()).webhooks
    const before = { NEXTAUTH_URL: process.env.NEXTAUTH_URL, AUTERITY_WEBHOOK_URL: process.env.AUTERITY_WEBHOOK_URL }
    process.env.NEXTAUTH_URL = 'https://studio.example.com/'
    resetEnv()
    try {
      expect(await webhooks()).toEqual([{ nodeId: 'hook', method: 'POST', path: 'announce/me', url: 'https://studio.example.com/api/webhooks/announce/me', testUrl: 'https://studio.example.com/api/webhooks-test/announce/me' }])
      process.env.AUTERITY_WEBHOOK_URL = 'https://hooks.example.com'
      resetEnv()
      expect(await detail()).toMatchObject({ webhookBaseUrl: 'https://hooks.example.com', webhooks: [{ url: 'https://hooks.example.com/api/webhooks/announce/me' }] })
    } finally {
      for (const [name, value] of Object.entries(before)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
      resetEnv()
    }
  })

  it('enforces roles and authentication', async () => {
    const viewer = await seedTenant(t.db.prisma, { role: 'viewer' })
    expect((await call(workflows.GET, { headers: viewer.headers })).status).toBe(200)
    expect((await call(workflows.POST, { method: 'POST', headers: viewer.headers, body: { name: 'x', graph } })).status).toBe(403)
    expect((await call(workflows.GET, {})).status).toBe(401)
  })

  it('deletes a workflow', async () => {
    const { id } = await create(a)
    expect((await call(workflow.DELETE, { method: 'DELETE', headers: a.headers, params: { id } })).status).toBe(204)
    expect((await call(workflow.GET, { headers: a.headers, params: { id } })).status).toBe(404)
  })
})

describe('health and node types', () => {
  it('answers liveness and readiness (PostgreSQL and Redis up)', async () => {
    expect((await call(live.GET, {})).json).toEqual({ ok: true })
    expect(await call(ready.GET, {})).toMatchObject({ status: 200, json: { ok: true, postgres: true, redis: true } })
  })

  it('lists node types with JSON Schema params', async () => {
    const res = await call(nodeTypes.GET, { headers: a.headers })
    const webhook = res.json.nodeTypes.find((n: { type: string }) => n.type === 'webhook-trigger')
    expect(webhook).toMatchObject({ category: 'trigger', params: { type: 'object' } })
  })
})

describe('runs without a worker', () => {
  it('refuses to run a version with problems, listing them', async () => {
    const { id } = await create(a, { graph: chain(node.manual(), { id: 'x', type: 'no-such-type', name: 'X' }) })
    const res = await call(run.POST, { method: 'POST', headers: a.headers, params: { id }, body: {} })
    expect(res.status).toBe(400)
    expect(res.json.error.details.problems[0]).toMatchObject({ nodeId: 'x', code: 'UNKNOWN_NODE_TYPE' })
  })

  it('cancels a queued execution by removing its job', async () => {
    const { id } = await create(a)
    const started = await call(run.POST, { method: 'POST', headers: a.headers, params: { id }, body: { input: [{ a: 1 }] } })
    expect(started.status).toBe(202)
    const executionId = started.json.executionId
    expect(await t.db.prisma.execution.findUniqueOrThrow({ where: { id: executionId } })).toMatchObject({ status: 'queued', input: [{ a: 1 }] })
    expect((await appServices().queue.counts()).waiting).toBe(1)
    const res = await call(cancel.POST, { method: 'POST', headers: a.headers, params: { id: executionId } })
    expect(res).toMatchObject({ status: 202, json: { status: 'canceled' } })
    expect((await appServices().queue.counts()).waiting).toBe(0)
    expect((await t.db.prisma.execution.findUniqueOrThrow({ where: { id: executionId } })).status).toBe('canceled')
    expect((await call(cancel.POST, { method: 'POST', headers: b.headers, params: { id: executionId } })).status).toBe(404)
  })
})

describe('tenant isolation', () => {
  it('refuses reads and writes across tenants with 404', async () => {
    const { id } = await create(a)
    const wfRow = await t.db.prisma.workflowVersion.findFirstOrThrow({ where: { workflowId: id } })
    const exec = await t.db.prisma.execution.create({
      data: { tenantId: a.tenantId, workflowId: id, versionId: wfRow.id, versionNumber: 1, mode: 'manual', status: 'succeeded' },
    })
    const cred = await call(credentials.POST, { method: 'POST', headers: a.headers, body: { name: 'k', kind: 'bearer', data: { token: 's3cret' } } })
    expect(cred.status, JSON.stringify(cred.json)).toBe(201)

    expect((await call(workflow.GET, { headers: b.headers, params: { id } })).status).toBe(404)
    expect((await call(workflow.PUT, { method: 'PUT', headers: b.headers, params: { id }, body: { baseVersion: 1, name: 'x' } })).status).toBe(404)
    expect((await call(workflow.DELETE, { method: 'DELETE', headers: b.headers, params: { id } })).status).toBe(404)
    expect((await call(versions.GET, { headers: b.headers, params: { id } })).status).toBe(404)
    expect((await call(executionsRoute.GET, { headers: b.headers, params: { id: exec.id } })).status).toBe(404)
    expect((await call(credential.GET, { headers: b.headers, params: { id: cred.json.id } })).status).toBe(404)
    expect((await call(workflows.GET, { headers: b.headers })).json.workflows.map((w: { id: string }) => w.id)).not.toContain(id)
    expect((await call(credentials.GET, { headers: b.headers })).json.credentials).toEqual([])

    const own = await call(credential.GET, { headers: a.headers, params: { id: cred.json.id } })
    expect(own.status).toBe(200)
    expect(JSON.stringify(own.json)).not.toContain('s3cret')
  })
})
