// Two hosts on one folder and one database, as a web process and a worker are: each sees the other's writes at
// once, and concurrent ingests into one collection (each adding its own metadata field) all land.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VectorHostWithClose } from '../../../lib/vector/host'
import { tenant, vectorBed, type VectorBed } from './setup'

let bed: VectorBed
let web: VectorHostWithClose
let worker: VectorHostWithClose
const scope = tenant()

beforeAll(async () => {
  bed = await vectorBed()
  web = bed.host
  worker = bed.another()
})
afterAll(async () => {
  await bed?.teardown()
})

describe('two hosts on one folder', () => {
  it('each sees what the other wrote, including after it already had the table open', async () => {
    await web.createCollection(scope, { name: 'shared', embedding: 'fake-embed' })
    await web.ingest(scope, 'shared', [{ key: 'a', text: 'Written by the web process about apples.' }])
    expect((await worker.search(scope, 'shared', { query: 'apples', mode: 'keyword' })).hits.map((h) => h.documentKey)).toEqual(['a'])
    await worker.ingest(scope, 'shared', [{ key: 'b', text: 'Written by the worker about bananas.' }])
    // The web host opened the table before the worker wrote: it reads the latest version all the same.
    expect((await web.search(scope, 'shared', { query: 'bananas', mode: 'keyword' })).hits.map((h) => h.documentKey)).toEqual(['b'])
    expect((await web.search(scope, 'shared', { query: 'written', mode: 'vector', topK: 5 })).hits).toHaveLength(2)
    await worker.delete(scope, 'shared', { keys: ['a'] })
    expect((await web.search(scope, 'shared', { query: 'apples', mode: 'keyword' })).hits).toEqual([])
  })

  it('lands concurrent ingests from both into one collection, with both new fields', async () => {
    const batch = (who: string, field: string) =>
      Array.from({ length: 12 }, (_, i) => ({ key: `${who}-${i}`, text: `${who} note ${i} about item${i}.`, metadata: { [field]: i } }))
    const rounds = [0, 1, 2].map((r) => Promise.all([web.ingest(scope, 'shared', batch(`web${r}`, `webField${r}`)), worker.ingest(scope, 'shared', batch(`worker${r}`, `workerField${r}`))]))
    const results = (await Promise.all(rounds)).flat(2)
    expect(results).toHaveLength(72)
    expect(results.every((r) => r.status === 'added')).toBe(true)
    const info = await web.getCollection(scope, 'shared')
    expect(info).toMatchObject({ documentCount: 73, chunkCount: 73 })
    expect(Object.keys(info!.fields).sort()).toEqual(['webField0', 'webField1', 'webField2', 'workerField0', 'workerField1', 'workerField2'])
    const hits = await worker.search(scope, 'shared', { query: 'note', mode: 'keyword', topK: 100, filter: { workerField1: { gte: 6 } } })
    expect(hits.hits.map((h) => h.documentKey).sort()).toEqual(['worker1-10', 'worker1-11', 'worker1-6', 'worker1-7', 'worker1-8', 'worker1-9'])
  })

  it('creates one collection when both ingest into it with create at once', async () => {
    const s = tenant()
    const create = { embedding: 'fake-embed' }
    const [x, y] = await Promise.all([web.ingest(s, 'fresh', [{ key: 'x', text: 'From the web.' }], { create }), worker.ingest(s, 'fresh', [{ key: 'y', text: 'From the worker.' }], { create })])
    expect([x[0].status, y[0].status]).toEqual(['added', 'added'])
    expect((await web.listCollections(s)).map((c) => [c.name, c.documentCount])).toEqual([['fresh', 2]])
    expect((await worker.search(s, 'fresh', { query: 'from', mode: 'keyword', topK: 5 })).hits.map((h) => h.documentKey).sort()).toEqual(['x', 'y'])
  })
})
