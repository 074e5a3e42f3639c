import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const CONVERT_OPERATIONS = ['csv', 'xlsx', 'json', 'text', 'base64'] as const

export const convertToFileParams = z.object({
  operation: z
    .enum(CONVERT_OPERATIONS).meta({ optionLabels: { csv: 'CSV', xlsx: 'Excel (XLSX)', json: 'JSON', text: 'Text', base64: 'From Base64' } })
    .default('csv')
    .describe('csv, xlsx: all items as rows of one file. json: the items as JSON, one file of all or one per item. text: a field\'s text as a file. base64: a field holding base64 as a file'),
  fileName: z.string().trim().max(255).default('').describe('Name of the file, may be an expression (empty: data.csv, data.xlsx, data.json, file.txt or file)'),
  outputField: z.string().trim().min(1, 'Name the field for the file').default('file').describe('Field the file reference goes in'),
  delimiter: z.string().min(1, 'Give a delimiter, e.g. ","').max(4).default(',').describe('operation csv: text between values'),
  headerRow: z.boolean().default(true).describe('operation csv/xlsx: write the column names as the first row'),
  columns: z
    .array(z.string().trim().min(1, 'Name the column'))
    .max(1000)
    .default([])
    .describe('operation csv/xlsx: the columns, in order (empty: the fields of the first page of items, in order of appearance)'),
  sheetName: z
    .string()
    .trim()
    .min(1, 'Name the sheet')
    .max(31, 'A sheet name has at most 31 characters')
    .regex(/^[^[\]:*?/\\]+$/, 'A sheet name cannot hold [ ] : * ? / \\')
    .default('Sheet1')
    .describe('operation xlsx: name of the worksheet'),
  jsonMode: labelledEnum({ allItems: 'All items together', eachItem: 'Each item separately' }).default('allItems').describe('operation json: one file holding a list of every item (allItems) or one file per item (eachItem)'),
  pretty: z.boolean().default(false).describe('operation json: indent the JSON'),
  sourceField: z.string().trim().min(1, 'Name the field to convert').default('data').describe('operation text/base64: field holding the text, or the base64 string'),
  mimeType: z.string().trim().max(255).default('').describe('operation text/base64: the file\'s media type, e.g. "image/png" (empty: from the file name\'s extension)'),
  keepSource: z.boolean().default(false).describe('operation text/base64: keep the source field in the output item (off: the file replaces it)'),
})
export type ConvertToFileParams = z.infer<typeof convertToFileParams>

const orders = [
  { sku: 'A-1', qty: 2, note: 'gift, wrapped' },
  { sku: 'B-7', qty: 1, note: '' },
]

export const convertToFileNode: NodeType<ConvertToFileParams, 'files'> = {
  type: 'convert-to-file',
  version: 1,
  label: 'Convert to file',
  description: 'Turns items into a CSV, XLSX or JSON file, or a field\'s text or base64 into a file.',
  icon: 'FileOutput',
  category: 'files',
  docs: {
    description: [
      'Makes a file from items. The file goes to the file store and the output item holds a reference to it (`{ "file": { "$file": "f_…", "name", "mimeType", "size" } }`), which nodes that read files, such as Extract from file, take.',
      '',
      '| operation | output |',
      '|---|---|',
      '| `csv` | One item with one CSV file of every input item, a row each. Values are written as text; objects and lists as JSON. |',
      '| `xlsx` | One item with one Excel workbook of one sheet (`sheetName`), a row per input item. Numbers and booleans keep their type; objects and lists are written as JSON text. |',
      '| `json` | `jsonMode` allItems: one item with one file holding a list of every item. eachItem: each item gets a file of itself. |',
      '| `text` | Each item gets a file of the text in `sourceField` (UTF-8); a value that is not text fails the step. |',
      '| `base64` | Each item gets a file of the bytes the base64 text in `sourceField` decodes to (a `data:…;base64,` prefix is allowed and gives the media type). |',
      '',
      'csv and xlsx write their columns in the order of `columns`, or else of the fields of the first page of items (1,000 by default), in order of appearance. A later item with a field that is not a column fails the step with `UNKNOWN_COLUMN` (set `columns` to choose which fields to write: fields not listed are then left out); missing fields and `null` are empty cells. The file is written as the items arrive, page by page, so a million items make a file without ever being held in memory. text and base64 replace `sourceField` with the file unless `keepSource` is on.',
      '',
      '`fileName` may be an expression; with one file of all items it is resolved against the first item. A file larger than the store accepts fails with `FILE_TOO_LARGE`.',
    ].join('\n'),
    examples: [
      {
        title: 'Orders as a CSV file',
        params: { operation: 'csv', fileName: 'orders.csv' },
        input: orders,
        output: { main: [{ file: { $file: 'f_exampleOrdersCsv000', name: 'orders.csv', mimeType: 'text/csv', size: 42 } }] },
        files: { f_exampleOrdersCsv000: 'sku,qty,note\nA-1,2,"gift, wrapped"\nB-7,1,\n' },
      },
      {
        title: 'Each order as a JSON file',
        params: { operation: 'json', jsonMode: 'eachItem', fileName: '{{ $json.sku }}.json', outputField: 'document' },
        input: [{ sku: 'A-1', qty: 2 }],
        output: { main: [{ sku: 'A-1', qty: 2, document: { $file: 'f_exampleOrderJson0000', name: 'A-1.json', mimeType: 'application/json', size: 21 } }] },
        files: { f_exampleOrderJson0000: '{"sku":"A-1","qty":2}' },
      },
      {
        title: 'Base64 text to a file',
        params: { operation: 'base64', sourceField: 'content', fileName: 'hello.txt' },
        input: [{ id: 1, content: 'aGVsbG8gd29ybGQ=' }],
        output: { main: [{ id: 1, file: { $file: 'f_exampleHelloTxt00000', name: 'hello.txt', mimeType: 'text/plain', size: 11 } }] },
        files: { f_exampleHelloTxt00000: 'hello world' },
      },
    ],
  },
  params: convertToFileParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  services: ['files'],
  load: () => import('./execute'),
}
