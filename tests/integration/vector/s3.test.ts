// Collections in S3-compatible object storage (AUTERITY_VECTOR_URI=s3://bucket/prefix): LanceDB writes and reads its
// tables through the endpoint given in the S3 settings. s3rver (npm) plays the object store on 127.0.0.1.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver'
import { tenant, vectorBed, type VectorBed } from './setup'

let server: { run(): Promise<AddressInfo>; close(): Promise<void> }
let dir: string
let bed: VectorBed

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's3rver-vectors-'))
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'vectors' }] })
  const addr = await server.run()
  bed = await vectorBed({ uri: 's3://vectors/collections', s3: { endpoint: `http://127.0.0.1:${addr.port}`, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } })
})
afterAll(async () => {
  await bed?.teardown()
  await server?.close()
  await fs.rm(dir, { recursive: true, force: true })
})

async function objects(prefix: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (d: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) await walk(p)
      else out.push(path.relative(dir, p))
    }
  }
  await walk(path.join(dir, prefix))
  return out
}

describe('collections in S3-compatible storage', () => {
  it('ingests into the bucket and searches by meaning and by keyword, a second host on the same bucket included', async () => {
    const scope = tenant()
    await bed.host.createCollection(scope, { name: 'kb', embedding: 'emb', dimension: 64 })
    await bed.host.ingest(scope, 'kb', [
      { key: 'a', text: 'The harbor ferry leaves at dawn for the island.' },
      { key: 'b', text: 'Our volcano tour climbs the crater in the afternoon.' },
    ])
    expect((await objects('vectors/collections')).length).toBeGreaterThan(0)
    const vector = await bed.host.search(scope, 'kb', { query: 'ferry to the island', mode: 'vector', topK: 1 })
    expect(vector.hits.map((h) => h.documentKey)).toEqual(['a'])
    // Another host (another process) on the same bucket: s3rver lists no table folders, so it opens the table by name.
    const other = bed.another()
    const keyword = await other.search(scope, 'kb', { query: 'crater', mode: 'keyword' })
    expect(keyword.hits.map((h) => h.documentKey)).toEqual(['b'])
  })
})
