import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const compressionParams = z.object({
  operation: labelledEnum({ compress: 'Compress', decompress: 'Decompress' })
    .default('compress')
    .describe('compress: files into a zip archive or into .gz files. decompress: a zip or gzip file back into its files (the format is read from the file itself)'),
  format: labelledEnum({ zip: 'ZIP', gzip: 'gzip' })
    .default('zip')
    .describe('compress: zip puts the files into one archive; gzip compresses each file on its own (report.csv → report.csv.gz)'),
  fields: z
    .array(z.string().trim().min(1, 'Name the field'))
    .min(1, 'Name at least one field')
    .max(20)
    .default(['file'])
    .describe('Fields holding the files, e.g. "file" or "mail.attachments"; a field may hold one file or a list of them'),
  combine: labelledEnum({ eachItem: 'Each item separately', allItems: 'All items together' })
    .default('eachItem')
    .describe('compress zip: one archive per item, or one archive of the files of all items'),
  fileName: z.string().trim().min(1, 'Name the archive').default('archive.zip').describe('compress zip: the archive\'s file name, e.g. "{{ $json.orderId }}.zip"'),
  pathField: z
    .string()
    .trim()
    .default('')
    .describe('compress zip: field holding the path of the item\'s file inside the archive, e.g. "path" as decompress writes it ("docs/a.txt"). Empty: the file\'s name'),
  outputField: z.string().trim().min(1, 'Name the field').default('file').describe('Field the archive (compress) or each extracted file (decompress) goes in'),
  maxEntries: z.number().int().min(1).max(100_000).default(10_000).describe('Most files in one archive; a zip with more fails the step'),
  maxTotalMb: z
    .number()
    .positive()
    .max(1_000_000)
    .default(1024)
    .describe('Most megabytes one archive may hold uncompressed, all its files together (each file also within the file store\'s own cap)'),
  maxRatio: z
    .number()
    .min(2)
    .max(100_000)
    .default(200)
    .describe('decompress: most times a file may grow when unpacked (only checked for files over 1 MB); a higher ratio is taken for a zip bomb'),
})
export type CompressionParams = z.infer<typeof compressionParams>

const ref = (id: string, name: string, mimeType: string, size: number) => ({ $file: `f_${id.padEnd(24, '0')}`, name, mimeType, size })
const report = ref('report', 'report.csv', 'text/csv', 52_344)
const photo = ref('photo', 'photo.jpg', 'image/jpeg', 311_020)

export const compressionNode: NodeType<CompressionParams, 'files'> = {
  type: 'compression',
  version: 1,
  label: 'Compression',
  description: 'Packs files into a zip or gzip archive and unpacks zip and gzip archives into their files.',
  icon: 'FileArchive',
  category: 'files',
  docs: {
    description: [
      'Works on the files items carry (file references, which nodes that make files and uploads put in a field).',
      '**compress** with `format: zip` puts every file found in `fields` into one archive named `fileName`, one archive per item',
      '(`combine: eachItem`) or one for all items (`combine: allItems`); entries are named after the files, and a name that',
      'comes twice gets a number (`a.txt`, `a (2).txt`). `pathField` names a field with the path inside the archive',
      '(`docs/a.txt`), which is what decompress writes, so unpacked files can be packed again with their folders.',
      'With `format: gzip` each file becomes its own `name.gz`, one output item per file. The result goes in `outputField`.',
      '',
      '**decompress** reads the format from the file\'s first bytes. A zip gives **one output item per file** in it,',
      '`{ file, path }` with `path` its place in the archive (`docs/a.txt`); folders are skipped. (n8n puts all of them on one',
      'item; one item per file is easier to filter, loop over and page.) A gzip file gives one item with the file named',
      'without `.gz` (`.tgz` becomes `.tar`). Everything streams through the file store: no archive or file is held in memory whole.',
      '',
      'Archives from outside are checked before anything is unpacked. A zip with more than `maxEntries` entries, whose files',
      'declare more than `maxTotalMb` together or more than the file store takes for one file, or whose files would grow more',
      'than `maxRatio` times (above 1 MB) fails with ARCHIVE_TOO_LARGE; so does a file that inflates to more than its',
      'header declares, and a gzip file whose output passes the same limits while it is unpacked (counted as it streams).',
      'A zip entry whose name climbs out of the archive (`../`), is absolute (`/etc/x`, `C:\\x`) or holds control',
      'characters fails the step with UNSAFE_ARCHIVE_PATH naming the entry (backslashes count as `/`, as Windows tools',
      'write them). Encrypted entries and compression methods other than deflate fail with INVALID_FILE, as does a file that',
      'is not a zip or gzip archive or is cut short. A field without a file fails with NOT_A_FILE, a file of another workspace',
      'with FILE_NOT_FOUND.',
    ].join('\n'),
    examples: [
      {
        title: 'Zip the attachments of each item',
        params: { fields: ['attachments'], fileName: '{{ $json.orderId }}.zip', outputField: 'archive' },
        input: [{ orderId: 'A-17', attachments: [report, photo] }],
        output: { main: [{ orderId: 'A-17', attachments: [report, photo], archive: ref('a17zip', 'A-17.zip', 'application/zip', 358_211) }] },
      },
      {
        title: 'Unpack a zip into one item per file',
        params: { operation: 'decompress' },
        input: [{ file: ref('upload', 'export.zip', 'application/zip', 358_211) }],
        output: {
          main: [
            { file: ref('unzipped1', 'report.csv', 'text/csv', 52_344), path: 'export/report.csv' },
            { file: ref('unzipped2', 'photo.jpg', 'image/jpeg', 311_020), path: 'export/images/photo.jpg' },
          ],
        },
      },
      {
        title: 'Gzip a file',
        params: { format: 'gzip' },
        input: [{ file: report }],
        output: { main: [{ file: ref('reportgz', 'report.csv.gz', 'application/gzip', 9_871) }] },
      },
    ],
  },
  params: compressionParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['files'],
  mode: 'batch',
  load: () => import('./execute'),
}
