import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Item } from '@/lib/engine/types'
import type { FileRef } from '@/lib/files/ref'
import { numbered, runFlow, type FlowNode } from '@/tests/unit/nodes/flow'
import { sha256, sha256Of, zeros, zipBuffer } from '@/tests/helpers/archives'
import { memoryFilesPerTest, type MemoryFiles } from '@/tests/helpers/files-per-test'
import { gunzippedName } from './gzip'

const store = memoryFilesPerTest()

/** The run's view of the store, as runFlow's default ids see it. */
const runOf = (files: MemoryFiles) => files.forRun({ tenantId: 't-1', executionId: 'exec-1' })

const compress = (params: Record<string, unknown> = {}, id = 'zip'): FlowNode => ({ id, type: 'compression', params })
const decompress = (params: Record<string, unknown> = {}, id = 'unzip'): FlowNode => ({ id, type: 'compression', params: { operation: 'decompress', ...params } })

async function bytesOf(files: MemoryFiles, ref: unknown): Promise<Buffer> {
  return (await runOf(files).readBytes(ref, { field: 'test', maxBytes: 50 * 1024 * 1024 })).bytes
}

async function succeeded(run: Awaited<ReturnType<typeof runFlow>>, node: string): Promise<Item[]> {
  expect(run.result.steps[node]?.error).toBeUndefined()
  expect(run.result.status).toBe('succeeded')
  return run.output(node)
}

describe('compression: zip', () => {
  it('zips the files of each item and unzips them to the same bytes and names, one item per file; names that come twice get a number', async () => {
    const files = store()
    const run = runOf(files)
    const binary = randomBytes(300_000)
    const a = await run.write({ name: 'notes.txt', data: 'hello zip' })
    const b = await run.write({ name: 'data.bin', data: binary })
    const again = await run.write({ name: 'NOTES.txt', data: 'same name, other case' })
    const flow = await runFlow([compress({ fields: ['mail.docs', 'extra'], fileName: '{{ $json.order }}.zip', outputField: 'archive' }), decompress({ fields: ['archive'] })], [
      { order: 'A-17', mail: { docs: [a, b] }, extra: again },
    ], { services: { files } })
    const [zipped] = await succeeded(flow, 'zip')
    expect(zipped).toMatchObject({ order: 'A-17', mail: { docs: [a, b] }, extra: again })
    expect(zipped.archive).toMatchObject({ name: 'A-17.zip', mimeType: 'application/zip' })
    const unzipped = await succeeded(flow, 'unzip')
    expect(unzipped.map((i) => i.path)).toEqual(['notes.txt', 'data.bin', 'NOTES (2).txt'])
    const refs = unzipped.map((i) => i.file as FileRef)
    expect(refs.map((r) => r.sha256)).toEqual([sha256('hello zip'), sha256(binary), sha256('same name, other case')])
    expect(refs.map((r) => [r.name, r.mimeType])).toEqual([['notes.txt', 'text/plain'], ['data.bin', 'application/octet-stream'], ['NOTES (2).txt', 'text/plain']])
    expect(await bytesOf(files, refs[1])).toEqual(binary)
  })

  it('reads nested paths and skips folders; packing them again with pathField keeps the folders', async () => {
    const files = store()
    const zip = await zipBuffer([
      { name: 'docs/', directory: true },
      { name: 'docs/a.txt', data: 'A' },
      { name: 'docs/img/b.bin', data: Buffer.from([1, 2, 3]), store: true },
      { name: 'top.txt', data: 'T' },
    ])
    const archive = await runOf(files).write({ name: 'in.zip', data: zip })
    const flow = await runFlow(
      [decompress(), compress({ combine: 'allItems', pathField: 'path', fileName: 'again.zip' }), decompress({}, 'again')],
      [{ file: archive }],
      { services: { files } },
    )
    const first = await succeeded(flow, 'unzip')
    expect(first.map((i) => [i.path, (i.file as FileRef).name])).toEqual([['docs/a.txt', 'a.txt'], ['docs/img/b.bin', 'b.bin'], ['top.txt', 'top.txt']])
    const [repacked] = await succeeded(flow, 'zip')
    expect(Object.keys(repacked)).toEqual(['file'])
    const second = await succeeded(flow, 'again')
    expect(second.map((i) => [i.path, (i.file as FileRef).sha256])).toEqual([
      ['docs/a.txt', sha256('A')],
      ['docs/img/b.bin', sha256(Buffer.from([1, 2, 3]))],
      ['top.txt', sha256('T')],
    ])
  })

  it('packs the files of all items into one archive across input pages, and unpacks a big archive in pages of items', async () => {
    const files = store()
    const run = runOf(files)
    const refs: FileRef[] = []
    for (let i = 0; i < 1200; i++) refs.push(await run.write({ name: `row-${i % 600}.txt`, data: `row ${i}` }))
    const flow = await runFlow([compress({ combine: 'allItems' }), decompress({}, 'unzip')], numbered(1200, 500, (i) => ({ file: refs[i] })), {
      services: { files },
      pageSize: 500,
    })
    const zipped = await succeeded(flow, 'zip')
    expect(zipped).toHaveLength(1)
    expect(flow.calls('compression')).toBe(3 + 1)
    const unzipped = await succeeded(flow, 'unzip')
    expect(unzipped).toHaveLength(1200)
    expect(unzipped[0].path).toBe('row-0.txt')
    expect(unzipped[600].path).toBe('row-0 (2).txt')
    expect((unzipped[1199].file as FileRef).sha256).toBe(sha256('row 1199'))
  })
})

describe('compression: gzip', () => {
  it('gzips each file to name.gz and back to the same bytes and name', async () => {
    const files = store()
    const run = runOf(files)
    const text = 'line\n'.repeat(10_000)
    const csv = await run.write({ name: 'report.csv', data: text })
    const json = await run.write({ name: 'data.json', data: '{"a":1}' })
    const flow = await runFlow([compress({ format: 'gzip', fields: ['files'] }), decompress()], [{ files: [csv, json], keep: 1 }], { services: { files } })
    const gz = await succeeded(flow, 'zip')
    expect(gz.map((i) => [(i.file as FileRef).name, (i.file as FileRef).mimeType, i.keep])).toEqual([
      ['report.csv.gz', 'application/gzip', 1],
      ['data.json.gz', 'application/gzip', 1],
    ])
    expect((gz[0].file as FileRef).size).toBeLessThan(1000)
    const back = await succeeded(flow, 'unzip')
    expect(back.map((i) => [i.path, (i.file as FileRef).name, (i.file as FileRef).mimeType, (i.file as FileRef).sha256])).toEqual([
      ['report.csv', 'report.csv', 'text/csv', sha256(text)],
      ['data.json', 'data.json', 'application/json', sha256('{"a":1}')],
    ])
  })

  it.each([
    ['report.csv.gz', 'report.csv'],
    ['logs.TGZ', 'logs.tar'],
    ['a.gzip', 'a'],
    ['plain.bin', 'plain.bin'],
    ['.gz', 'file'],
  ])('names the unpacked %s as %s', (name, expected) => {
    expect(gunzippedName(name)).toBe(expected)
  })

  it('streams a 1 GiB file through gzip and back without holding it: memory grows far less than the file', { timeout: 300_000 }, async () => {
    const files = store()
    const size = 1024 ** 3
    const big = await runOf(files).write({ name: 'disk.img', data: zeros(size) })
    let peak = 0
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    const before = process.memoryUsage().rss
    try {
      // Zeros compress about 1,000 times: maxRatio is raised so the ratio guard lets this honest file through.
      const flow = await runFlow([compress({ format: 'gzip' }), decompress({ maxRatio: 5000 })], [{ file: big }], { services: { files } })
      const [back] = await succeeded(flow, 'unzip')
      const ref = back.file as FileRef
      expect(ref).toMatchObject({ name: 'disk.img', size, sha256: big.sha256 })
      peak = Math.max(peak, process.memoryUsage().rss)
    } finally {
      clearInterval(sample)
    }
    expect(peak - before).toBeLessThan(200 * 1024 * 1024)
    expect(await sha256Of(await (await runOf(files).open(big, 'file')).stream())).toBe(big.sha256)
  })
})
