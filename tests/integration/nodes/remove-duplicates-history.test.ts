// Remove Duplicates with history "workflow" against the real PostgreSQL: keys passed on by one run are dropped by
// the next, a retried or re-delivered execution passes its own items again, the history is trimmed to its size,
// and tenants and nodes do not see each other's keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Item } from '@/lib/engine/types'
import type { HostServices } from '@/lib/nodes/host-services'
import { prismaDedupeHistory } from '@/lib/services/dedupe-history'
import { deleteWorkflow } from '@/lib/services/workflows'
import { createTestDatabase, testRedisUrl, type TestDatabase } from '../../helpers/db'
import { createRedis } from '@/lib/redis'
import { memoryFiles } from '../../helpers/files'
import { numbered, runFlow } from '../../unit/nodes/flow'

let db: TestDatabase
let services: Partial<HostServices>
beforeAll(async () => {
  db = await createTestDatabase()
  services = { dedupeHistory: prismaDedupeHistory(db.prisma) }
})
afterAll(async () => {
  await db.drop()
})

const node = (params: Record<string, unknown> = {}, id = 'dedupe') => ({
  id,
  type: 'remove-duplicates',
  params: { compare: 'selectedFields', fields: ['email'], history: 'workflow', ...params },
})

async function emails(input: Item[] | AsyncIterable<Item[]>, ids: { executionId: string; tenantId?: string; workflowId?: string }, params = {}, pageSize?: number) {
  const flow = await runFlow([node(params)], input, { services, ids, pageSize })
  expect(flow.result.status).toBe('succeeded')
  return (await flow.output('dedupe')).map((x) => x.email)
}

const people = (...names: string[]) => names.map((n) => ({ email: `${n}@x.io` }))

describe('remove-duplicates across runs', () => {
  it('drops in a later run what an earlier run passed on, and duplicates within the run', async () => {
    expect(await emails(people('a', 'b', 'a'), { executionId: 'run-1' })).toEqual(['a@x.io', 'b@x.io'])
    expect(await emails(people('b', 'c', 'c', 'a', 'd'), { executionId: 'run-2' })).toEqual(['c@x.io', 'd@x.io'])
  })

  it('passes the same items again when the same execution runs again (retry or re-delivery)', async () => {
    expect(await emails(people('r1', 'r2'), { executionId: 'run-r' })).toEqual(['r1@x.io', 'r2@x.io'])
    expect(await emails(people('r1', 'r2', 'r3'), { executionId: 'run-r' })).toEqual(['r1@x.io', 'r2@x.io', 'r3@x.io'])
    expect(await emails(people('r1', 'r3'), { executionId: 'run-s' })).toEqual([])
  })

  it('keeps separate histories per tenant, per workflow and per node', async () => {
    expect(await emails(people('t'), { executionId: 'run-t1', tenantId: 'tenant-a' })).toEqual(['t@x.io'])
    expect(await emails(people('t'), { executionId: 'run-t2', tenantId: 'tenant-b' })).toEqual(['t@x.io'])
    expect(await emails(people('t'), { executionId: 'run-t3', tenantId: 'tenant-b', workflowId: 'wf-other' })).toEqual(['t@x.io'])
    const flow = await runFlow([node({}, 'other-node')], people('t'), { services, ids: { executionId: 'run-t4', tenantId: 'tenant-b' } })
    expect((await flow.output('other-node')).map((x) => x.email)).toEqual(['t@x.io'])
  })

  it('remembers only the newest historySize keys', async () => {
    const ids = { executionId: 'run-h1', workflowId: 'wf-trim' }
    expect(await emails(people('h1', 'h2', 'h3'), ids, { historySize: 2 })).toEqual(['h1@x.io', 'h2@x.io', 'h3@x.io'])
    expect(await db.prisma.dedupeKey.count({ where: { scope: 'wf-trim:dedupe' } })).toBe(2)
    expect(await emails(people('h1', 'h2', 'h3'), { ...ids, executionId: 'run-h2' }, { historySize: 2 })).toEqual(['h1@x.io'])
  })

  it('claims page by page: 2,500 items, half seen before', async () => {
    const ids = { workflowId: 'wf-pages' }
    const first = await emails(numbered(1250, 1000, (i) => ({ email: `p${i}` })), { ...ids, executionId: 'run-p1' }, { historySize: 100_000 }, 1000)
    expect(first).toHaveLength(1250)
    const second = await emails(numbered(2500, 1000, (i) => ({ email: `p${i}` })), { ...ids, executionId: 'run-p2' }, { historySize: 100_000 }, 1000)
    expect(second).toEqual(Array.from({ length: 1250 }, (_, i) => `p${1250 + i}`))
  })

  it('fails clearly in a host without the history service', async () => {
    const flow = await runFlow([node()], people('x'), { ids: { executionId: 'run-x' } })
    expect(flow.result.error).toMatchObject({ code: 'DEDUPE_HISTORY_UNAVAILABLE', field: 'history', retryable: false })
  })

  it('forgets a workflow\'s keys when the workflow is deleted, and only that workflow\'s', async () => {
    const tenant = await db.prisma.tenant.create({ data: { name: 'Dedupe', slug: 'dedupe-delete' } })
    const [gone, kept] = await Promise.all(['gone', 'kept'].map((name) => db.prisma.workflow.create({ data: { tenantId: tenant.id, name } })))
    for (const wf of [gone, kept]) {
      expect(await emails(people('d1', 'd2'), { executionId: `run-${wf.name}`, tenantId: tenant.id, workflowId: wf.id })).toEqual(['d1@x.io', 'd2@x.io'])
    }
    const redis = createRedis(testRedisUrl())
    try {
      await deleteWorkflow({ prisma: db.prisma, redis }, memoryFiles(), tenant.id, gone.id)
    } finally {
      redis.disconnect()
    }
    expect(await db.prisma.dedupeKey.count({ where: { tenantId: tenant.id, scope: { startsWith: `${gone.id}:` } } })).toBe(0)
    expect(await db.prisma.dedupeKey.count({ where: { tenantId: tenant.id, scope: { startsWith: `${kept.id}:` } } })).toBe(2)
  })
})
