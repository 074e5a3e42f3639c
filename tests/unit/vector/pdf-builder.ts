// Minimal PDFs written byte by byte (objects, cross-reference table, trailer): pages of text in Helvetica, or pages
// holding only an image (what a scan is), so extraction tests need no browser and no binary fixtures.
export type PdfPage = { lines: string[] } | { image: true }

const escape = (s: string) => s.replace(/[()\\]/g, (c) => `\\${c}`)

/** `encrypted`: a standard security handler whose user password is not empty (a reader must ask for it). */
export function buildPdf(pages: PdfPage[], info: { title?: string; encrypted?: boolean } = {}): Buffer {
  const objects: string[] = ['', '']
  const add = (body: string) => objects.push(body)
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>')
  const kids: number[] = []
  for (const page of pages) {
    let content: string
    let resources: string
    if ('lines' in page) {
      content = page.lines.map((line, i) => `BT /F1 12 Tf 72 ${720 - i * 16} Td (${escape(line)}) Tj ET`).join('\n')
      resources = `<< /Font << /F1 ${font} 0 R >> >>`
    } else {
      const pixels = '\xff\x00\x00\x00\xff\x00\x00\x00\xff\xff\xff\xff'
      const image = add(`<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length ${pixels.length} >>\nstream\n${pixels}\nendstream`)
      content = 'q 200 0 0 200 72 500 cm /Im1 Do Q'
      resources = `<< /XObject << /Im1 ${image} 0 R >> >>`
    }
    const stream = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`)
    kids.push(add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources ${resources} /Contents ${stream} 0 R >>`))
  }
  objects[0] = '<< /Type /Catalog /Pages 2 0 R >>'
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`
  const infoRef = info.title ? add(`<< /Title (${escape(info.title)}) >>`) : 0
  const hex32 = (byte: string) => `<${byte.repeat(32)}>`
  const encrypt = info.encrypted ? add(`<< /Filter /Standard /V 1 /R 2 /O ${hex32('a1')} /U ${hex32('b2')} /P -4 >>`) : 0
  let out = '%PDF-1.4\n'
  const offsets = objects.map((body, i) => {
    const at = Buffer.byteLength(out, 'latin1')
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
    return at
  })
  const xref = Buffer.byteLength(out, 'latin1')
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${infoRef ? ` /Info ${infoRef} 0 R` : ''}${encrypt ? ` /Encrypt ${encrypt} 0 R /ID [${hex32('c3')} ${hex32('c3')}]` : ''} >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}
