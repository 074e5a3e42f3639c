import { z } from 'zod'
import type { NodeType } from '../define'

export const EXTRACT_OPERATIONS = ['csv', 'xlsx', 'json', 'text', 'base64'] as const

/** Cell ranges as Excel writes them: "A1:D100", or "B3" for everything from B3 on. */
export const RANGE = /^([A-Za-z]{1,3})([1-9]\d{0,6})(?::([A-Za-z]{1,3})([1-9]\d{0,6}))?$/

export const extractFromFileParams = z.object({
  operation: z
    .enum(EXTRACT_OPERATIONS).meta({ optionLabels: { csv: 'CSV', xlsx: 'Excel (XLSX)', json: 'JSON', text: 'Text', base64: 'To Base64' } })
    .default('csv')
    .describe('csv, xlsx: a row per item. json: a list as items, anything else as one item. text: the file as a text field. base64: the file as a base64 field'),
  field: z.string().trim().min(1, 'Name the field holding the file').default('file').describe('Field of the input item holding the file, e.g. "file" or "attachments[0]"'),
  delimiter: z.string().min(1, 'Give a delimiter, e.g. ","').max(4).default(',').describe('operation csv: text between values'),
  headerRow: z.boolean().default(true).describe('operation csv/xlsx: the first row names the columns (off: each row comes out as a list in "row")'),
  maxRows: z.coerce.number().int().min(0).max(1_000_000_000).default(0).describe('operation csv/xlsx: most rows to read per file (0: all)'),
  sheetName: z.string().trim().max(31).default('').describe('operation xlsx: the worksheet to read (empty: the first)'),
  range: z
    .string()
    .trim()
    .regex(RANGE, 'Give a range such as "A1:D100" or "B3"')
    .or(z.literal(''))
    .default('')
    .describe('operation xlsx: the cells to read, e.g. "A1:D100", or "B3" for everything from B3 on (empty: the whole sheet)'),
  includeEmptyCells: z.boolean().default(false).describe('operation xlsx: give empty cells as null (off: they are left out of the item)'),
  destination: z.string().trim().min(1, 'Name the field for the result').default('data').describe('operation json/text/base64: field the text, the base64 or a JSON value that is not an object goes in'),
  maxFileMb: z.coerce.number().positive().max(200).default(10).describe('operation xlsx/json/text/base64: largest file read, in megabytes (these are read whole; csv streams and has no limit)'),
  maxDepth: z.coerce.number().int().min(1).max(1000).default(100).describe('operation json: deepest nesting of lists and objects accepted'),
})
export type ExtractFromFileParams = z.infer<typeof extractFromFileParams>

const ordersCsv = 'sku,qty,note\nA-1,2,"gift, wrapped"\nB-7,1,\n'

export const extractFromFileNode: NodeType<ExtractFromFileParams, 'files'> = {
  type: 'extract-from-file',
  version: 1,
  label: 'Extract from file',
  description: 'Reads the rows of a CSV or XLSX file, the items of a JSON file, or a file\'s text or base64.',
  icon: 'FileInput',
  category: 'files',
  docs: {
    description: [
      'Reads the file that each input item holds in `field` (a file reference, as made by Convert to file, an upload or an HTTP response) and turns it into items.',
      '',
      '| operation | output |',
      '|---|---|',
      '| `csv` | An item per row (UTF-8; a byte order mark is skipped, empty lines too). With `headerRow`, keys from the first row; values are text. |',
      '| `xlsx` | An item per non-empty row of the sheet `sheetName` (or the first), within `range`. Numbers and booleans keep their type, dates become ISO text, formulas give their last computed result. |',
      '| `json` | A file holding a list gives an item per element (an element that is not an object goes in `destination`); an object gives one item. |',
      '| `text` | The input item with the file\'s text (UTF-8) in `destination`. |',
      '| `base64` | The input item with the file\'s bytes as base64 in `destination`. |',
      '',
      'Without `headerRow` each row comes out as `{ "row": [values] }`. A header cell that is empty or repeats an earlier one names its column `column_<n>` (its position, from 1), as do values beyond the header. Rows of several files follow each other.',
      '',
      'CSV is read as a stream, a page of 1,000 rows at a time, so a file of millions of rows is never held whole (the step item cap, `AUTERITY_MAX_ITEMS_PER_STEP`, still applies: past it the step fails with `RUN_LIMIT_ITEMS`). A row over 1 MB (often an unclosed quote) fails with `INVALID_FILE` and its row number, as does bad quoting. A header naming `__proto__`, `prototype` or `constructor` fails with `RESERVED_KEY`. XLSX, JSON, text and base64 are read whole, up to `maxFileMb` (`FILE_TOO_LARGE` above it); a workbook whose parts unpack to more than 25 times that (a zip bomb) is refused the same way before it is unpacked. A file that is not what the operation expects (bad CSV quoting, a damaged or non-Excel zip, invalid JSON) fails with `INVALID_FILE`, JSON nested deeper than `maxDepth` with `JSON_TOO_DEEP`, a missing sheet with `SHEET_NOT_FOUND`; a field that holds no file fails with `NOT_A_FILE`, and a file of another workspace or one deleted with `FILE_NOT_FOUND`.',
    ].join('\n'),
    examples: [
      {
        title: 'Rows of a CSV file',
        params: { operation: 'csv' },
        input: [{ file: { $file: 'f_exampleOrdersCsv000', name: 'orders.csv', mimeType: 'text/csv', size: 42 } }],
        output: { main: [{ sku: 'A-1', qty: '2', note: 'gift, wrapped' }, { sku: 'B-7', qty: '1', note: '' }] },
        files: { f_exampleOrdersCsv000: ordersCsv },
      },
      {
        title: 'Items of a JSON file',
        params: { operation: 'json', field: 'upload' },
        input: [{ upload: { $file: 'f_exampleCustomersJson0', name: 'customers.json', mimeType: 'application/json', size: 42 } }],
        output: { main: [{ name: 'Ann', vip: true }, { name: 'Bob' }] },
        files: { f_exampleCustomersJson0: '[{"name":"Ann","vip":true},{"name":"Bob"}]' },
      },
      {
        title: 'A text file into a field',
        params: { operation: 'text', destination: 'body' },
        input: [{ id: 7, file: { $file: 'f_exampleNoteTxt000000', name: 'note.txt', mimeType: 'text/plain', size: 11 } }],
        output: { main: [{ id: 7, file: { $file: 'f_exampleNoteTxt000000', name: 'note.txt', mimeType: 'text/plain', size: 11 }, body: 'hello world' }] },
        files: { f_exampleNoteTxt000000: 'hello world' },
      },
    ],
  },
  params: extractFromFileParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  services: ['files'],
  load: () => import('./execute'),
}
