import fs from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'csv-parse'
import { MemoryItemStore } from '@/lib/engine/memory-store'
import { describe, expect, it } from 'vitest'
import type { Item } from '@/lib/engine/types'
import { isFileRef, type FileRef } from '@/lib/files/ref'
import { fileText, memoryFiles } from '@/tests/helpers/files'
import { memoryFilesPerTest } from '@/tests/helpers/files-per-test'
import { DiscardingStore } from '@/tests/helpers/discarding-store'
import { numbered, runFlow, type FlowNode } from '@/tests/unit/nodes/flow'
import { convertToFileNode } from './definition'

const store = memoryFilesPerTest()

const convert = (params: Record<string, unknown>): FlowNode => ({ id: 'convert', type: 'convert-to-file', params })
const extract = (params: Record<string, unknown>): FlowNode => ({ id: 'extract', type: 'extract-from-file', params })
const run = (files: ReturnType<typeof memoryFiles>) => files.forRun({ tenantId: 't-1', executionId: 'exec-1' })

/** Runs `nodes` with a file store of its own; returns the run and the file store's view. */
async function withFiles(nodes: FlowNode[], input: Item[] | AsyncIterable<Item[]>, opts: Parameters<typeof runFlow>[2] = {}) {
  const files = store()
  const flow = await runFlow(nodes, input, { ...opts, services: { files } })
  return { flow, files: run(files) }
}

const orders = [
  { sku: 'A-1', qty: 2, note: 'gift, "wrapped"', paid: true },
  { sku: 'B-7', qty: 1.5, note: 'line one\nline two', paid: false },
]

describe('convert to file', () => {
  it('writes items as one CSV file (quoting, header, booleans) that extracts back to the same rows', async () => {
    const { flow, files } = await withFiles([convert({ fileName: 'orders.csv' }), extract({})], orders)
    expect(flow.result.status).toBe('succeeded')
    const [out] = await flow.output('convert')
    const ref = out.file as FileRef
    expect(isFileRef(ref)).toBe(true)
    expect(ref).toMatchObject({ name: 'orders.csv', mimeType: 'text/csv' })
    expect(await fileText(files, ref)).toBe('sku,qty,note,paid\nA-1,2,"gift, ""wrapped""",true\nB-7,1.5,"line one\nline two",false\n')
    expect(await flow.output('extract')).toEqual(orders.map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]))))
  })

  it('takes the delimiter, header row, chosen columns, output field and a file name expression; objects become JSON, null empty', async () => {
    const items = [{ id: 1, tags: ['a', 'b'], meta: { x: 1 }, gone: null, secret: 's' }]
    const { flow, files } = await withFiles(
      [convert({ delimiter: ';', headerRow: false, columns: ['meta', 'id', 'tags', 'gone'], outputField: 'export.csv', fileName: 'user-{{ $json.id }}.csv' })],
      items,
    )
    const [out] = await flow.output('convert')
    const ref = (out.export as Item).csv as FileRef
    expect(ref.name).toBe('user-1.csv')
    expect(await fileText(files, ref)).toBe('"{""x"":1}";1;"[""a"",""b""]";\n')
  })

  it('writes the first page\'s fields as columns and fails a later item with a new field, naming it', async () => {
    const items = [{ a: 1 }, { b: 2 }, { a: 3 }, { a: 4, c: 5 }]
    const { flow } = await withFiles([convert({})], items, { pageSize: 2 })
    expect(flow.result.error).toMatchObject({ code: 'UNKNOWN_COLUMN', field: 'columns', message: expect.stringMatching(/^Item 3 has the field "c", which is not a column/) })
    const chosen = await withFiles([convert({ columns: ['a', 'c'] })], items, { pageSize: 2 })
    expect(await fileText(chosen.files, (await chosen.flow.output('convert'))[0].file)).toBe('a,c\n1,\n,\n3,\n4,5\n')
  })

  it('writes an XLSX sheet whose numbers, booleans and text come back as they were', async () => {
    const items = [
      { sku: 'A-1', qty: 2, price: 9.99, paid: true },
      { sku: 'B-7', qty: 10, price: 0.5, paid: false },
    ]
    const { flow } = await withFiles([convert({ operation: 'xlsx', sheetName: 'Orders' }), extract({ operation: 'xlsx', sheetName: 'Orders' })], items)
    expect(flow.result.status).toBe('succeeded')
    const [out] = await flow.output('convert')
    expect(out.file).toMatchObject({ name: 'data.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
    expect(await flow.output('extract')).toEqual(items)
  })

  it('writes an XLSX of several pages of items', async () => {
    const { flow } = await withFiles([convert({ operation: 'xlsx' }), extract({ operation: 'xlsx' })], numbered(2500, 1000, (i) => ({ i, name: `n${i}` })), { pageSize: 1000 })
    const rows = await flow.output('extract')
    expect(rows).toHaveLength(2500)
    expect(rows[2499]).toEqual({ i: 2499, name: 'n2499' })
    expect(flow.calls('convert-to-file')).toBe(3)
  })

  it.each([
    [false, (items: Item[]) => JSON.stringify(items)],
    [true, (items: Item[]) => JSON.stringify(items, null, 2)],
  ])('writes all items as one JSON list across pages (pretty %s)', async (pretty, expected) => {
    const items = Array.from({ length: 5 }, (_, i) => ({ i, nested: { list: [i, { deep: true }] } }))
    const { flow, files } = await withFiles([convert({ operation: 'json', pretty }), extract({ operation: 'json' })], items, { pageSize: 2 })
    const [out] = await flow.output('convert')
    expect(await fileText(files, out.file)).toBe(expected(items))
    expect(await flow.output('extract')).toEqual(items)
  })

  it('makes one file per item with jsonMode eachItem, keeping the item', async () => {
    const { flow, files } = await withFiles([convert({ operation: 'json', jsonMode: 'eachItem', fileName: '{{ $json.id }}.json' })], [{ id: 'a' }, { id: 'b' }])
    const out = await flow.output('convert')
    expect(out.map((o) => [o.id, (o.file as FileRef).name])).toEqual([['a', 'a.json'], ['b', 'b.json']])
    expect(await fileText(files, out[1].file)).toBe('{"id":"b"}')
  })

  it('makes an empty list, and an empty CSV, of no items', async () => {
    const json = await withFiles([convert({ operation: 'json' })], [])
    expect(await fileText(json.files, (await json.flow.output('convert'))[0].file)).toBe('[]')
    const csv = await withFiles([convert({})], [])
    expect(await fileText(csv.files, (await csv.flow.output('convert'))[0].file)).toBe('')
  })

  it('turns a text field into a file, replacing the field unless keepSource is on', async () => {
    const { flow, files } = await withFiles([convert({ operation: 'text', sourceField: 'body.html', fileName: 'page.html' })], [{ id: 1, body: { html: '<p>é</p>', status: 200 } }])
    const [out] = await flow.output('convert')
    expect(out).toMatchObject({ id: 1, body: { status: 200 }, file: { name: 'page.html', mimeType: 'text/html', size: 9 } })
    expect((out.body as Item).html).toBeUndefined()
    expect(await fileText(files, out.file)).toBe('<p>é</p>')
    const kept = await withFiles([convert({ operation: 'text', keepSource: true })], [{ data: 'x' }])
    expect(await kept.flow.output('convert')).toEqual([{ data: 'x', file: expect.objectContaining({ name: 'file.txt', size: 1 }) }])
  })

  it.each([
    ['text', 'héllo wörld\n'],
    ['base64', Buffer.from([0, 1, 2, 250, 255]).toString('base64')],
  ])('round-trips %s: field → file → the same field', async (operation, data) => {
    const { flow } = await withFiles([convert({ operation }), extract({ operation })], [{ id: 1, data }])
    expect(await flow.output('extract')).toEqual([{ id: 1, file: expect.objectContaining({ name: operation === 'text' ? 'file.txt' : 'file' }), data }])
  })

  it.each([
    ['aGVsbG8=', {}, { name: 'file', mimeType: 'application/octet-stream' }],
    ['data:image/png;base64,aGVs\nbG8=', {}, { name: 'file.png', mimeType: 'image/png' }],
    ['aGVsbG8', { mimeType: 'text/plain', fileName: 'a.bin' }, { name: 'a.bin', mimeType: 'text/plain' }],
  ])('moves base64 %j to a file', async (data, params, ref) => {
    const { flow, files } = await withFiles([convert({ operation: 'base64', ...params })], [{ data }])
    const [out] = await flow.output('convert')
    expect(out).toEqual({ file: expect.objectContaining({ ...ref, size: 5 }) })
    expect(await fileText(files, out.file)).toBe('hello')
  })

  it.each([
    ['base64', { data: 'not base64!' }, /^"data" on item 1 is not base64 text$/],
    ['base64', { data: 42 }, /^"data" on item 1 is a number, not text$/],
    ['text', {}, /^"data" on item 1 is missing, not text$/],
  ])('fails %s on an unusable field, naming it and the item', async (operation, item, message) => {
    const { flow } = await withFiles([convert({ operation })], [{ data: 'aGk=' }, item])
    expect(flow.result.error).toMatchObject({ code: 'INVALID_VALUE', field: 'sourceField', message: expect.stringMatching(message) })
  })

  it('fails a file over the store\'s cap with FILE_TOO_LARGE, leaves no unhandled rejection, and the next run works', async () => {
    const rejections: unknown[] = []
    const onRejection = (e: unknown) => rejections.push(e)
    process.on('unhandledRejection', onRejection)
    try {
      const files = store({ maxFileBytes: 10_000 })
      const big = await runFlow([convert({})], numbered(5000, 500, (i) => ({ i, text: 'some text' })), { pageSize: 500, services: { files } })
      expect(big.result.error).toMatchObject({ code: 'FILE_TOO_LARGE' })
      const small = await runFlow([convert({})], [{ i: 1 }], { services: { files } })
      expect(small.result.status).toBe('succeeded')
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(rejections).toEqual([])
      expect(files.index.records.size).toBe(1)
    } finally {
      process.off('unhandledRejection', onRejection)
    }
  })

  it('fails a per-item file over the store\'s cap naming the source field and the item', async () => {
    const flow = await runFlow([convert({ operation: 'text' })], [{ data: 'short' }, { data: 'x'.repeat(100) }], { services: { files: store({ maxFileBytes: 50 }) } })
    expect(flow.result.error).toMatchObject({ code: 'FILE_TOO_LARGE', field: 'sourceField', details: { item: 1 } })
  })

  it('drops the half-written file when the run is canceled between pages', async () => {
    const files = store()
    const ctl = new AbortController()
    // The trigger's third page is handed to the node only after the cancel.
    const items = new (class extends MemoryItemStore {
      override async *pages(nodeId: string, port: string) {
        let n = 0
        for await (const page of super.pages(nodeId, port)) {
          if (nodeId === 'start' && ++n === 3) ctl.abort()
          yield page
        }
      }
    })()
    const flow = await runFlow([convert({})], numbered(5000, 100), { pageSize: 100, store: items, services: { files }, signal: ctl.signal })
    expect(flow.result.status).toBe('canceled')
    // The store removes its temporary file once the aborted write settles, after the run has returned.
    await expect.poll(() => fs.readdir(path.join(files.root, '.tmp')), { timeout: 10_000 }).toEqual([])
    expect(files.index.records.size).toBe(0)
  })

  it('writes 1,000,000 items as a CSV file a page at a time', { timeout: 120_000 }, async () => {
    const files = store()
    const flow = await runFlow([convert({ fileName: 'big.csv' })], numbered(1_000_000, 1000, (i) => ({ i, name: `item ${i}`, even: i % 2 === 0 })), {
      pageSize: 1000,
      store: new DiscardingStore(),
      services: { files },
    })
    expect(flow.result.status).toBe('succeeded')
    expect(flow.largestPage('convert-to-file')).toBe(1000)
    expect(flow.calls('convert-to-file')).toBe(1000)
    const [out] = await flow.output('convert')
    let rows = 0
    let last: string[] = []
    const stream = await (await run(files).open(out.file, 'file')).stream()
    for await (const record of stream.pipe(parse())) {
      rows++
      last = record
    }
    expect(rows).toBe(1_000_001)
    expect(last).toEqual(['999999', 'item 999999', 'false'])
  })

  it.each([
    [{ sheetName: 'a/b' }, ['sheetName']],
    [{ operation: 'pdf' }, ['operation']],
    [{ outputField: '' }, ['outputField']],
  ])('refuses params %j naming the field', (params, path) => {
    expect(convertToFileNode.params.safeParse(params).error?.issues[0].path).toEqual(path)
  })
})
