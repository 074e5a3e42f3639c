// The PostgreSQL ItemStore: pages, counts, clear, API paging across page boundaries, copying for re-runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../helpers/db'
import { PgItemStore, copyOutputs, readOutputPage } from '../../../lib/services/pg-item-store'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db.drop()
})

const items = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ i: from + i }))

async function collect(store: PgItemStore, nodeId: string, port: string) {
  const out: unknown[] = []
  for await (const page of store.pages(nodeId, port)) out.push(...page)
  return out
}

describe('PgItemStore', () => {
  it('stores outputs in pages and reads them back in order', async () => {
    const store = new PgItemStore(db.prisma, 'e1', 4)
    await store.append('a', 'main', items(0, 10))
    await store.append('a', 'main', items(10, 3))
    await store.append('a', 'error', items(100, 1))
    await store.flushAll()
    expect(await store.count('a', 'main')).toBe(13)
    expect(await collect(store, 'a', 'main')).toEqual(items(0, 13))
    expect(await db.prisma.stepOutputPage.count({ where: { executionId: 'e1', nodeId: 'a', port: 'main' } })).toBe(4)
    expect(await collect(new PgItemStore(db.prisma, 'e1', 4), 'a', 'error')).toEqual(items(100, 1))
  })

  it('serves a fresh run from memory while writing every page', async () => {
    const store = new PgItemStore(db.prisma, 'e7', 2, true)
    await store.append('a', 'main', items(0, 5))
    expect(await store.count('a', 'main')).toBe(5)
    expect(await collect(store, 'a', 'main')).toEqual(items(0, 5))
    expect(store.takePending('a')).toEqual([])
    expect(await collect(new PgItemStore(db.prisma, 'e7', 2), 'a', 'main')).toEqual(items(0, 5))
  })

  it('holds back a small output until the step recorder takes it', async () => {
    const store = new PgItemStore(db.prisma, 'e8', 10, true)
    await store.append('a', 'main', items(0, 2))
    expect(await db.prisma.stepOutputPage.count({ where: { executionId: 'e8' } })).toBe(0)
    expect(await collect(store, 'a', 'main')).toEqual(items(0, 2))
    expect(store.takePending('a')).toEqual([{ nodeId: 'a', port: 'main', page: 0, count: 2, items: items(0, 2) }])
  })

  it('stores pages whose items hold U+0000 (as U+FFFD) instead of failing the write', async () => {
    const store = new PgItemStore(db.prisma, 'e9', 2)
    await store.append('a', 'main', [{ s: 'x\u0000y' }, { s: 'ok' }, { s: '\u0000' }])
    await store.flushAll()
    expect(await collect(new PgItemStore(db.prisma, 'e9', 2), 'a', 'main')).toEqual([{ s: 'x\ufffdy' }, { s: 'ok' }, { s: '\ufffd' }])
  })

  it('continues page numbers in a new store for the same execution (a redelivered run)', async () => {
    await new PgItemStore(db.prisma, 'e2', 2).append('a', 'main', items(0, 3))
    const again = new PgItemStore(db.prisma, 'e2', 2)
    await again.append('a', 'main', items(3, 2))
    await again.flushAll()
    expect(await collect(again, 'a', 'main')).toEqual(items(0, 5))
  })

  it('clears a step before it is retried', async () => {
    const store = new PgItemStore(db.prisma, 'e3', 2)
    await store.append('a', 'main', items(0, 3))
    await store.clear('a')
    await store.append('a', 'main', items(7, 1))
    await store.flushAll()
    expect(await collect(store, 'a', 'main')).toEqual([{ i: 7 }])
  })

  it.each([
    [0, 5, items(0, 5)],
    [1, 5, items(5, 5)],
    [2, 5, items(10, 3)],
    [3, 5, []],
    [1, 4, items(4, 4)],
  ])('serves API page %i of size %i across stored pages', async (page, size, expected) => {
    const store = new PgItemStore(db.prisma, 'e4', 3)
    if ((await store.count('a', 'main')) === 0) {
      await store.append('a', 'main', items(0, 13))
      await store.flushAll()
    }
    expect(await readOutputPage(db.prisma, 'e4', 'a', 'main', page, size)).toEqual({ items: expected, total: 13 })
  })

  it('copies settled outputs to a re-run', async () => {
    const store = new PgItemStore(db.prisma, 'e5', 2)
    await store.append('a', 'main', items(0, 3))
    await store.append('b', 'main', items(0, 1))
    await store.flushAll()
    await copyOutputs(db.prisma, 'e5', 'e6', ['a'])
    const copy = new PgItemStore(db.prisma, 'e6', 2)
    expect(await collect(copy, 'a', 'main')).toEqual(items(0, 3))
    expect(await copy.count('b', 'main')).toBe(0)
  })
})
