// The studio shows node docs as React elements: the markdown subset renders readably and text never becomes markup.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { firstParagraph, parseMarkdown } from '@/components/docs/markdown'
import { Markdown } from '@/components/docs/Markdown'
import { NodeDocs } from '@/components/inspector/NodeDocs'
import { NodeTypeCard } from '@/components/palette/NodeTypeCard'
import { nodeCatalogue } from '@/lib/nodes/catalogue'
import type { NodeTypeInfo } from '@/lib/store/types'

const entry = (type: string) => nodeCatalogue().find((e) => e.type === type)! as NodeTypeInfo

describe('node docs markdown', () => {
  it('parses paragraphs, lists, tables and fenced code', () => {
    const blocks = parseMarkdown('One line\ngoes on with `code` and **bold**.\n\n- a *b*\n- [link](#x)\n  wrapped\n\n| k | v |\n|---|---|\n| `x\\|y` | 2 |\n\n```js\nreturn 1\n```')
    expect(blocks).toEqual([
      { kind: 'paragraph', inlines: [{ kind: 'text', text: 'One line goes on with ' }, { kind: 'code', text: 'code' }, { kind: 'text', text: ' and ' }, { kind: 'bold', text: 'bold' }, { kind: 'text', text: '.' }] },
      { kind: 'list', items: [[{ kind: 'text', text: 'a ' }, { kind: 'em', text: 'b' }], [{ kind: 'text', text: 'link' }, { kind: 'text', text: ' wrapped' }]] },
      { kind: 'table', header: [[{ kind: 'text', text: 'k' }], [{ kind: 'text', text: 'v' }]], rows: [[[{ kind: 'code', text: 'x|y' }], [{ kind: 'text', text: '2' }]]] },
      { kind: 'code', text: 'return 1' },
    ])
    expect(firstParagraph('Keeps **some** items.\n\nMore.')).toBe('Keeps some items.')
  })

  it('renders HTML in the text as text', () => {
    const html = renderToStaticMarkup(<Markdown source={'<img src=x onerror="alert(1)"> and `<script>`\n\n- <b>x</b>'} />)
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<b>')
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;')
    expect(html).toContain('<code class="rounded bg-panel-2 px-1 font-mono text-[11px]">&lt;script&gt;</code>')
  })
})

describe('inspector Docs tab', () => {
  it('shows the description rendered, every parameter and every example', () => {
    expect(renderToStaticMarkup(<NodeDocs type={entry('merge')} />)).toContain('<strong>connected</strong>')
    const set = entry('set')
    const html = renderToStaticMarkup(<NodeDocs type={set} />)
    expect(html).not.toMatch(/\*\*|`/)
    for (const p of ['fields', 'fields[].name', 'fields[].type', 'keepOtherFields']) expect(html).toContain(`>${p}</code>`)
    expect(html).toContain('one of <code class="rounded bg-panel-2 px-1 font-mono text-[11px]">auto</code>')
    for (const ex of set.docs!.examples) expect(html).toContain(ex.title)
    expect(html.match(/data-testid="docs-example"/g)).toHaveLength(set.docs!.examples.length)
  })

  it('lists ports, credential kinds and host services', () => {
    const html = renderToStaticMarkup(<NodeDocs type={entry('http-request')} />)
    expect(html).toContain('Credential (optional): apiKey, bearer, basicAuth, customHeaders')
    expect(renderToStaticMarkup(<NodeDocs type={entry('llm-chat')} />)).toContain('Host services: ai')
  })
})

describe('palette hover card', () => {
  it("shows the first paragraph of the docs and the first example's title", () => {
    const filter = entry('filter')
    const html = renderToStaticMarkup(<NodeTypeCard type={filter} />)
    expect(html).toContain('role="tooltip"')
    expect(html).toContain(`Example: ${filter.docs!.examples[0].title}`)
    expect(html).toContain('Keeps the items whose conditions hold')
  })
})
