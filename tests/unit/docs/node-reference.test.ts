// docs/nodes.md is generated from the node definitions; this is the check that it is current (CI runs it in `npm test`).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { compactJson } from '@/lib/docs/compact-json'
import { NODE_DOCS, headingAnchor, nodeReferenceMarkdown } from '@/lib/docs/node-reference'
import { paramDocs } from '@/lib/forms/param-docs'
import type { JsonSchema } from '@/lib/forms/schema'
import { nodeCatalogue } from '@/lib/nodes/catalogue'

const root = path.resolve(import.meta.dirname, '../../..')
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8')
const generate = () => nodeReferenceMarkdown(nodeCatalogue(), read(NODE_DOCS.intro), read(NODE_DOCS.appendix))

describe('docs/nodes.md', () => {
  it('is what `npm run docs:nodes` generates from the node definitions', () => {
    const stale = read(NODE_DOCS.output) !== generate()
    expect(stale, 'docs/nodes.md is stale: run `npm run docs:nodes` and commit the result (edit lib/nodes/*/definition.ts, docs/nodes.intro.md or docs/nodes.appendix.md, never docs/nodes.md)').toBe(false)
  })

  it('is deterministic', () => {
    expect(generate()).toBe(generate())
  })

  it('has a section, a parameter table and every example for each node type', () => {
    const text = generate()
    for (const e of nodeCatalogue()) {
      expect(text).toContain(`## ${e.label}\n\n\`${e.type}\` · category ${e.category}`)
      for (const ex of e.docs?.examples ?? []) expect(text).toContain(`**Example: ${ex.title}**`)
    }
  })

  it('keeps the hand-written intro and appendix, and every contents link points at a heading', () => {
    const text = generate()
    expect(text).toContain(read(NODE_DOCS.intro).trim())
    expect(text).toContain(read(NODE_DOCS.appendix).trim())
    const anchors = new Set([...text.matchAll(/^#{1,3} (.+)$/gm)].map((m) => headingAnchor(m[1])))
    const links = [...text.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1])
    expect(links.length).toBeGreaterThan(20)
    expect(links.filter((l) => !anchors.has(l))).toEqual([])
  })
})

describe('paramDocs', () => {
  const schema = z.toJSONSchema(
    z.object({
      mode: z.enum(['rules', 'expression']).default('rules').describe('How items are routed').meta({ optionLabels: { rules: 'Rules', expression: 'Expression' } }),
      rules: z.array(z.object({ left: z.string().describe('Left side'), label: z.string().optional() })).default([]).describe('rules mode: one output per rule'),
      count: z.number().int().min(1).max(50).default(2).describe('expression mode: number of outputs'),
      url: z.string().describe('Where | to'),
    }),
    { io: 'input' },
  ) as JsonSchema

  it('lists each param with its type, default and description, nested row fields after their list', () => {
    expect(paramDocs(schema)).toEqual([
      { name: 'mode', label: 'Mode', type: 'one of `rules` “Rules”, `expression` “Expression”', required: false, default: '"rules"', description: 'How items are routed' },
      { name: 'rules', label: 'Rules', type: 'list of rows', required: false, default: '[]', description: 'One output per rule', condition: 'Only when `mode` is `rules` “Rules”.' },
      { name: 'rules[].left', label: 'Left', type: 'text', required: true, description: 'Left side' },
      { name: 'rules[].label', label: 'Label', type: 'text', required: false, description: '' },
      { name: 'count', label: 'Count', type: 'whole number 1–50', required: false, default: '2', description: 'Number of outputs', condition: 'Only when `mode` is `expression` “Expression”.' },
      { name: 'url', label: 'URL', type: 'text', required: true, description: 'Where | to' },
    ])
  })

  it('renders into a table whose cells cannot break it', () => {
    const [entry] = nodeCatalogue()
    const text = nodeReferenceMarkdown([{ ...entry, params: schema, docs: undefined }], '# Intro', '## More')
    expect(text).toContain('| `url` · URL | text | required | Where \\| to |')
    expect(text).toContain('| `count` · Count | whole number 1–50 | `2` | Only when `mode` is `expression` “Expression”. Number of outputs |')
  })
})

describe('compactJson', () => {
  it('keeps short values on one line and breaks long ones per element', () => {
    expect(compactJson({ a: 1 })).toBe('{"a":1}')
    expect(compactJson([{ id: 'x'.repeat(60) }, { id: 'y'.repeat(60) }])).toBe(`[\n  {"id":"${'x'.repeat(60)}"},\n  {"id":"${'y'.repeat(60)}"}\n]`)
  })
})
