// Extraction: text, Markdown, HTML (non-content dropped, headings kept as Markdown) and PDF (text per page; scans,
// password-protected and broken files refused), types from the name, sizes checked before reading.
import { describe, expect, it } from 'vitest'
import { extractDocument, normalizeText } from '../../../lib/vector/extract'
import { htmlToMarkdown } from '../../../lib/vector/html'
import type { DocumentFile, IngestDocument } from '../../../lib/vector/types'
import { documentFile as file, MB, refusal, unreadableFile } from './document-files'
import { buildPdf } from './pdf-builder'

const extract = (doc: Omit<IngestDocument, 'key'>, maxBytes = 5 * MB) => extractDocument({ key: 'k', ...doc }, 'documents[0]', maxBytes)

describe('text and Markdown', () => {
  it('normalises line endings, Unicode, control characters, trailing spaces and blank-line runs', () => {
    expect(normalizeText('\uFEFFa\r\nb  \r\n\r\n\r\n\r\nc\u0007e\u0301\t')).toBe('a\nb\n\nce\u0301'.normalize('NFC'))
  })

  it('keeps Markdown as Markdown, chunked at its headings', async () => {
    expect(await extract({ text: '# Title\r\n\r\nBody', mimeType: 'text/markdown; charset=utf-8' })).toEqual({ text: '# Title\n\nBody', mimeType: 'text/markdown', markdown: true, title: '' })
  })

  it('reads text files as UTF-8 and tells the type from the name when none is given', async () => {
    expect(await extract({ file: file('notes.md', '## Heading\n\nÄpfel') })).toMatchObject({ text: '## Heading\n\nÄpfel', mimeType: 'text/markdown', markdown: true })
    expect(await extract({ file: file('notes.txt', 'plain', 'application/octet-stream') })).toMatchObject({ mimeType: 'text/plain', markdown: false })
  })

  it.each<[string, Omit<IngestDocument, 'key'>, string, string]>([
    ['an unsupported type', { text: 'x', mimeType: 'image/png' }, 'VECTOR_UNSUPPORTED_TYPE', 'documents[0].mimeType'],
    ['a file whose type cannot be told', { file: file('photo.heic', 'x') }, 'VECTOR_UNSUPPORTED_TYPE', 'documents[0].mimeType'],
    ['neither text nor file', {}, 'VECTOR_INVALID', 'documents[0]'],
    ['both text and file', { text: 'x', file: file('a.txt', 'y') }, 'VECTOR_INVALID', 'documents[0]'],
    ['no text at all', { text: ' \n\t ' }, 'VECTOR_DOCUMENT_EMPTY', 'documents[0].text'],
    ['a PDF given as text', { text: '%PDF-1.4', mimeType: 'application/pdf' }, 'VECTOR_INVALID', 'documents[0].mimeType'],
  ])('refuses %s', async (_name, doc, code, field) => {
    expect(await refusal(extract(doc))).toMatchObject({ code, field })
  })
})

describe('HTML', () => {
  const page = `<!doctype html><html><head><title> The  Page </title><style>body{}</style><script>var x = "secret"</script></head>
    <body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
    <main><h1>Main   title</h1><p>First <b>bold</b>
    paragraph.</p><h2>Details</h2><ul><li>one</li><li>two</li></ul>
    <table><tr><th>Name</th><th>Qty</th></tr><tr><td>Apple</td><td>3</td></tr></table>
    <pre>line 1
line 2</pre><noscript>enable js</noscript><div hidden>invisible</div></main></body></html>`

  it('drops scripts, styles and navigation, keeps headings as Markdown headings and blocks on their own lines', () => {
    const { text, title } = htmlToMarkdown(page)
    expect(title).toBe('The Page')
    expect(text).toBe(['# Main title', '', 'First bold paragraph.', '', '## Details', '', '- one', '- two', '', 'Name | Qty', 'Apple | 3', '', '```', 'line 1', 'line 2', '```'].join('\n'))
    for (const gone of ['secret', 'Home', 'About', 'body{}', 'enable js', 'invisible']) expect(text).not.toContain(gone)
  })

  it('is chunked as Markdown and titled by its <title>', async () => {
    expect(await extract({ text: page, mimeType: 'text/html' })).toMatchObject({ mimeType: 'text/html', markdown: true, title: 'The Page' })
  })
})

describe('PDF', () => {
  it('reads the text of every page, and the title from the metadata', async () => {
    const pdf = buildPdf([{ lines: ['Quarterly report (draft)', 'Revenue grew.'] }, { lines: ['Page two text.'] }], { title: 'Q3 Report' })
    expect(await extract({ file: file('report.pdf', pdf, 'application/pdf') })).toEqual({
      text: 'Quarterly report (draft)\nRevenue grew.\n\nPage two text.',
      mimeType: 'application/pdf',
      markdown: false,
      title: 'Q3 Report',
    })
  })

  it.each([
    ['only images (a scan)', buildPdf([{ image: true }, { image: true }]), 'PDF_NO_TEXT', /no text \(2 pages of images only.*OCR is not supported/],
    ['password-protected', buildPdf([{ lines: ['secret'] }], { encrypted: true }), 'PDF_ENCRYPTED', /password-protected/],
    ['cut short', buildPdf([{ lines: ['x'] }]).subarray(0, 120), 'PDF_INVALID', /not a readable PDF/],
    ['not a PDF at all', Buffer.from('hello, I am text'), 'PDF_INVALID', /not a readable PDF/],
  ])('refuses a PDF that is %s', async (_name, bytes, code, message) => {
    const err = await refusal(extract({ file: file('x.pdf', bytes) }))
    expect(err).toMatchObject({ code, status: 422, field: 'documents[0].file' })
    expect(err.message).toMatch(message)
  })
})

describe('size limits', () => {
  it('refuses a 500 MB file by its declared size without reading a byte', async () => {
    const err = await refusal(extract({ file: unreadableFile('huge.pdf', 'application/pdf', 500 * MB) }, 50 * MB))
    expect(err).toMatchObject({ code: 'VECTOR_DOCUMENT_TOO_LARGE', status: 413, field: 'documents[0].file', details: { size: 500 * MB, maxBytes: 50 * MB } })
    expect(err.message).toMatch(/500\.0 MB is over the limit of 50\.0 MB/)
  })

  it('refuses a file that turns out larger than it said, and text over the limit', async () => {
    const liar: DocumentFile = { name: 'a.txt', mimeType: 'text/plain', size: 10, read: async () => Buffer.alloc(2000, 'a') }
    expect(await refusal(extract({ file: liar }, 1000))).toMatchObject({ code: 'VECTOR_DOCUMENT_TOO_LARGE', field: 'documents[0].file' })
    expect(await refusal(extract({ text: 'é'.repeat(600) }, 1000))).toMatchObject({ code: 'VECTOR_DOCUMENT_TOO_LARGE', field: 'documents[0].text' })
  })
})
