// PDF text with pdfjs-dist (Mozilla's PDF.js, legacy build for Node): text per page, pages separated by blank
// lines. Parsing runs in this thread (no worker: a Node host has no use for one), without eval and without
// fonts (text extraction needs neither). A PDF with no text on any page is a scan: refused, OCR is not done here.
import { VectorError } from './errors'

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs')
let pdfjs: Promise<PdfJs> | undefined
// Loaded on first use: a process that never reads a PDF never pays for the module.
const loadPdfJs = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'))

export interface PdfText {
  pages: string[]
  title: string
}

export async function pdfText(bytes: Uint8Array, field: string): Promise<PdfText> {
  const { getDocument } = await loadPdfJs()
  const task = getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: false, verbosity: 0 })
  let doc: Awaited<typeof task.promise>
  try {
    doc = await task.promise
  } catch (err) {
    await task.destroy().catch(() => undefined)
    throw pdfError(err, field)
  }
  try {
    const pages: string[] = []
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n)
      const content = await page.getTextContent()
      pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''))
      page.cleanup()
    }
    if (!pages.some((p) => p.trim())) {
      throw new VectorError('PDF_NO_TEXT', `${field}: the PDF has no text (${doc.numPages} page${doc.numPages === 1 ? '' : 's'} of images only, e.g. a scan); OCR is not supported`, { field })
    }
    const info = (await doc.getMetadata().catch(() => null))?.info as { Title?: unknown } | undefined
    return { pages, title: typeof info?.Title === 'string' ? info.Title.trim() : '' }
  } catch (err) {
    throw err instanceof VectorError ? err : pdfError(err, field)
  } finally {
    await doc.destroy()
  }
}

function pdfError(err: unknown, field: string): VectorError {
  const name = (err as { name?: string })?.name
  const message = (err as Error)?.message ?? String(err)
  if (name === 'PasswordException') return new VectorError('PDF_ENCRYPTED', `${field}: the PDF is password-protected; remove the password and ingest it again`, { field, cause: err })
  return new VectorError('PDF_INVALID', `${field}: not a readable PDF (${message})`, { field, cause: err })
}
