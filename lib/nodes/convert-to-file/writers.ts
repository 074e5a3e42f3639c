// Items as one file, written page by page: rows of a CSV file or an XLSX sheet (columns fixed on the first page),
// or a JSON list.
import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import { ownValue } from '../../engine/safe-keys'
import { NodeError, type Item } from '../../engine/types'
import type { ConvertToFileParams } from './definition'
import type { StreamedFile } from './sink'

export interface WholeFileWriter {
  /** `offset`: index of the page's first item in the step's input (named in errors). */
  page(items: Item[], offset: number): Promise<void>
  end(): Promise<void>
}

/** The row cells: text, numbers and booleans as they are, objects and lists as JSON, missing and null empty. */
const cellOf = (value: unknown): string | number | boolean | null =>
  value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean)

/** Fixes the columns on the first page; afterwards, a field no column holds fails the step (unless they were chosen). */
class Columns {
  private names: string[] | undefined
  private known = new Set<string>()
  constructor(private readonly chosen: string[]) {}

  of(items: Item[], offset: number): string[] {
    if (!this.names) {
      const names = this.chosen.length > 0 ? [...new Set(this.chosen)] : [...new Set(items.flatMap((item) => Object.keys(item)))]
      this.names = names
      this.known = new Set(names)
      return names
    }
    if (this.chosen.length === 0) {
      items.forEach((item, i) => {
        const extra = Object.keys(item).find((k) => !this.known.has(k))
        if (extra !== undefined) {
          throw new NodeError(
            `Item ${offset + i} has the field "${extra}", which is not a column (the columns come from the first page of items); list the fields to write in "columns"`,
            { code: 'UNKNOWN_COLUMN', field: 'columns', details: { item: offset + i, column: extra } },
          )
        }
      })
    }
    return this.names
  }
}

const rowsOf = (items: Item[], names: string[]) => items.map((item) => names.map((name) => cellOf(ownValue(item, name))))

class CsvWriter implements WholeFileWriter {
  private readonly columns: Columns
  private started = false
  constructor(private readonly sink: StreamedFile, private readonly p: ConvertToFileParams) {
    this.columns = new Columns(p.columns)
  }
  async page(items: Item[], offset: number): Promise<void> {
    if (items.length === 0 && this.started) return
    const names = this.columns.of(items, offset)
    const header = !this.started && this.p.headerRow && names.length > 0
    this.started = true
    const rows = rowsOf(items, names).map((row) => row.map((v) => (v === null ? '' : String(v))))
    if (rows.length === 0 && !header) return
    await this.sink.write(stringify(rows, { delimiter: this.p.delimiter, header, columns: header ? names : undefined, eof: true }))
  }
  async end(): Promise<void> {}
}

class XlsxWriter implements WholeFileWriter {
  private readonly columns: Columns
  private readonly book: ExcelJS.stream.xlsx.WorkbookWriter
  private readonly sheet: ExcelJS.Worksheet
  private started = false
  constructor(private readonly sink: StreamedFile, private readonly p: ConvertToFileParams) {
    this.columns = new Columns(p.columns)
    this.book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink.body, useStyles: false, useSharedStrings: false })
    this.sheet = this.book.addWorksheet(p.sheetName)
  }
  async page(items: Item[], offset: number): Promise<void> {
    if (items.length === 0 && this.started) return
    const names = this.columns.of(items, offset)
    if (!this.started && this.p.headerRow && names.length > 0) this.sheet.addRow(names).commit()
    this.started = true
    for (const row of rowsOf(items, names)) this.sheet.addRow(row).commit()
    await this.sink.drained()
  }
  async end(): Promise<void> {
    this.sheet.commit()
    // Ends `sink.body` once the zip is complete.
    await this.book.commit()
  }
}

class JsonListWriter implements WholeFileWriter {
  private first = true
  constructor(private readonly sink: StreamedFile, private readonly pretty: boolean) {}
  async page(items: Item[]): Promise<void> {
    if (items.length === 0) return
    // Pretty output matches JSON.stringify(allItems, null, 2): each item indented one level inside the list.
    const parts = items.map((item) => (this.pretty ? `  ${JSON.stringify(item, null, 2).replace(/\n/g, '\n  ')}` : JSON.stringify(item)))
    const glue = this.pretty ? ',\n' : ','
    await this.sink.write(`${this.first ? (this.pretty ? '[\n' : '[') : glue}${parts.join(glue)}`)
    this.first = false
  }
  async end(): Promise<void> {
    await this.sink.write(this.first ? '[]' : this.pretty ? '\n]' : ']')
  }
}

export function wholeFileWriter(op: 'csv' | 'xlsx' | 'json', sink: StreamedFile, p: ConvertToFileParams): WholeFileWriter {
  if (op === 'json') return new JsonListWriter(sink, p.pretty)
  return op === 'csv' ? new CsvWriter(sink, p) : new XlsxWriter(sink, p)
}
