// Runs answered 202 whose jobs Redis then lost — a restart of a Redis that keeps nothing on disk, keys evicted under
// allkeys-lru — are found from PostgreSQL by the reconciler and finish. Our own redis-server on a free port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { offlineHostServices } from '../../helpers/host-services'
import { call, chain, node, waitFor } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as webhook from '../../../app/api/webhooks/[...path]/route'
import { appServices, closeAppServices } from '../../../lib/services/app'
import { startRedisServer, type RunningRedis } from '../../../lib/infra/redis-server'
import { freePort } from '../../../lib/infra/net'
import { tmpDataDir } from '../../../lib/infra/postgres'
import { createRedis, redisDurabilityWarnings, type Redis } from '../../../lib/redis'
import { startWorkerRuntime } from '../../../workers/runtime/worker-runtime'
import { nodeRegistry } from '../../../lib/nodes/registry'
import { getDecryptedCredential } from '../../../lib/credentials'

const NO_PERSISTENCE = ['--appendonly', 'no', '--save', '']
const RUNS = 20

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let server: RunningRedis
let port: number
let dataDir: string
let admin: Redis

beforeAll(async () => {
  port = await freePort()
  dataDir = tmpDataDir('auterity-redis-loss-')
  server = await startRedisServer(dataDir, port, NO_PERSISTENCE)
  t = await useTestEnv({ REDIS_URL: server.url })
  a = await seedTenant(t.db.prisma)
  admin = createRedis(server.url)
  admin.on('error', () => undefined) // refused while the server restarts; ioredis reconnects
})
afterAll(async () => {
  admin?.disconnect()
  await closeAppServices()
  await t?.teardown()
  await server?.stop()
})

async function acceptRuns(path: string): Promise<string[]> {
  const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: path, graph: chain(node.webhook(path), node.set('s', { done: true })), active: true } })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  const ids: string[] = []
  for (let i = 0; i < RUNS; i++) {
    const req = new Request(`http://localhost/api/webhooks/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }) })
    const res = await webhook.POST(req, { params: Promise.resolve({ path: [path] }) })
    expect(res.status).toBe(202)
    ids.push((await res.json()).executionId)
  }
  return ids
}

/** A worker with the reconciler on a short interval; resolves once every run succeeded, then stops the worker. */
async function runWorkerUntilDone(ids: string[]) {
  const worker = await startWorkerRuntime({
    prisma: t.db.prisma,
    redisUrl: server.url,
    queuePrefix: t.redis.prefix,
    registry: nodeRegistry,
    getCredential: getDecryptedCredential,
    services: offlineHostServices(),
    reconciler: { intervalMs: 200, queuedAfterMs: 500, lookbackHours: 1, maxDeliveries: 10 },
  })
  try {
    await waitFor(
      'every accepted run to finish',
      async () => (await t.db.prisma.execution.count({ where: { id: { in: ids }, status: 'succeeded' } })) === ids.length,
      30_000,
    )
  } finally {
    await worker.close()
  }
  const steps = await t.db.prisma.stepRun.groupBy({ by: ['executionId'], where: { executionId: { in: ids }, nodeId: 's' }, _count: true })
  expect(steps.map((s) => s._count)).toEqual(ids.map(() => 1))
}

const jobKey = (id: string) => `${t.redis.prefix}:executions:${id}`

describe('runs whose jobs Redis lost', () => {
  it('are what start-up warns about: a Redis keeping nothing on disk, one evicting keys', async () => {
    expect(await redisDurabilityWarnings(admin)).toEqual([expect.stringMatching(/keeps nothing on disk/)])
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru')
    await admin.config('SET', 'appendonly', 'yes')
    expect(await redisDurabilityWarnings(admin)).toEqual([expect.stringMatching(/maxmemory-policy is allkeys-lru/)])
    await admin.config('SET', 'maxmemory-policy', 'noeviction')
    await admin.config('SET', 'appendonly', 'no')
  })

  it('finish after a restart of a Redis that keeps nothing on disk', async () => {
    const ids = await acceptRuns('lost-on-restart')
    expect(await admin.exists(jobKey(ids[0]))).toBe(1)
    await server.stop()
    server = await startRedisServer(dataDir, port, NO_PERSISTENCE)
    expect(await admin.exists(...ids.map(jobKey))).toBe(0)
    await runWorkerUntilDone(ids)
  })

  it('finish after their job keys were evicted under allkeys-lru', async () => {
    // The web process's queue client fails fast while it reconnects after the previous test's restart (a 503).
    await waitFor('the web process to reach Redis again', () => appServices().queue.counts().then(() => true, () => false), 10_000)
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru')
    await admin.config('SET', 'maxmemory-samples', '10')
    const ids = await acceptRuns('lost-to-eviction')
    // Real eviction: a memory cap just above what is used, then newer data until the (older) job keys are gone.
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1])
    await admin.config('SET', 'maxmemory', String(used + 2 * 1024 * 1024))
    const filler = 'x'.repeat(64 * 1024)
    let n = 0
    while ((await admin.exists(...ids.map(jobKey))) > 0 && n < 2000) await admin.set(`filler:${n++}`, filler)
    expect(await admin.exists(...ids.map(jobKey))).toBe(0)
    expect(Number(/evicted_keys:(\d+)/.exec(await admin.info('stats'))![1])).toBeGreaterThan(0)
    // The pressure goes away (the filler is dropped); what was evicted stays lost.
    const left = await admin.keys('filler:*')
    if (left.length) await admin.del(...left)
    await admin.config('SET', 'maxmemory', '0')
    await runWorkerUntilDone(ids)
  })
})
