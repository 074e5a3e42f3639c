import { describe, expect, it } from 'vitest'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { xmlNode } from './definition'

const xml = (params: Record<string, unknown>) => ({ id: 'xml', type: 'xml', params })

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  ${Array.from({ length: 9 }, (_, n) => `<!ENTITY lol${n + 1} "${`&lol${n || ''};`.repeat(10)}">`).join('\n  ')}
]>
<lolz>&lol9;</lolz>`

/** Deeply nested elements or objects: `depth` levels of `a`. */
const deepXml = (depth: number) => `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`
function deepObject(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  let cur = root
  for (let i = 0; i < depth; i++) cur = cur.a = {} as Record<string, unknown>
  return root
}

describe('xml node', () => {
  it('parses XML into an object: attributes, text node, repeated elements, alwaysArray, entities', async () => {
    const body = '<?xml version="1.0"?><feed><entry id="1" lang="en">Tom &amp; Jerry<tag>a</tag><tag>b</tag></entry><total>007</total></feed>'
    const flow = await runFlow([xml({ alwaysArray: ['entry'], destination: 'parsed.feed' })], [{ body, parsed: { at: 1 } }])
    expect(flow.result.status).toBe('succeeded')
    expect(await flow.output('xml')).toEqual([
      {
        body,
        parsed: { at: 1, feed: { feed: { entry: [{ '@_id': '1', '@_lang': 'en', '#text': 'Tom & Jerry', tag: ['a', 'b'] }], total: '007' } } },
      },
    ])
  })

  it('takes its prefix, text name and number parsing from the params, and can drop attributes', async () => {
    const body = '<r><n unit="kg">12</n><m>x</m></r>'
    const named = await runFlow([xml({ attributePrefix: '$', textNodeName: '_', parseNumbers: true })], [{ body }])
    expect(await named.output('xml')).toEqual([{ body: { r: { n: { $unit: 'kg', _: 12 }, m: 'x' } } }])
    const plain = await runFlow([xml({ attributes: false })], [{ body }])
    expect(await plain.output('xml')).toEqual([{ body: { r: { n: '12', m: 'x' } } }])
  })

  it('writes an object as XML, escaping text and making prefixed keys attributes; the result parses back', async () => {
    const order = { '@_id': 7, sku: 'A<1>', lines: { line: [{ qty: 1 }, { qty: 2 }] } }
    const flow = await runFlow(
      [xml({ operation: 'toXml', sourceField: 'order', rootName: 'order', destination: 'xml' }), { id: 'back', type: 'xml', params: { sourceField: 'xml', parseNumbers: true } }],
      [{ order }],
    )
    const [written] = await flow.output('xml')
    expect(written.xml).toBe('<order id="7"><sku>A&lt;1&gt;</sku><lines><line><qty>1</qty></line><line><qty>2</qty></line></lines></order>')
    const [back] = await flow.output('back')
    expect(back.xml).toEqual({ order: { '@_id': '7', sku: 'A<1>', lines: { line: [{ qty: 1 }, { qty: 2 }] } } })
  })

  it('converts page by page', async () => {
    const flow = await runFlow([xml({})], numbered(2500, 1000, (i) => ({ body: `<i>${i}</i>` })), { pageSize: 1000 })
    const out = await flow.output('xml')
    expect(out).toHaveLength(2500)
    expect(out.at(-1)).toEqual({ body: { i: '2499' } })
    expect(flow.largestPage('xml')).toBe(1000)
  })

  it('does not expand a billion-laughs document: nested entity references stay text, the step is quick and small', async () => {
    const flow = await runFlow([xml({})], [{ body: billionLaughs }])
    expect(flow.result.status).toBe('succeeded')
    const [out] = await flow.output('xml')
    expect(JSON.stringify(out).length).toBeLessThan(200)
  })

  it('fails a flat entity blow-up with XML_ENTITY_LIMIT instead of building megabytes of text', async () => {
    const body = `<!DOCTYPE r [<!ENTITY a "${'x'.repeat(5000)}">]><r>${'&a;'.repeat(2000)}</r>`
    const flow = await runFlow([xml({})], [{ body }])
    expect(flow.result.status).toBe('failed')
    expect(flow.result.error).toMatchObject({
      code: 'XML_ENTITY_LIMIT',
      field: 'sourceField',
      message: expect.stringMatching(/^"body" on item 0 goes over the entity expansion limits/),
    })
  })

  it('fails 10,000 nested elements with XML_TOO_DEEP, not a stack overflow, and the next run works', async () => {
    const flow = await runFlow([xml({})], [{ body: deepXml(10_000) }])
    expect(flow.result.error).toMatchObject({
      code: 'XML_TOO_DEEP',
      field: 'sourceField',
      message: '"body" on item 0 nests elements deeper than 100 levels (maxDepth)',
    })
    const ok = await runFlow([xml({ maxDepth: 200 })], [{ body: deepXml(150) }])
    expect(ok.result.status).toBe('succeeded')
  })

  it('fails an object nested 10,000 deep with XML_TOO_DEEP when writing XML', async () => {
    const flow = await runFlow([xml({ operation: 'toXml', sourceField: 'doc' })], [{ doc: deepObject(10_000) }])
    expect(flow.result.error).toMatchObject({ code: 'XML_TOO_DEEP', field: 'sourceField', message: '"doc" on item 0 nests deeper than 100 levels (maxDepth)' })
  })

  it.each([
    ['<a><b></a>', /^"body" on item 1 is not valid XML: .*\(line 1, column \d+\)$/],
    ['just text', /^"body" on item 1 is not valid XML/],
    ['<a x="1" x="2"/>', /^"body" on item 1 is not valid XML: .*repeated/],
  ])('fails malformed XML %j with INVALID_XML naming the field and the item', async (body, message) => {
    const flow = await runFlow([xml({})], [{ body: '<ok/>' }, { body }])
    expect(flow.result.error).toMatchObject({ code: 'INVALID_XML', field: 'sourceField', message: expect.stringMatching(message) })
  })

  it('refuses a reserved element name with INVALID_XML', async () => {
    const flow = await runFlow([xml({})], [{ body: '<r><__proto__><polluted>1</polluted></__proto__></r>' }])
    expect(flow.result.error).toMatchObject({ code: 'INVALID_XML', field: 'sourceField' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it.each([
    [{ body: 5 }, {}, /"body" on item 0 is a number, not text/],
    [{ body: 'x'.repeat(1_100_000) }, { maxInputMb: 1 }, /over the limit of 1 MB \(maxInputMb\)/],
    [{ body: ['a'] }, { operation: 'toXml' }, /"body" on item 0 is a list, not an object \(set rootName/],
  ])('fails on an unusable source %#', async (item, params, message) => {
    const flow = await runFlow([xml(params)], [item])
    expect(flow.result.error).toMatchObject({ field: 'sourceField', message: expect.stringMatching(message) })
  })

  it.each([
    [{ operation: 'yaml' }, ['operation']],
    [{ attributePrefix: '' }, ['attributePrefix']],
    [{ maxDepth: 5000 }, ['maxDepth']],
    [{ alwaysArray: [''] }, ['alwaysArray', 0]],
  ])('refuses params %j naming the field', (params, path) => {
    expect(xmlNode.params.safeParse(params).error?.issues[0].path).toEqual(path)
  })
})
