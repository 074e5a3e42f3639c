// HTML → Markdown-like text for chunking: scripts, styles, navigation and other non-content dropped, headings
// kept as `#` headings (so the chunker splits at them and records the heading path), blocks on their own
// lines, list items as `- `, table cells separated by ` | `, preformatted text kept as fenced code.
import { load, type CheerioAPI } from 'cheerio'

type AnyNode = Parameters<CheerioAPI['contains']>[0]

const DROP = 'script, style, nav, noscript, template, svg, iframe, canvas, object, embed, head, [hidden], [aria-hidden="true"]'
const BLOCK = new Set(['p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'blockquote', 'figure', 'figcaption', 'ul', 'ol', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot', 'form', 'fieldset', 'address', 'details', 'summary', 'hr', 'body', 'html'])

interface Walk {
  out: string[]
}

const collapse = (s: string) => s.replace(/\s+/g, ' ')

function walk(node: AnyNode, w: Walk): void {
  if (node.type === 'text') {
    w.out.push(collapse((node as { data: string }).data))
    return
  }
  if (node.type !== 'tag' && node.type !== 'root') return
  const el = node as AnyNode & { name?: string; children: AnyNode[] }
  const name = el.name ?? ''
  const heading = /^h([1-6])$/.exec(name)
  if (heading) {
    w.out.push(`\n\n${'#'.repeat(Number(heading[1]))} ${collapse(textOf(el)).trim()}\n\n`)
    return
  }
  if (name === 'pre') {
    w.out.push(`\n\n\`\`\`\n${textOf(el).replace(/\n+$/, '')}\n\`\`\`\n\n`)
    return
  }
  if (name === 'br') return void w.out.push('\n')
  if (name === 'li') w.out.push('\n- ')
  else if (BLOCK.has(name)) w.out.push('\n\n')
  for (const child of el.children ?? []) walk(child, w)
  if (name === 'td' || name === 'th') w.out.push(' | ')
  else if (name === 'tr') w.out.push('\n')
  else if (BLOCK.has(name)) w.out.push('\n\n')
}

function textOf(node: AnyNode): string {
  if (node.type === 'text') return (node as { data: string }).data
  return ((node as { children?: AnyNode[] }).children ?? []).map(textOf).join('')
}

export function htmlToMarkdown(html: string): { text: string; title: string } {
  const $ = load(html)
  const title = collapse($('head > title').first().text()).trim()
  $(DROP).remove()
  const w: Walk = { out: [] }
  const root = $('body').get(0) ?? $.root().get(0)
  if (root) walk(root, w)
  const text = w.out
    .join('')
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').replace(/ \| $/, '').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  return { text, title }
}
