// A document (text with its type, or a file) → normalised text ready to chunk. Sizes are checked before a byte
// is read: a file whose declared size is over the limit is refused without opening it.
import { lazy } from '../lazy'
import { VectorError } from './errors'
import { pdfText } from './pdf'
import type { IngestDocument } from './types'

// HTML goes through cheerio: loaded with the first HTML document, not with every process that can ingest.
const loadHtml = lazy(() => import('./html'))

export type DocumentType = 'text/plain' | 'text/markdown' | 'text/html' | 'application/pdf'

export interface Extracted {
  text: string
  mimeType: DocumentType
  /** Markdown-aware chunking (Markdown, and HTML converted to it). */
  markdown: boolean
  /** The document's own title (HTML <title>, PDF metadata), when the caller gave none. */
  title: string
}

const BY_EXTENSION: Record<string, DocumentType> = {
  txt: 'text/plain', text: 'text/plain', csv: 'text/plain', log: 'text/plain', json: 'text/plain',
  md: 'text/markdown', markdown: 'text/markdown', mdx: 'text/markdown',
  html: 'text/html', htm: 'text/html', xhtml: 'text/html',
  pdf: 'application/pdf',
}
const ALIASES: Record<string, DocumentType> = {
  'text/plain': 'text/plain', 'text/csv': 'text/plain', 'application/json': 'text/plain',
  'text/markdown': 'text/markdown', 'text/x-markdown': 'text/markdown',
  'text/html': 'text/html', 'application/xhtml+xml': 'text/html',
  'application/pdf': 'application/pdf',
}
const GENERIC = new Set(['', 'application/octet-stream', 'binary/octet-stream'])

/** The document's type: as given, else guessed from the file name; unsupported types are refused by name. */
export function documentType(doc: IngestDocument, field: string): DocumentType {
  const given = (doc.mimeType ?? doc.file?.mimeType ?? '').split(';')[0].trim().toLowerCase()
  if (!GENERIC.has(given)) {
    const type = ALIASES[given]
    if (!type) throw new VectorError('VECTOR_UNSUPPORTED_TYPE', `${field}.mimeType: ${given} is not supported (text, Markdown, HTML or PDF)`, { field: `${field}.mimeType` })
    return type
  }
  if (doc.text !== undefined) return 'text/plain'
  const ext = /\.([a-z0-9]+)$/i.exec(doc.file?.name ?? '')?.[1]?.toLowerCase() ?? ''
  const type = BY_EXTENSION[ext]
  if (!type) throw new VectorError('VECTOR_UNSUPPORTED_TYPE', `${field}.file: cannot tell the type of "${doc.file?.name ?? ''}" (give mimeType: text, Markdown, HTML or PDF)`, { field: `${field}.mimeType` })
  return type
}

const tooLarge = (field: string, size: number, max: number) =>
  new VectorError('VECTOR_DOCUMENT_TOO_LARGE', `${field}: ${formatMb(size)} is over the limit of ${formatMb(max)} per document`, { field, details: { size, maxBytes: max } })
const formatMb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`

/** The bytes of a file document, refused by its declared size before anything is read. */
async function readFile(doc: IngestDocument, field: string, maxBytes: number): Promise<Buffer> {
  const file = doc.file!
  if (typeof file.size !== 'number' || !Number.isFinite(file.size) || file.size < 0) throw new VectorError('VECTOR_INVALID', `${field}.file.size must be a byte count`, { field: `${field}.file` })
  if (file.size > maxBytes) throw tooLarge(`${field}.file`, file.size, maxBytes)
  const bytes = await file.read(maxBytes)
  if (bytes.length > maxBytes) throw tooLarge(`${field}.file`, bytes.length, maxBytes)
  return bytes
}

/** Line endings, Unicode normal form, control characters, trailing spaces and runs of blank lines made uniform. */
export function normalizeText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

export async function extractDocument(doc: IngestDocument, field: string, maxBytes: number): Promise<Extracted> {
  if ((doc.text === undefined) === (doc.file === undefined)) throw new VectorError('VECTOR_INVALID', `${field}: give either text or file`, { field })
  if (doc.text !== undefined && typeof doc.text !== 'string') throw new VectorError('VECTOR_INVALID', `${field}.text must be a string`, { field: `${field}.text` })
  const mimeType = documentType(doc, field)
  const source = doc.file ? `${field}.file` : `${field}.text`
  let raw: string
  let title = ''
  if (doc.text !== undefined) {
    const bytes = Buffer.byteLength(doc.text)
    if (bytes > maxBytes) throw tooLarge(source, bytes, maxBytes)
    if (mimeType === 'application/pdf') throw new VectorError('VECTOR_INVALID', `${field}: a PDF is ingested as a file, not as text`, { field: `${field}.mimeType` })
    raw = doc.text
  } else {
    const bytes = await readFile(doc, field, maxBytes)
    if (mimeType === 'application/pdf') {
      const pdf = await pdfText(bytes, source)
      raw = pdf.pages.map((p) => p.trim()).filter(Boolean).join('\n\n')
      title = pdf.title
    } else raw = bytes.toString('utf8')
  }
  if (mimeType === 'text/html') {
    const { htmlToMarkdown } = await loadHtml()
    const html = htmlToMarkdown(raw)
    raw = html.text
    title = html.title
  }
  const text = normalizeText(raw)
  if (!text) throw new VectorError('VECTOR_DOCUMENT_EMPTY', `${source}: the document has no text`, { field: source })
  return { text, mimeType, markdown: mimeType === 'text/markdown' || mimeType === 'text/html', title }
}
