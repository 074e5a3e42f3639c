// XLSX rows with exceljs. The workbook is read whole (the caller caps its size): exceljs's streaming reader buffers
// sheets that come before the shared strings in temporary files and maps sheet names loosely, so it is not used.
import ExcelJS from 'exceljs'
import yauzl from 'yauzl'
import { NodeError } from '../../engine/types'
import { RANGE, type ExtractFromFileParams } from './definition'
import { headerNames, rowItem, type PageWriter } from './rows'

/** A cell's value as JSON: dates as ISO text, formulas as their cached result, rich text and links as their text. */
function cellValue(v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString()
  if (typeof v !== 'object') return v
  const o = v as Record<string, unknown>
  if (Array.isArray(o.richText)) return (o.richText as { text?: unknown }[]).map((t) => String(t.text ?? '')).join('')
  if ('formula' in o || 'sharedFormula' in o) return cellValue(o.result)
  if ('hyperlink' in o) return cellValue(o.text)
  if ('error' in o) return String(o.error)
  return null
}

const columnNumber = (letters: string) => [...letters.toUpperCase()].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0)

interface Bounds {
  top: number
  left: number
  bottom: number
  right: number
}

function boundsOf(range: string, sheet: ExcelJS.Worksheet): Bounds {
  const whole = { top: 1, left: 1, bottom: sheet.rowCount, right: sheet.columnCount }
  const m = RANGE.exec(range)
  if (!m) return whole
  const top = Number(m[2])
  const left = columnNumber(m[1])
  if (!m[3]) return { ...whole, top, left }
  const bottom = Number(m[4])
  const right = columnNumber(m[3])
  return { top: Math.min(top, bottom), left: Math.min(left, right), bottom: Math.min(Math.max(top, bottom), sheet.rowCount), right: Math.max(left, right) }
}

/** exceljs unpacks every part in memory: a small zip of huge parts (a zip bomb) is refused first, by the sizes its
 * directory declares and by inflating each part once (which catches a directory that lies). */
export const UNPACKED_PER_FILE_BYTE = 25

async function checkUnpackedSize(bytes: Buffer, where: string, maxBytes: number): Promise<void> {
  const invalid = (err: unknown) => new NodeError(`${where} is not a readable XLSX workbook: ${(err as Error).message}`, { code: 'INVALID_FILE', field: 'field', cause: err })
  let zip: yauzl.ZipFile
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true })
  } catch (err) {
    throw invalid(err)
  }
  let total = 0
  try {
    for await (const entry of zip.eachEntry()) {
      total += entry.uncompressedSize
      if (total <= maxBytes && !entry.fileName.endsWith('/')) {
        // Inflated and dropped: yauzl fails an entry whose bytes outgrow its declared size, so a zip that lies in its
        // directory is caught here, before exceljs unpacks it whole.
        for await (const chunk of await zip.openReadStreamPromise(entry)) void chunk
      }
      if (total > maxBytes) {
        throw new NodeError(`${where} unpacks to more than ${maxBytes} bytes, over what a workbook of its size may hold (maxFileMb × ${UNPACKED_PER_FILE_BYTE})`, {
          code: 'FILE_TOO_LARGE',
          field: 'field',
          details: { maxUnpackedBytes: maxBytes },
        })
      }
    }
  } catch (err) {
    throw err instanceof NodeError ? err : invalid(err)
  } finally {
    zip.close()
  }
}

async function loadWorkbook(bytes: Buffer, where: string, maxFileBytes: number): Promise<ExcelJS.Workbook> {
  await checkUnpackedSize(bytes, where, maxFileBytes * UNPACKED_PER_FILE_BYTE)
  const book = new ExcelJS.Workbook()
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer)
  } catch (err) {
    throw new NodeError(`${where} is not a readable XLSX workbook: ${(err as Error).message}`, { code: 'INVALID_FILE', field: 'field', cause: err })
  }
  if (book.worksheets.length === 0) {
    throw new NodeError(`${where} holds no worksheet (is it an Excel .xlsx workbook?)`, { code: 'INVALID_FILE', field: 'field' })
  }
  return book
}

/** `maxFileBytes`: the cap the file was read under (maxFileMb); its parts may unpack to 25 times as much. */
export async function readXlsx(bytes: Buffer, p: ExtractFromFileParams, out: PageWriter, where: string, signal: AbortSignal, maxFileBytes: number): Promise<void> {
  const book = await loadWorkbook(bytes, where, maxFileBytes)
  const sheet = p.sheetName ? book.getWorksheet(p.sheetName) : book.worksheets[0]
  if (!sheet) {
    const names = book.worksheets.map((s) => `"${s.name}"`).join(', ')
    throw new NodeError(`${where} has no sheet "${p.sheetName}" (it has ${names})`, { code: 'SHEET_NOT_FOUND', field: 'sheetName' })
  }
  const b = boundsOf(p.range, sheet)
  let header: string[] | undefined
  let rows = 0
  for (let r = b.top; r <= b.bottom; r++) {
    if (signal.aborted) throw signal.reason
    const row = sheet.getRow(r)
    if (!row.hasValues) continue
    const cells: unknown[] = []
    for (let c = b.left; c <= b.right; c++) cells.push(cellValue(row.getCell(c).value))
    if (cells.every((v) => v === null)) continue
    if (p.headerRow && !header) {
      header = headerNames(cells, where)
      continue
    }
    await out.push(rowItem(cells, header, (v) => v !== null || p.includeEmptyCells))
    if (p.maxRows > 0 && ++rows >= p.maxRows) break
  }
}
