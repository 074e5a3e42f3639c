import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { NodeError } from '@/lib/engine/types'
import { cleanFileName, guessMimeType } from '@/lib/files/service'
import { findFileRefs, isFileRef, previewKind } from '@/lib/files/ref'
import { memoryFilesPerTest } from '../../helpers/files-per-test'

const store = memoryFilesPerTest()

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

describe('the file store', () => {
  it('writes a file under its tenant and reads it back by reference, with size, type and hash from the store', async () => {
    const files = store()
    const run = files.forRun({ tenantId: 'tenant-a', executionId: 'exec-1' })
    const ref = await run.write({ name: 'hello.txt', data: 'héllo' })
    expect(isFileRef(ref)).toBe(true)
    expect(ref).toMatchObject({ name: 'hello.txt', mimeType: 'text/plain', size: Buffer.byteLength('héllo') })
    expect(ref.sha256).toBe(createHash('sha256').update('héllo').digest('hex'))
    const opened = await run.open(ref, 'file')
    expect(await text(await opened.stream())).toBe('héllo')
    expect(await text(await opened.stream({ start: 1, end: 2 }))).toBe('é')
    // What the item claims about the file does not matter: the store's own record does.
    const forged = await run.open({ ...ref, size: 1, name: 'other.exe' }, 'file')
    expect(forged.ref).toEqual(ref)
    expect(await fs.readFile(path.join(files.root, 'tenant-a', ref.$file), 'utf8')).toBe('héllo')
  })

  it('streams a source it never holds whole, and refuses a file past the cap without leaving anything behind', async () => {
    const files = store({ maxFileBytes: 1000 })
    const run = files.forRun({ tenantId: 't', executionId: 'e' })
    async function* chunks(n: number) {
      for (let i = 0; i < n; i++) yield Buffer.alloc(100, 'x')
    }
    const ok = await run.write({ name: 'ok.bin', data: chunks(10) })
    expect(ok.size).toBe(1000)
    const err = await run.write({ name: 'big.bin', data: chunks(11) }).catch((e) => e)
    expect(err).toBeInstanceOf(NodeError)
    expect(err.code).toBe('FILE_TOO_LARGE')
    expect(files.index.records.size).toBe(1)
    expect(await fs.readdir(path.join(files.root, 't'))).toEqual([ok.$file])
    expect(await fs.readdir(path.join(files.root, '.tmp'))).toEqual([])
    const own = await run.write({ name: 'entry.bin', data: chunks(3), maxBytes: 250 }).catch((e) => e)
    expect(own.code).toBe('FILE_TOO_LARGE')
  })

  it("reads nothing of another tenant's file: its reference fails as not found, naming the field", async () => {
    const files = store()
    const ref = await files.forRun({ tenantId: 'tenant-a', executionId: 'e1' }).write({ name: 'secret.txt', data: 'tenant a only' })
    const other = files.forRun({ tenantId: 'tenant-b', executionId: 'e2' })
    for (const value of [ref, ref.$file]) {
      const err = await other.open(value, 'attachment').catch((e) => e)
      expect(err).toMatchObject({ code: 'FILE_NOT_FOUND', field: 'attachment' })
      expect(err.message).toContain('"attachment"')
    }
    expect(await other.readBytes(ref, { field: 'attachment', maxBytes: 100 }).catch((e) => e.code)).toBe('FILE_NOT_FOUND')
  })

  it.each([
    ['a string that is no file id', 'hello'],
    ['a path', '../tenant-a/f_abc'],
    ['an object without $file', { name: 'x.txt' }],
    ['a number', 42],
  ])('refuses %s where a file is expected with NOT_A_FILE', async (_, value) => {
    const files = store()
    const err = await files.forRun({ tenantId: 't', executionId: 'e' }).open(value, 'data').catch((e) => e)
    expect(err).toMatchObject({ code: 'NOT_A_FILE', field: 'data' })
  })

  it('reads a small file whole, and refuses one over the caller’s limit before reading it', async () => {
    const files = store()
    const run = files.forRun({ tenantId: 't', executionId: 'e' })
    const ref = await run.write({ name: 'data.json', data: Buffer.from('{"a":1}') })
    expect(ref.mimeType).toBe('application/json')
    expect((await run.readBytes(ref, { field: 'f', maxBytes: 100 })).bytes.toString()).toBe('{"a":1}')
    expect(await run.readBytes(ref, { field: 'f', maxBytes: 3 }).catch((e) => e.code)).toBe('FILE_TOO_LARGE')
  })

  it('deletes the files of deleted executions, keeps unattached uploads until they expire, and sweeps them after', async () => {
    const files = store()
    const a = await files.forRun({ tenantId: 't', executionId: 'e1' }).write({ name: 'a.txt', data: 'a' })
    const b = await files.forRun({ tenantId: 't', executionId: 'e2' }).write({ name: 'b.txt', data: 'b' })
    const upload = await files.scoped({ tenantId: 't', executionId: null }).write({ name: 'c.txt', data: 'c' })
    expect(await files.deleteForExecutions('other-tenant', ['e1'])).toBe(0)
    expect(await files.deleteForExecutions('t', ['e1'])).toBe(1)
    expect(await files.get('t', a.$file)).toBeUndefined()
    expect(await files.sweep()).toBe(0)
    await files.attach('t', [upload.$file], 'e3')
    expect((await files.get('t', upload.$file))?.executionId).toBe('e3')
    const temp = await files.scoped({ tenantId: 't', executionId: null }).write({ name: 'd.txt', data: 'd' })
    expect(await files.sweep(new Date(Date.now() + 2 * 3600_000))).toBe(1)
    expect(await files.get('t', temp.$file)).toBeUndefined()
    expect(await fs.readdir(path.join(files.root, 't'))).toEqual(expect.arrayContaining([b.$file, upload.$file]))
    expect(await fs.readdir(path.join(files.root, 't'))).toHaveLength(2)
  })

  it('fails a write whose source fails, leaving no record', async () => {
    const files = store()
    const source = new Readable({ read() {} })
    const pending = files.forRun({ tenantId: 't', executionId: 'e' }).write({ name: 'x', data: source })
    source.push('partial')
    source.destroy(new Error('client went away'))
    await expect(pending).rejects.toThrow('client went away')
    expect(files.index.records.size).toBe(0)
  })
})

describe('file references and names', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\a\\report.pdf', 'report.pdf'],
    ['..', 'file'],
    ['', 'file'],
    ['bad\u0000name\n.txt', 'badname.txt'],
  ])('cleans %j to %j', (raw, clean) => expect(cleanFileName(raw)).toBe(clean))

  it('guesses types from names and says which can be previewed', () => {
    expect(guessMimeType('a.png')).toBe('image/png')
    expect(guessMimeType('a.unknownext')).toBe('application/octet-stream')
    expect(previewKind('image/png')).toBe('image')
    expect(previewKind('image/svg+xml')).toBeUndefined()
    expect(previewKind('application/json; charset=utf-8')).toBe('json')
    expect(previewKind('text/csv')).toBe('text')
    expect(previewKind('text/html')).toBe('text')
    expect(previewKind('application/zip')).toBeUndefined()
  })

  it('finds references nested in items, and only well-formed ones', () => {
    const ref = { $file: 'f_abcdefghijklmnopqrstuvwx', name: 'a.txt', mimeType: 'text/plain', size: 1 }
    expect(findFileRefs({ a: { b: [ref, { $file: 'nope', name: 'x', mimeType: 'y', size: 1 }] }, c: ref })).toEqual([ref, ref])
  })
})

describe('removing files by id', () => {
  it("removes the tenant's own files at once and leaves another tenant's alone", async () => {
    const files = store()
    const mine = await files.scoped({ tenantId: 'a', executionId: null }).write({ name: 'a.txt', data: 'a' })
    const theirs = await files.scoped({ tenantId: 'b', executionId: null }).write({ name: 'b.txt', data: 'b' })
    expect(await files.remove('a', [mine.$file, theirs.$file])).toBe(1)
    expect(await files.get('a', mine.$file)).toBeUndefined()
    expect(await files.get('b', theirs.$file)).toBeDefined()
    expect(await fs.readdir(path.join(files.root, 'a'))).toEqual([])
  })
})
