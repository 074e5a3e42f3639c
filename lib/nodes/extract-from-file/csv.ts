// CSV rows streamed from the file store through csv-parse: one page of items in memory at a time.
import { pipeline, type Readable } from 'node:stream'
import { CsvError, parse } from 'csv-parse'
import { NodeError } from '../../engine/types'
import type { ExtractFromFileParams } from './definition'
import { headerNames, rowItem, type PageWriter } from './rows'

/** Longest row accepted: past it an unclosed quote would otherwise buffer the rest of the file. */
export const MAX_ROW_BYTES = 1024 * 1024

export async function readCsv(source: Readable, p: ExtractFromFileParams, out: PageWriter, where: string, signal: AbortSignal): Promise<void> {
  const parser = parse({ delimiter: p.delimiter, bom: true, skip_empty_lines: true, relax_column_count: true, max_record_size: MAX_ROW_BYTES })
  // pipeline destroys the file stream too when reading stops early (maxRows, an error, the item cap).
  pipeline(source, parser, () => {})
  let header: string[] | undefined
  let rows = 0
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (signal.aborted) throw signal.reason
      if (p.headerRow && !header) {
        header = headerNames(record, where)
        continue
      }
      await out.push(rowItem(record, header))
      if (p.maxRows > 0 && ++rows >= p.maxRows) break
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err
    const { lines, records } = err as CsvError & { lines?: number; records?: number }
    // `records` counts the rows read whole (the header too): the bad one is the next.
    const row = typeof records === 'number' ? records + 1 : undefined
    throw new NodeError(`${where} is not valid CSV${row ? ` in row ${row}` : ''}: ${err.message}`, {
      code: 'INVALID_FILE',
      field: 'field',
      details: { row, line: lines, reason: err.code },
      cause: err,
    })
  } finally {
    parser.destroy()
  }
}
