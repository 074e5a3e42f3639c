// PostgreSQL stopped and started again in the middle of a run: the worker's writes and its job's attempts fail while
// it is down, yet the run does not stay `running` forever — its lease expires and the reconciler resumes it — and a
// retry is accepted afterwards. Our own embedded PostgreSQL on a free port (the shared one must stay up).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestRedisPrefix, seedTenant, testRedisUrl, TEST_ENCRYPTION_KEY, TEST_NEXTAUTH_SECRET, type SeededTenant } from '../../helpers/db'
import { offlineHostServices } from '../../helpers/host-services'
import { call, chain, node, waitFor, waitForStatus } from './support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as retry from '../../../app/api/executions/[id]/retry/route'
import { closeAppServices } from '../../../lib/services/app'
import { closeWebPrisma, createPrisma, type PrismaClient } from '../../../lib/db/client'
import { migrate } from '../../../lib/db/migrate'
import { resetEnv } from '../../../lib/env'
import { freePort } from '../../../lib/infra/net'
import { ensureDatabase, startEmbeddedPostgres, tmpDataDir, withDatabase, type RunningPostgres } from '../../../lib/infra/postgres'
import { startWorkerRuntime, type RunningWorker } from '../../../workers/runtime/worker-runtime'
import { nodeRegistry } from '../../../lib/nodes/registry'
import { getDecryptedCredential } from '../../../lib/credentials'

let server: RunningPostgres
let dataDir: string
let port: number
let url: string
let prisma: PrismaClient
let worker: RunningWorker
let a: SeededTenant
const redis = createTestRedisPrefix()

beforeAll(async () => {
  dataDir = tmpDataDir('auterity-pg-outage-')
  port = await freePort()
  server = await startEmbeddedPostgres(dataDir, { port })
  await ensureDatabase(server.adminUrl, 'outage')
  url = withDatabase(server.adminUrl, 'outage')
  await migrate(url)
  Object.assign(process.env, {
    DATABASE_URL: url,
    REDIS_URL: testRedisUrl(),
    AUTERITY_QUEUE_PREFIX: redis.prefix,
    AUTERITY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    NEXTAUTH_SECRET: TEST_NEXTAUTH_SECRET,
    AUTERITY_HTTP_ALLOWLIST: '',
  })
  resetEnv()
  prisma = createPrisma(url, { max: 5 })
  a = await seedTenant(prisma)
  worker = await startWorkerRuntime({
    prisma,
    redisUrl: testRedisUrl(),
    queuePrefix: redis.prefix,
    registry: nodeRegistry,
    getCredential: getDecryptedCredential,
    services: offlineHostServices(),
    worker: { lockDurationMs: 2000, stalledIntervalMs: 1000 },
    leaseMs: 1500,
    reconciler: { intervalMs: 300, queuedAfterMs: 1000, lookbackHours: 1, maxDeliveries: 10 },
  })
}, 120_000)
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await closeWebPrisma()
  await prisma?.$disconnect()
  await redis.cleanup()
  await server?.stop()
})

describe('a PostgreSQL outage in the middle of a run', () => {
  it('ends the run (resumed once the database is back) and accepts a retry after', async () => {
    const created = await call(workflows.POST, {
      method: 'POST',
      headers: a.headers,
      body: { name: 'Outage', graph: chain(node.manual(), node.wait('pause', 1500), node.set('after', { ok: true })) },
    })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    const started = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: created.json.id }, body: {} })
    const executionId = started.json.executionId as string
    await waitFor('the wait step to run', async () => (await prisma.stepRun.findFirst({ where: { executionId, nodeId: 'pause', status: 'running' } })) !== null)

    await server.stop()
    // Down longer than the Wait, the job's three attempts (0.5 s and 1 s backoff) and the lease.
    await new Promise((r) => setTimeout(r, 5000))
    server = await startEmbeddedPostgres(dataDir, { port })

    const done = await waitForStatus(prisma, executionId, ['succeeded', 'failed', 'canceled'], 45_000)
    expect(done.status).toBe('succeeded')
    const steps = await prisma.stepRun.findMany({ where: { executionId, status: 'succeeded' }, select: { nodeId: true } })
    expect(steps.map((s) => s.nodeId).sort()).toEqual(['after', 'pause', 'trigger'])

    const again = await call(retry.POST, { method: 'POST', headers: a.headers, params: { id: executionId }, body: {} })
    expect(again.status, JSON.stringify(again.json)).toBe(202)
    expect((await waitForStatus(prisma, again.json.executionId, ['succeeded', 'failed'], 30_000)).status).toBe('succeeded')
  })
})
