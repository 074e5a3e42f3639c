// Archives from outside: bombs, names that climb out, damaged files and other workspaces' files each fail the step
// with a clear error, nothing is left half-unpacked in the store, and the process goes on (an unheard 'error' event
// would end it, and vitest fails a run on any uncaught error).
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { declareSize, gzipOfZeros, patchBytes, sha256, zipBuffer } from '@/tests/helpers/archives'
import { memoryFilesPerTest, type MemoryFiles } from '@/tests/helpers/files-per-test'

const store = memoryFilesPerTest()

const runOf = (files: MemoryFiles, tenantId = 't-1') => files.forRun({ tenantId, executionId: 'exec-1' })

/** Runs one compression step on `input`; returns its error (undefined when it succeeded) and how many files the store holds. */
async function step(files: MemoryFiles, params: Record<string, unknown>, input: Record<string, unknown>[]) {
  const flow = await runFlow([{ id: 'step', type: 'compression', params }], input, { services: { files } })
  return { flow, error: flow.result.steps.step?.error, stored: files.index.records.size }
}

/** Decompresses `bytes` stored as `name`: the step's error and whether the store gained any file. */
async function unpack(bytes: Buffer, params: Record<string, unknown> = {}, name = 'upload.zip', files = store()) {
  const archive = await runOf(files).write({ name, data: bytes })
  const before = files.index.records.size
  const { error, stored, flow } = await step(files, { operation: 'decompress', ...params }, [{ file: archive }])
  return { error, added: stored - before, flow, files }
}

describe('compression: zip bombs', () => {
  it('refuses an entry that would grow more than maxRatio times, from its header, before unpacking anything', async () => {
    const bomb = await zipBuffer([{ name: 'zeros.bin', data: Buffer.alloc(20 * 1024 * 1024) }])
    expect(bomb.length).toBeLessThan(100_000)
    const { error, added } = await unpack(bomb)
    expect(error).toMatchObject({ code: 'ARCHIVE_TOO_LARGE', field: 'file', details: { item: 0, entry: 'zeros.bin', limit: 'maxRatio' } })
    expect(error?.message).toContain('"zeros.bin"')
    expect(added).toBe(0)
  })

  it('refuses an archive whose entries declare more than maxTotalMb together, and one entry above the store\'s cap for one file', async () => {
    // Zeros under 1 MB each: small archives, below the size where the ratio is checked.
    const twoEntries = await zipBuffer([
      { name: 'a.bin', data: Buffer.alloc(700 * 1024) },
      { name: 'b.bin', data: Buffer.alloc(700 * 1024) },
    ])
    const total = await unpack(twoEntries, { maxTotalMb: 1 })
    expect(total.error).toMatchObject({ code: 'ARCHIVE_TOO_LARGE', details: { entry: 'b.bin', limit: 'maxTotalMb' } })
    expect(total.added).toBe(0)
    const small = store({ maxFileBytes: 600 * 1024 })
    const perFile = await unpack(twoEntries, {}, 'upload.zip', small)
    expect(perFile.error).toMatchObject({ code: 'ARCHIVE_TOO_LARGE', details: { entry: 'a.bin', limit: 'maxFileBytes' } })
    expect(perFile.added).toBe(0)
  })

  it('refuses an archive with more than maxEntries entries', async () => {
    const many = await zipBuffer(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.txt`, data: `${i}` })))
    const { error, added } = await unpack(many, { maxEntries: 10 })
    expect(error).toMatchObject({ code: 'ARCHIVE_TOO_LARGE', details: { limit: 'maxEntries' } })
    expect(error?.message).toContain('20 entries')
    expect(added).toBe(0)
    expect((await unpack(many, { maxEntries: 20 })).added).toBe(20)
  })

  it('stops an entry that inflates past the size its header declares (yauzl validates entry sizes), keeping nothing of it', async () => {
    const honest = await zipBuffer([{ name: 'liar.bin', data: Buffer.alloc(2 * 1024 * 1024) }])
    const liar = declareSize(honest, 1000)
    const { error, added } = await unpack(liar)
    expect(error).toMatchObject({ code: 'ARCHIVE_TOO_LARGE', details: { entry: 'liar.bin', limit: 'declaredSize' } })
    expect(error?.message).toContain('1000 bytes its header declares')
    expect(added).toBe(0)
  })

  it('stops a gzip bomb (2 MB that inflate to 2 GiB) by counting what it inflates, at maxRatio and at maxTotalMb', { timeout: 60_000 }, async () => {
    const bomb = gzipOfZeros(2048)
    expect(bomb.length).toBeLessThan(3 * 1024 * 1024)
    const byRatio = await unpack(bomb, {}, 'bomb.gz')
    expect(byRatio.error).toMatchObject({ code: 'ARCHIVE_TOO_LARGE', field: 'file', details: { limit: 'maxRatio' } })
    expect(byRatio.added).toBe(0)
    const byTotal = await unpack(bomb, { maxRatio: 100_000, maxTotalMb: 50 }, 'bomb.gz')
    expect(byTotal.error).toMatchObject({ code: 'ARCHIVE_TOO_LARGE', details: { limit: 'maxTotalMb' } })
    expect(byTotal.added).toBe(0)
    const allowed = await unpack(gzipOfZeros(3), { maxRatio: 100_000 }, 'small.gz')
    expect(allowed.error).toBeUndefined()
    expect(allowed.added).toBe(1)
  })
})

describe('compression: entry names', () => {
  it.each([
    ['../evil.txt', 'xx/evil.txt', 'climbs out'],
    ['a/../../evil.txt', 'a/xx/xx/evil.txt', 'climbs out'],
    ['..\\evil.txt', 'xxxevil.txt', 'climbs out'],
    ['/etc/passwd', 'xetc/passwd', 'absolute'],
    ['C:/win.ini', 'xx/win.ini', 'absolute'],
    ['a\u0000b.txt', 'axb.txt', 'control characters'],
  ])('refuses the archive when an entry is named %j, naming the entry, writing nothing', async (evil, placeholder, why) => {
    const zip = patchBytes(await zipBuffer([{ name: 'ok.txt', data: 'fine' }, { name: placeholder, data: 'evil' }]), placeholder, evil)
    const { error, added } = await unpack(zip)
    expect(error).toMatchObject({ code: 'UNSAFE_ARCHIVE_PATH', field: 'file', details: { item: 0, entry: evil } })
    expect(error?.message).toContain(why)
    expect(added).toBe(0)
  })

  it('reads backslashes as folders (as Windows tools write them) and gives a clean path', async () => {
    const zip = patchBytes(await zipBuffer([{ name: 'dir/sub/a.txt', data: 'A' }]), 'dir/sub/a.txt', 'dir\\sub\\a.txt')
    const { error, flow } = await unpack(zip)
    expect(error).toBeUndefined()
    expect((await flow.output('step')).map((i) => i.path)).toEqual(['dir/sub/a.txt'])
  })

  it('refuses an unsafe pathField when compressing', async () => {
    const files = store()
    const ref = await runOf(files).write({ name: 'a.txt', data: 'A' })
    const { error } = await step(files, { pathField: 'path' }, [{ file: ref, path: '../../etc/cron.d/x' }])
    expect(error).toMatchObject({ code: 'UNSAFE_ARCHIVE_PATH', field: 'pathField' })
  })
})

describe('compression: damaged archives and files it may not read', () => {
  const good = () => zipBuffer([{ name: 'a.txt', data: 'x'.repeat(10_000) }])
  it.each([
    ['random bytes', async () => randomBytes(5000), 'upload.zip'],
    ['a zip cut short', async () => (await good()).subarray(0, 60), 'upload.zip'],
    ['a zip with damaged deflate data', async () => (await good()).fill(0xff, 40, 60), 'upload.zip'],
    ['a gzip cut short', async () => gzipOfZeros(1).subarray(0, 500), 'x.gz'],
    ['a gzip with a damaged body', async () => Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), randomBytes(300)]), 'x.gz'],
    ['an empty file', async () => Buffer.alloc(0), 'empty.zip'],
  ])('fails %s with INVALID_FILE naming the field, and the next run works', async (_what, make, name) => {
    const files = store()
    const { error, added } = await unpack(await make(), {}, name, files)
    expect(error).toMatchObject({ code: 'INVALID_FILE', field: 'file', details: { item: 0 } })
    expect(added).toBe(0)
    const next = await unpack(await good(), {}, 'good.zip', files)
    expect(next.error).toBeUndefined()
    expect((await next.flow.output('step'))[0]).toMatchObject({ path: 'a.txt', file: { sha256: sha256('x'.repeat(10_000)) } })
  })

  it.each([
    ['decompress', { operation: 'decompress' }],
    ['compress zip', {}],
    ['compress gzip', { format: 'gzip' }],
  ])("%s: another workspace's file fails with FILE_NOT_FOUND naming the field, reading nothing", async (_what, params) => {
    const files = store()
    const theirs = await runOf(files, 't-2').write({ name: 'secret.zip', data: await good() })
    const { error, stored } = await step(files, { fields: ['attachment'], ...params }, [{ attachment: theirs }])
    expect(error).toMatchObject({ code: 'FILE_NOT_FOUND', field: 'attachment' })
    expect(stored).toBe(1)
  })

  it('fails an item without the file field with NOT_A_FILE, and a field holding no file reference likewise', async () => {
    const files = store()
    expect((await step(files, {}, [{ other: 1 }])).error).toMatchObject({ code: 'NOT_A_FILE', field: 'file', details: { item: 0 } })
    expect((await step(files, { operation: 'decompress' }, [{ file: 'not a file' }])).error).toMatchObject({ code: 'NOT_A_FILE', field: 'file' })
  })

  it('fails cleanly when the archive being written passes the store\'s cap or a file\'s bytes are gone, and the next run works', async () => {
    const files = store({ maxFileBytes: 100 * 1024 })
    const run = runOf(files)
    const refs = [await run.write({ name: 'a.bin', data: randomBytes(80 * 1024) }), await run.write({ name: 'b.bin', data: randomBytes(80 * 1024) })]
    const tooBig = await step(files, {}, [{ file: refs }])
    expect(tooBig.error).toMatchObject({ code: 'FILE_TOO_LARGE' })
    expect(tooBig.stored).toBe(2)
    await fs.rm(path.join(files.root, 't-1', refs[1].$file))
    const gone = await step(files, { format: 'gzip' }, [{ file: refs[1] }])
    expect(gone.error?.message).toContain('ENOENT')
    const lost = await step(files, {}, [{ file: [refs[0], refs[1]] }])
    expect(lost.error?.message).toContain('ENOENT')
    expect(lost.stored).toBe(2)
    const ok = await step(files, {}, [{ file: refs[0] }])
    expect(ok.error).toBeUndefined()
    expect(ok.stored).toBe(3)
  })

  it('refuses to pack more than maxEntries files into one archive', async () => {
    const files = store()
    const run = runOf(files)
    const refs = [await run.write({ name: 'a.txt', data: 'a' }), await run.write({ name: 'b.txt', data: 'b' })]
    const { error, stored } = await step(files, { combine: 'allItems', maxEntries: 1 }, [{ file: refs[0] }, { file: refs[1] }])
    expect(error).toMatchObject({ code: 'ARCHIVE_TOO_LARGE', details: { item: 1, limit: 'maxEntries' } })
    expect(stored).toBe(2)
    const flow = await runFlow([{ id: 'z', type: 'compression', params: { combine: 'allItems' } }], numbered(0), { services: { files } })
    expect(await flow.output('z')).toEqual([])
  })
})
