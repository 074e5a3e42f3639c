import { pipeline, Readable, Transform } from 'node:stream'
import ExcelJS from 'exceljs'
import yazl from 'yazl'
import { declareSize } from '@/tests/helpers/archives'
import { describe, expect, it } from 'vitest'
import { MemoryItemStore } from '@/lib/engine/memory-store'
import type { Item } from '@/lib/engine/types'
import type { FileHost, RunFiles } from '@/lib/files/types'
import { memoryFilesPerTest } from '@/tests/helpers/files-per-test'
import { runFlow, type FlowNode } from '@/tests/unit/nodes/flow'
import { MAX_ROW_BYTES } from './csv'
import { extractFromFileNode } from './definition'

const store = memoryFilesPerTest()

const extract = (params: Record<string, unknown>): FlowNode => ({ id: 'extract', type: 'extract-from-file', params })
const scope = { tenantId: 't-1', executionId: 'exec-1' }

/** Stores each of `contents` as a file and runs Extract from file on items holding them in `file`. */
async function extractFrom(params: Record<string, unknown>, contents: (string | Buffer)[], name = 'data', opts: Parameters<typeof runFlow>[2] = {}) {
  const files = store()
  const refs = await Promise.all(contents.map((data) => files.forRun(scope).write({ name, data })))
  const flow = await runFlow([extract(params)], refs.map((file, i) => ({ i, file })), { ...opts, services: { files } })
  return { flow, files, refs }
}

async function zipOf(entry: string, text: string): Promise<Buffer> {
  const zip = new yazl.ZipFile()
  zip.addBuffer(Buffer.from(text), entry)
  zip.end()
  const chunks: Buffer[] = []
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

async function workbook(build: (book: ExcelJS.Workbook) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  build(book)
  return Buffer.from(await book.xlsx.writeBuffer())
}

/** A store that keeps the trigger's output but only counts (and samples) what `extract` writes. */
class CountingStore extends MemoryItemStore {
  written = 0
  largestAppend = 0
  first: Item | undefined
  last: Item | undefined
  constructor(private readonly onFirst: () => void = () => {}) {
    super()
  }
  override async append(nodeId: string, port: string, items: Item[]) {
    if (nodeId !== 'extract') return super.append(nodeId, port, items)
    if (this.written === 0 && items.length > 0) this.onFirst()
    this.written += items.length
    this.largestAppend = Math.max(this.largestAppend, items.length)
    this.first ??= items[0]
    this.last = items.at(-1) ?? this.last
  }
}

/** A file host that counts the bytes read from the files it opens. */
function countingReads(host: FileHost): FileHost & { bytesRead: () => number } {
  let read = 0
  const counter = () =>
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        read += chunk.length
        done(null, chunk)
      },
    })
  return {
    maxFileBytes: host.maxFileBytes,
    bytesRead: () => read,
    forRun: (s) => {
      const files: RunFiles = host.forRun(s)
      return {
        ...files,
        open: async (value, field) => {
          const opened = await files.open(value, field)
          return { ...opened, stream: async (range) => pipeline(await opened.stream(range), counter(), () => {}) }
        },
      }
    },
  }
}

async function* csvRows(count: number, header = 'id,name,email\n'): AsyncIterable<Buffer> {
  yield Buffer.from(header)
  for (let start = 0; start < count; start += 10_000) {
    let chunk = ''
    for (let i = start; i < Math.min(count, start + 10_000); i++) chunk += `${i},name ${i},user${i}@example.com\n`
    yield Buffer.from(chunk)
  }
}

describe('extract from file: CSV', () => {
  it('reads rows keyed by the header: BOM, quotes, newlines in quotes, empty lines, short and long rows, several files', async () => {
    const { flow } = await extractFrom({}, ['\ufeffname,note\nAnn,"a, ""b"""\n\nBob,"two\nlines"\nCy\nDi,x,extra\n', 'name\nEd\n'])
    expect(flow.result.status).toBe('succeeded')
    expect(await flow.output('extract')).toEqual([
      { name: 'Ann', note: 'a, "b"' },
      { name: 'Bob', note: 'two\nlines' },
      { name: 'Cy' },
      { name: 'Di', note: 'x', column_3: 'extra' },
      { name: 'Ed' },
    ])
  })

  it('takes the delimiter, no header row (rows as lists), maxRows, and names empty or repeated headers by position', async () => {
    const noHeader = await extractFrom({ delimiter: ';', headerRow: false, maxRows: 2 }, ['a;b\n1;2\n3;4\n'])
    expect(await noHeader.flow.output('extract')).toEqual([{ row: ['a', 'b'] }, { row: ['1', '2'] }])
    const named = await extractFrom({}, ['a,,a,b\n1,2,3,4\n'])
    expect(await named.flow.output('extract')).toEqual([{ a: '1', column_2: '2', column_3: '3', b: '4' }])
  })

  it('refuses a header that names a reserved key', async () => {
    const { flow } = await extractFrom({}, ['id,__proto__\n1,2\n'], 'evil.csv')
    expect(flow.result.error).toMatchObject({ code: 'RESERVED_KEY', field: 'field', message: expect.stringContaining('"file" on item 0 (evil.csv)') })
    expect(({} as Record<string, unknown>).id).toBeUndefined()
  })

  it.each([
    ['an unclosed quote', 'a,b\n1,2\n3,"never closed\n4,5\n', /^"file" on item 0 \(bad\.csv\) is not valid CSV in row 3: Quote Not Closed.*at line 4$/],
    ['a quote inside a field', 'a,b\n1,2"x\n', /^"file" on item 0 \(bad\.csv\) is not valid CSV in row 2: Invalid Opening Quote/],
    ['a field over the row limit', `a,b\n1,"${'x'.repeat(MAX_ROW_BYTES + 10)}"\n`, /^"file" on item 0 \(bad\.csv\) is not valid CSV in row 2: Max Record Size/],
  ])('fails %s with INVALID_FILE and its line', async (_name, text, message) => {
    const { flow } = await extractFrom({}, [text], 'bad.csv')
    expect(flow.result.error).toMatchObject({ code: 'INVALID_FILE', field: 'field', message: expect.stringMatching(message) })
  })

  it('fails an unclosed quote early in a large file without buffering the rest (the row limit stops it)', async () => {
    const files = store()
    const ref = await files.forRun(scope).write({ name: 'big.csv', data: Readable.from((async function* () {
      yield Buffer.from('a,b\n1,"open\n')
      for (let i = 0; i < 200; i++) yield Buffer.alloc(64 * 1024, 'x')
    })()) })
    const host = countingReads(files)
    const flow = await runFlow([extract({})], [{ file: ref }], { services: { files: host } })
    expect(flow.result.error).toMatchObject({ code: 'INVALID_FILE', message: expect.stringContaining('Max Record Size') })
    expect(host.bytesRead()).toBeLessThan(ref.size / 2)
  })

  it('reads a 1,000,000-row CSV as a stream, writing a page of 1,000 items at a time', { timeout: 180_000 }, async () => {
    const files = store()
    const ref = await files.forRun(scope).write({ name: 'people.csv', data: Readable.from(csvRows(1_000_000)) })
    const host = countingReads(files)
    let readAtFirstWrite = 0
    const items = new CountingStore(() => (readAtFirstWrite = host.bytesRead()))
    const flow = await runFlow([extract({})], [{ file: ref }], { store: items, services: { files: host } })
    expect(flow.result.status).toBe('succeeded')
    expect(flow.result.steps.extract.outputCounts.main).toBe(1_000_000)
    expect(items.written).toBe(1_000_000)
    expect(items.largestAppend).toBe(1000)
    expect(items.first).toEqual({ id: '0', name: 'name 0', email: 'user0@example.com' })
    expect(items.last).toEqual({ id: '999999', name: 'name 999999', email: 'user999999@example.com' })
    // Rows were handed on while the file was still being read: it was never read whole first.
    expect(readAtFirstWrite).toBeLessThan(ref.size / 10)
  })

  it('stops at the step item cap with RUN_LIMIT_ITEMS', async () => {
    const files = store()
    const ref = await files.forRun(scope).write({ name: 'people.csv', data: Readable.from(csvRows(10_000)) })
    const flow = await runFlow([extract({})], [{ file: ref }], { services: { files }, limits: { maxItemsPerStep: 5000 } })
    expect(flow.result.error).toMatchObject({ code: 'RUN_LIMIT_ITEMS', message: expect.stringContaining('more than 5000 items') })
  })
})

describe('extract from file: XLSX', () => {
  const book = () =>
    workbook((b) => {
      b.addWorksheet('Notes').addRow(['just notes'])
      const s = b.addWorksheet('Orders')
      s.addRow(['sku', 'qty', 'when', 'total', 'label', 'link'])
      s.addRow(['A-1', 2, new Date(Date.UTC(2024, 0, 31)), { formula: 'B2*2', result: 4 }, { richText: [{ text: 'bo' }, { text: 'ld' }] }, { text: 'site', hyperlink: 'https://example.com' }])
      s.addRow([])
      s.addRow(['B-7', null, null, { formula: '1/0', result: { error: '#DIV/0!' } }, true])
    })

  it('reads the named sheet: numbers, dates as ISO text, formula results, rich text, links, empty rows skipped', async () => {
    const { flow } = await extractFrom({ operation: 'xlsx', sheetName: 'Orders' }, [await book()])
    expect(await flow.output('extract')).toEqual([
      { sku: 'A-1', qty: 2, when: '2024-01-31T00:00:00.000Z', total: 4, label: 'bold', link: 'site' },
      { sku: 'B-7', total: '#DIV/0!', label: true },
    ])
  })

  it('reads the first sheet by default, a range, empty cells as null, and no header row', async () => {
    const first = await extractFrom({ operation: 'xlsx' }, [await book()])
    expect(await first.flow.output('extract')).toEqual([])
    const ranged = await extractFrom({ operation: 'xlsx', sheetName: 'Orders', range: 'A1:C4', includeEmptyCells: true }, [await book()])
    expect(await ranged.flow.output('extract')).toEqual([{ sku: 'A-1', qty: 2, when: '2024-01-31T00:00:00.000Z' }, { sku: 'B-7', qty: null, when: null }])
    const rows = await extractFrom({ operation: 'xlsx', sheetName: 'Orders', range: 'A2', headerRow: false, maxRows: 1 }, [await book()])
    expect(await rows.flow.output('extract')).toEqual([{ row: ['A-1', 2, '2024-01-31T00:00:00.000Z', 4, 'bold', 'site'] }])
  })

  it('fails a missing sheet with SHEET_NOT_FOUND listing the sheets', async () => {
    const { flow } = await extractFrom({ operation: 'xlsx', sheetName: 'Nope' }, [await book()], 'book.xlsx')
    expect(flow.result.error).toMatchObject({ code: 'SHEET_NOT_FOUND', field: 'sheetName', message: '"file" on item 0 (book.xlsx) has no sheet "Nope" (it has "Notes", "Orders")' })
  })

  it.each([
    ['random bytes', async () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ['a truncated workbook', async () => (await book()).subarray(0, 3000)],
    ['an empty file', async () => Buffer.alloc(0)],
    ['a zip that is not a workbook', () => zipOf('hello.txt', 'hi')],
  ])('fails %s with INVALID_FILE, and the next run works', async (_name, bytes) => {
    const bad = await extractFrom({ operation: 'xlsx' }, [await bytes()], 'broken.xlsx')
    expect(bad.flow.result.error).toMatchObject({ code: 'INVALID_FILE', field: 'field', message: expect.stringMatching(/^"file" on item 0 \(broken\.xlsx\) (is not a readable XLSX workbook|holds no worksheet)/) })
    const good = await extractFrom({ operation: 'xlsx', sheetName: 'Orders' }, [await book()])
    expect(good.flow.result.status).toBe('succeeded')
  })

  it('refuses a small zip whose parts unpack to more than 25 times maxFileMb (a zip bomb) before unpacking it', async () => {
    const bomb = await zipOf('xl/worksheets/sheet1.xml', '<'.repeat(3 * 1024 * 1024))
    expect(bomb.length).toBeLessThan(100_000)
    const { flow } = await extractFrom({ operation: 'xlsx', maxFileMb: 0.1 }, [bomb], 'bomb.xlsx')
    expect(flow.result.error).toMatchObject({ code: 'FILE_TOO_LARGE', field: 'field', message: expect.stringMatching(/^"file" on item 0 \(bomb\.xlsx\) unpacks to more than 2621425 bytes/) })
  })

  it('refuses a zip bomb whose directory lies about its sizes before exceljs unpacks it', async () => {
    const liar = declareSize(await zipOf('xl/worksheets/sheet1.xml', '<'.repeat(3 * 1024 * 1024)), 1000)
    const { flow } = await extractFrom({ operation: 'xlsx', maxFileMb: 0.1 }, [liar], 'liar.xlsx')
    expect(flow.result.error).toMatchObject({ code: 'INVALID_FILE', field: 'field', message: expect.stringMatching(/liar\.xlsx\) is not a readable XLSX workbook: too many bytes/) })
  })

  it('refuses a workbook over maxFileMb with FILE_TOO_LARGE before reading it', async () => {
    const { flow } = await extractFrom({ operation: 'xlsx', maxFileMb: 0.001 }, [await book()], 'book.xlsx')
    expect(flow.result.error).toMatchObject({ code: 'FILE_TOO_LARGE', field: 'field', message: expect.stringMatching(/"file".*\(item 0\); raise maxFileMb \(now 0\.001\)/) })
  })
})

describe('extract from file: JSON, text, base64', () => {
  it.each([
    ['a list', '[{"a":1},{"b":[1,2]},3,[4],null]', [{ a: 1 }, { b: [1, 2] }, { data: 3 }, { data: [4] }, { data: null }]],
    ['an object', '{"a":{"b":true}}', [{ a: { b: true } }]],
    ['a value', '"hi"', [{ data: 'hi' }]],
  ])('turns %s into items', async (_name, text, items) => {
    const { flow } = await extractFrom({ operation: 'json' }, [text])
    expect(await flow.output('extract')).toEqual(items)
  })

  it('fails invalid JSON with INVALID_FILE', async () => {
    const { flow } = await extractFrom({ operation: 'json' }, ['{"a":'], 'x.json')
    expect(flow.result.error).toMatchObject({ code: 'INVALID_FILE', field: 'field', message: expect.stringMatching(/^"file" on item 0 \(x\.json\) is not valid JSON/) })
  })

  it('fails JSON nested 10,000 deep with JSON_TOO_DEEP (no stack overflow), and reads it within a raised maxDepth', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`
    const { flow } = await extractFrom({ operation: 'json' }, [deep], 'deep.json')
    expect(flow.result.error).toMatchObject({ code: 'JSON_TOO_DEEP', field: 'maxDepth', message: '"file" on item 0 (deep.json) nests lists and objects deeper than 100 levels (maxDepth)' })
    const ok = await extractFrom({ operation: 'json', maxDepth: 1000 }, [`{"a":${'['.repeat(900)}${']'.repeat(900)}}`])
    expect(ok.flow.result.status).toBe('succeeded')
  })

  it('puts a file\'s text (BOM dropped) or base64 in the destination, keeping the item', async () => {
    const text = await extractFrom({ operation: 'text', destination: 'content.body' }, ['\ufeffhéllo'])
    const [item] = await text.flow.output('extract')
    expect(item).toEqual({ i: 0, file: text.refs[0], content: { body: 'héllo' } })
    const b64 = await extractFrom({ operation: 'base64' }, [Buffer.from([0, 255, 104, 105])])
    expect((await b64.flow.output('extract'))[0].data).toBe('AP9oaQ==')
  })

  it('caps text at maxFileMb with FILE_TOO_LARGE', async () => {
    const { flow } = await extractFrom({ operation: 'text', maxFileMb: 1 }, ['x'.repeat(1024 * 1024 + 1)])
    expect(flow.result.error).toMatchObject({ code: 'FILE_TOO_LARGE', field: 'field' })
  })
})

describe('extract from file: the file reference', () => {
  it('cannot read another tenant\'s file: FILE_NOT_FOUND naming the field', async () => {
    const files = store()
    const theirs = await files.forRun({ tenantId: 't-other', executionId: 'exec-9' }).write({ name: 'secret.csv', data: 'a\n1\n' })
    const flow = await runFlow([extract({ field: 'doc.file' })], [{ doc: { file: theirs } }], { services: { files } })
    expect(flow.result.error).toMatchObject({ code: 'FILE_NOT_FOUND', field: 'field', message: expect.stringMatching(/^"doc\.file" refers to file f_.*, which does not exist in this workspace.*\(item 0\)$/) })
    const ours = await files.forRun(scope).write({ name: 'mine.csv', data: 'a\n1\n' })
    const mine = await runFlow([extract({ field: 'doc.file' })], [{ doc: { file: ours } }], { services: { files } })
    expect(await mine.output('extract')).toEqual([{ a: '1' }])
  })

  it.each([
    [{ file: 'just text' }, 'NOT_A_FILE'],
    [{}, 'NOT_A_FILE'],
    [{ file: { $file: 'f_abcdefghijklmnopqrstuv', name: 'x', mimeType: 'text/csv', size: 1 } }, 'FILE_NOT_FOUND'],
  ])('fails an item whose field holds %j with %s', async (item, code) => {
    for (const operation of ['csv', 'json']) {
      const flow = await runFlow([extract({ operation })], [item], { services: { files: store() } })
      expect(flow.result.error).toMatchObject({ code, field: 'field', details: { item: 0 } })
    }
  })

  it.each([
    [{ range: 'A1:' }, ['range']],
    [{ operation: 'pdf' }, ['operation']],
    [{ maxFileMb: 0 }, ['maxFileMb']],
    [{ maxDepth: 5000 }, ['maxDepth']],
  ])('refuses params %j naming the field', (params, path) => {
    expect(extractFromFileNode.params.safeParse(params).error?.issues[0].path).toEqual(path)
  })
})

