// The file store against real servers: metadata in PostgreSQL (tenant scoping, the execution's foreign key, the sweep)
// and bytes in an S3-compatible server (s3rver from npm, on 127.0.0.1), streamed as multipart uploads.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver'
import { createBlobStore } from '@/lib/files'
import { prismaFileIndex } from '@/lib/files/pg-index'
import { S3BlobStore } from '@/lib/files/s3-store'
import { FileService } from '@/lib/files/service'
import { createTestDatabase, seedTenant, type TestDatabase } from '../../helpers/db'

let db: TestDatabase
let s3: { close(): Promise<void> }
let endpoint: string
let dir: string
beforeAll(async () => {
  db = await createTestDatabase()
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's3rver-'))
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: !process.env.S3_DEBUG, directory: dir, configureBuckets: [{ name: 'auterity' }] })
  const addr = (await server.run()) as { port: number }
  s3 = server
  endpoint = `http://127.0.0.1:${addr.port}`
})
afterAll(async () => {
  await s3?.close()
  await db?.drop()
  await fs.rm(dir, { recursive: true, force: true })
})

function s3Store(prefix = 'files') {
  return new S3BlobStore({ bucket: 'auterity', prefix, endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, partSize: 5 * 1024 * 1024 })
}

async function execution(tenantId: string) {
  const wf = await db.prisma.workflow.create({ data: { tenantId, name: 'Files' } })
  const v = await db.prisma.workflowVersion.create({ data: { tenantId, workflowId: wf.id, number: 1, graph: { nodes: [], edges: [] } } })
  return db.prisma.execution.create({ data: { tenantId, workflowId: wf.id, versionId: v.id, versionNumber: 1, mode: 'manual' } })
}

async function sha(stream: Readable): Promise<{ hex: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of stream) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { hex: hash.digest('hex'), size }
}

/** `n` MiB of pseudo-random bytes, made as they are read. */
function randomSource(mib: number): Readable {
  let left = mib
  return new Readable({
    read() {
      this.push(left-- > 0 ? randomBytes(1024 * 1024) : null)
    },
  })
}

describe('the file store on S3 and PostgreSQL', () => {
  it('streams a 23 MiB file to S3 as a multipart upload and reads it back whole and by range', async () => {
    const tenant = await seedTenant(db.prisma)
    const exec = await execution(tenant.tenantId)
    const files = new FileService({ blobs: s3Store(), index: prismaFileIndex(db.prisma), maxFileBytes: 100 * 1024 * 1024 })
    const ref = await files.forRun({ tenantId: tenant.tenantId, executionId: exec.id }).write({ name: 'big.bin', data: randomSource(23) })
    expect(ref.size).toBe(23 * 1024 * 1024)
    const file = await files.forRun({ tenantId: tenant.tenantId, executionId: exec.id }).open(ref, 'file')
    expect(await sha(await file.stream())).toEqual({ hex: ref.sha256, size: ref.size })
    expect((await sha(await file.stream({ start: 10, end: 19 }))).size).toBe(10)
    const row = await db.prisma.file.findUnique({ where: { id: ref.$file } })
    expect(row).toMatchObject({ tenantId: tenant.tenantId, executionId: exec.id, storageKey: `${tenant.tenantId}/${ref.$file}`, size: BigInt(ref.size) })
    await files.close()
  })

  it('refuses a too-big stream on S3 without leaving an object or a row behind', async () => {
    const tenant = await seedTenant(db.prisma)
    const files = new FileService({ blobs: s3Store('capped'), index: prismaFileIndex(db.prisma), maxFileBytes: 6 * 1024 * 1024 })
    const err = await files.scoped({ tenantId: tenant.tenantId, executionId: null }).write({ name: 'x.bin', data: randomSource(12) }).catch((e) => e)
    expect(err.code).toBe('FILE_TOO_LARGE')
    expect(await db.prisma.file.count({ where: { tenantId: tenant.tenantId } })).toBe(0)
    const left = await fs.readdir(path.join(dir, 'auterity'), { recursive: true }).catch(() => [] as string[])
    expect(left.filter((p) => p.startsWith('capped/') && !p.endsWith('_S3rver_metadata.json') && !p.endsWith('.dummy'))).toEqual([])
    await files.close()
  })

  it("scopes reads to the tenant in PostgreSQL: another tenant's reference is not found", async () => {
    const a = await seedTenant(db.prisma)
    const b = await seedTenant(db.prisma)
    const files = new FileService({ blobs: s3Store(), index: prismaFileIndex(db.prisma), maxFileBytes: 1024 })
    const ref = await files.scoped({ tenantId: a.tenantId, executionId: null }).write({ name: 'a.txt', data: 'for a' })
    const err = await files.scoped({ tenantId: b.tenantId, executionId: null }).open(ref, 'file').catch((e) => e)
    expect(err).toMatchObject({ code: 'FILE_NOT_FOUND', field: 'file' })
    expect(await files.get(b.tenantId, ref.$file)).toBeUndefined()
    expect((await files.get(a.tenantId, ref.$file))?.name).toBe('a.txt')
    await files.close()
  })

  it('deleting an execution detaches its files and the sweep then removes rows and bytes; uploads wait for their TTL', async () => {
    const tenant = await seedTenant(db.prisma)
    const exec = await execution(tenant.tenantId)
    const blobs = s3Store('sweep')
    const files = new FileService({ blobs, index: prismaFileIndex(db.prisma), maxFileBytes: 1024 })
    const kept = await files.forRun({ tenantId: tenant.tenantId, executionId: exec.id }).write({ name: 'run.txt', data: 'of the run' })
    const upload = await files.scoped({ tenantId: tenant.tenantId, executionId: null }).write({ name: 'up.txt', data: 'waiting' })
    await db.prisma.execution.delete({ where: { id: exec.id } })
    expect((await db.prisma.file.findUnique({ where: { id: kept.$file } }))?.executionId).toBeNull()
    expect(await files.sweep()).toBe(1)
    expect(await db.prisma.file.findUnique({ where: { id: kept.$file } })).toBeNull()
    await expect(blobs.get(`${tenant.tenantId}/${kept.$file}`)).rejects.toThrow(/key does not exist/)
    expect(await files.get(tenant.tenantId, upload.$file)).toBeDefined()
    // The database is shared by this file's tests: the sweep may take their expired uploads too.
    expect(await files.sweep(new Date(Date.now() + 2 * 3600_000))).toBeGreaterThanOrEqual(1)
    expect(await db.prisma.file.count({ where: { tenantId: tenant.tenantId } })).toBe(0)
    await files.close()
  })

  it('chooses the store from configuration', () => {
    expect(createBlobStore({ dataDir: '/srv/data' }).description).toBe('local /srv/data/files')
    expect(createBlobStore({ dataDir: '/x', url: 'file:///mnt/files' }).description).toBe('local /mnt/files')
    expect(createBlobStore({ dataDir: '/x', url: 's3://bucket/a/b?endpoint=http://127.0.0.1:9000' }).description).toBe('s3 bucket/a/b')
    expect(() => createBlobStore({ dataDir: '/x', url: 'ftp://host/x' })).toThrow('AUTERITY_FILES_URL')
  })
})
