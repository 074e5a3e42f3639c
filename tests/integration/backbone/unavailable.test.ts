// With Redis or PostgreSQL unreachable, API calls answer 503 naming the dependency within a few seconds instead of
// hanging: a closed port, and a server that accepts the connection but never answers (a hung host, a black hole).
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call, chain, node } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as cancel from '../../../app/api/executions/[id]/cancel/route'
import * as ready from '../../../app/api/health/ready/route'
import { resetEnv } from '../../../lib/env'
import { closeWebPrisma } from '../../../lib/db/client'
import { closeAppServices } from '../../../lib/services/app'

// Well below the test timeout, so a hang fails the assertion instead of the whole file.
const ANSWER_WITHIN_MS = 15_000

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let workflowId: string
let silent: Server
const silentSockets: Socket[] = []

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_REDIS_TIMEOUT_MS: '1000', AUTERITY_DB_CONNECT_TIMEOUT_MS: '1000' })
  a = await seedTenant(t.db.prisma)
  const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Flow', graph: chain(node.manual()) } })
  workflowId = created.json.id
  silent = createServer((socket) => void silentSockets.push(socket))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
})
afterEach(() => pointAt({}))
afterAll(async () => {
  await pointAt({})
  for (const s of silentSockets) s.destroy()
  await new Promise((resolve) => silent.close(resolve))
  await t.teardown()
})

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as AddressInfo
  await new Promise((resolve) => s.close(resolve))
  return port
}

const silentPort = () => (silent.address() as AddressInfo).port

/** Re-points this process's web services (fresh clients) at other servers; {} restores the test's own. */
async function pointAt(urls: { redis?: string; database?: string }): Promise<void> {
  await closeAppServices()
  await closeWebPrisma()
  process.env.REDIS_URL = urls.redis ?? testRedisUrl()
  process.env.DATABASE_URL = urls.database ?? t.db.url
  resetEnv()
}

function bounded<T>(p: Promise<T>): Promise<T | 'no answer'> {
  return Promise.race([p, new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), ANSWER_WITHIN_MS).unref())])
}

const targets: [string, () => Promise<string>][] = [
  ['a closed port', async () => `127.0.0.1:${await closedPort()}`],
  ['a server that never answers', async () => `127.0.0.1:${silentPort()}`],
]

describe('Redis unreachable', () => {
  it.each(targets)('run and cancel answer 503 naming Redis (%s)', async (_, target) => {
    await pointAt({ redis: `redis://${await target()}` })
    const res = await bounded(call(run.POST, { method: 'POST', headers: a.headers, params: { id: workflowId }, body: {} }))
    expect(res).not.toBe('no answer')
    const { status, json } = res as Awaited<ReturnType<typeof call>>
    expect(status).toBe(503)
    expect(json.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { dependency: 'redis' } })

    // The row written before the enqueue says what happened; a worker will not run it if the job lands later.
    const row = await t.db.prisma.execution.findFirstOrThrow({ where: { workflowId }, orderBy: { createdAt: 'desc' } })
    expect(row.status).toBe('failed')

    const queued = await t.db.prisma.execution.create({
      data: { tenantId: a.tenantId, workflowId, versionId: row.versionId, versionNumber: row.versionNumber, mode: 'manual', status: 'queued' },
    })
    const canceled = await bounded(call(cancel.POST, { method: 'POST', headers: a.headers, params: { id: queued.id } }))
    expect(canceled).not.toBe('no answer')
    expect((canceled as Awaited<ReturnType<typeof call>>).status).toBe(503)

    const health = await bounded(call(ready.GET, {}))
    expect((health as Awaited<ReturnType<typeof call>>).json).toEqual({ ok: false, postgres: true, redis: false })
  })
})

describe('access while Redis is unreachable', () => {
  it('reads every key and role from PostgreSQL, since no change can be heard', async () => {
    await pointAt({ redis: `redis://127.0.0.1:${await closedPort()}` })
    const b = await seedTenant(t.db.prisma, { name: 'B' })
    const list = () => bounded(call(workflows.GET, { headers: b.headers }))
    expect(await list()).toMatchObject({ status: 200 })
    await t.db.prisma.apiKey.updateMany({ where: { tenantId: b.tenantId }, data: { revokedAt: new Date() } })
    expect(await list()).toMatchObject({ status: 401 })
  })
})

describe('PostgreSQL unreachable', () => {
  it.each(targets)('an API call answers 503 naming PostgreSQL (%s)', async (_, target) => {
    await pointAt({ database: `postgresql://postgres@${await target()}/none` })
    const res = await bounded(call(workflows.GET, { headers: a.headers }))
    expect(res).not.toBe('no answer')
    const { status, json, res: response } = res as Awaited<ReturnType<typeof call>>
    expect(status).toBe(503)
    expect(json.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { dependency: 'postgres' } })
    expect(response.headers.get('retry-after')).toBe('5')

    const health = await bounded(call(ready.GET, {}))
    expect((health as Awaited<ReturnType<typeof call>>).json).toEqual({ ok: false, postgres: false, redis: true })
  })
})
