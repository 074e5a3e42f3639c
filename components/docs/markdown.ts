// The little markdown node docs use (paragraphs, lists, tables, fenced code, `code`, **bold**, *emphasis*, links),
// parsed to plain data that Markdown.tsx renders as React elements: text is never handed to the DOM as HTML.

export type Inline = { kind: 'text' | 'code' | 'bold' | 'em'; text: string }

export type Block =
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'table'; header: Inline[][]; rows: Inline[][][] }
  | { kind: 'code'; text: string }

const INLINE = /`([^`]+)`|\*\*(.+?)\*\*|\*([^*\s][^*]*?)\*|\[([^\]]+)\]\([^)]*\)/g

/** Splits one line of text into runs; a link keeps only its text (its anchors point into docs/nodes.md). */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = []
  let last = 0
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) })
    if (m[1] !== undefined) out.push({ kind: 'code', text: m[1] })
    else if (m[2] !== undefined) out.push({ kind: 'bold', text: m[2] })
    else if (m[3] !== undefined) out.push({ kind: 'em', text: m[3] })
    else out.push({ kind: 'text', text: m[4] })
    last = m.index + m[0].length
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) })
  return out
}

const cells = (row: string) => row.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => parseInline(c.trim().replace(/\\\|/g, '|')))

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n/g, '\n').split('\n')
  const blocks: Block[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i]
    if (!line.trim()) {
      i++
    } else if (line.startsWith('```')) {
      const body: string[] = []
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i])
      blocks.push({ kind: 'code', text: body.join('\n') })
      i++
    } else if (line.startsWith('|')) {
      const rows: string[] = []
      for (; i < lines.length && lines[i].startsWith('|'); i++) if (!/^\|[\s:|-]+\|$/.test(lines[i].trim())) rows.push(lines[i])
      blocks.push({ kind: 'table', header: cells(rows[0]), rows: rows.slice(1).map(cells) })
    } else if (/^\s*[-*] /.test(line)) {
      const items: string[] = []
      for (; i < lines.length && lines[i].trim(); i++) {
        if (/^\s*[-*] /.test(lines[i])) items.push(lines[i].replace(/^\s*[-*] /, ''))
        else items[items.length - 1] += ` ${lines[i].trim()}`
      }
      blocks.push({ kind: 'list', items: items.map(parseInline) })
    } else {
      const para: string[] = []
      for (; i < lines.length && lines[i].trim() && !/^(```|\||\s*[-*] )/.test(lines[i]); i++) para.push(lines[i].trim().replace(/^#+\s*/, ''))
      blocks.push({ kind: 'paragraph', inlines: parseInline(para.join(' ')) })
    }
  }
  return blocks
}

/** The first paragraph as plain text: the palette's hover card shows it. */
export function firstParagraph(source: string): string {
  const first = parseMarkdown(source).find((b) => b.kind === 'paragraph')
  return first?.kind === 'paragraph' ? first.inlines.map((r) => r.text).join('') : ''
}
