import { describe, expect, it } from 'vitest'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { htmlNode } from './definition'

const listing = `<html><head><title> Results </title></head><body>
  <ul class="results">
    <li data-id="1"><a href="/a">Alpha <b>new</b></a><span class="tag">x</span><span class="tag">y</span></li>
    <li data-id="2"><a href="/b">Beta</a></li>
  </ul>
  <form><input name="q" value="mugs"><select name="sort"><option value="price" selected>Price</option></select></form>
</body></html>`

const html = (params: Record<string, unknown>) => ({ id: 'html', type: 'html', params })

describe('html node', () => {
  it('extracts text, inner html, attributes and form values onto the item, first match or all', async () => {
    const flow = await runFlow(
      [
        html({
          rules: [
            { key: 'title', selector: 'title' },
            { key: 'first', selector: 'ul.results a', return: 'html' },
            { key: 'links', selector: 'a', return: 'attribute', attribute: 'href', multiple: true },
            { key: 'form.query', selector: 'input[name=q]', return: 'value' },
            { key: 'form.sort', selector: 'select', return: 'value' },
            { key: 'missing', selector: '.nothing' },
            { key: 'none', selector: '.nothing', multiple: true },
          ],
        }),
      ],
      [{ body: listing, form: { page: 1 } }],
    )
    expect(flow.result.status).toBe('succeeded')
    expect(await flow.output('html')).toEqual([
      {
        body: listing,
        title: 'Results',
        first: 'Alpha <b>new</b>',
        links: ['/a', '/b'],
        form: { page: 1, query: 'mugs', sort: 'price' },
        missing: null,
        none: [],
      },
    ])
  })

  it('splits each matching element into an item, rules applied inside it and empty selector meaning the element', async () => {
    const flow = await runFlow(
      [
        html({
          operation: 'split',
          sourceField: 'page.html',
          splitSelector: 'ul.results > li',
          rules: [
            { key: 'id', selector: '', return: 'attribute', attribute: 'data-id' },
            { key: 'name', selector: 'a' },
            { key: 'tags', selector: '.tag', multiple: true },
          ],
        }),
      ],
      [{ page: { html: listing } }, { page: { html: '<ul class="results"></ul>' } }],
    )
    expect(await flow.output('html')).toEqual([
      { id: '1', name: 'Alpha new', tags: ['x', 'y'] },
      { id: '2', name: 'Beta', tags: [] },
    ])
  })

  it('works page by page', async () => {
    const flow = await runFlow(
      [html({ operation: 'split', splitSelector: 'p', rules: [{ key: 'p', selector: '' }] })],
      numbered(2500, 1000, (i) => ({ body: `<p>${i}</p><p>${i}b</p>` })),
      { pageSize: 1000 },
    )
    const out = await flow.output('html')
    expect(out).toHaveLength(5000)
    expect(out.slice(-2)).toEqual([{ p: '2499' }, { p: '2499b' }])
    expect(flow.largestPage('html')).toBe(1000)
  })

  it.each([
    [{ rules: [{ key: 'x', selector: 'a' }, { key: 'bad', selector: 'li[' }] }, 'rules', /^Rule "bad" \(rules\[1\]\) has an invalid CSS selector "li\[" \(item 0\)/],
    [{ rules: [{ key: 'bad', selector: 'a:nope' }] }, 'rules', /invalid CSS selector "a:nope" \(item 0\): .*nope/],
    [{ operation: 'split', splitSelector: 'ul >> li', rules: [] }, 'splitSelector', /^splitSelector has an invalid CSS selector "ul >> li" \(item 0\)/],
  ])('fails the step on a bad selector naming the field: %j', async (params, field, message) => {
    const flow = await runFlow([html(params)], [{ body: '<a>1</a>' }, { body: '<a>2</a>' }])
    expect(flow.result.status).toBe('failed')
    expect(flow.result.error).toMatchObject({ code: 'INVALID_SELECTOR', field, message: expect.stringMatching(message) })
  })

  it.each([
    [{ body: 42 }, /"body" on item 0 is a number, not text/],
    [{}, /"body" on item 0 is missing, not text/],
  ])('fails the step when the HTML field of %j is not text', async (item, message) => {
    const flow = await runFlow([html({ rules: [{ key: 't', selector: 'a' }] })], [item])
    expect(flow.result.error).toMatchObject({ code: 'INVALID_VALUE', field: 'sourceField', message: expect.stringMatching(message) })
  })

  it('refuses HTML over maxInputMb before parsing it', async () => {
    const big = `<p>${'é'.repeat(600_000)}</p>`
    const flow = await runFlow([html({ maxInputMb: 1, rules: [{ key: 't', selector: 'p' }] })], [{ body: '<p>ok</p>' }, { body: big }])
    expect(flow.result.error).toMatchObject({
      code: 'INPUT_TOO_LARGE',
      field: 'sourceField',
      message: '"body" on item 1 is 1.1 MB, over the limit of 1 MB (maxInputMb)',
    })
  })

  it('refuses a dangerous rule key instead of writing through a prototype', async () => {
    const flow = await runFlow([html({ rules: [{ key: '__proto__.polluted', selector: 'a' }] })], [{ body: '<a>x</a>' }])
    expect(flow.result.status).toBe('failed')
    expect(flow.result.error).toMatchObject({ field: 'rules' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it.each([
    [{ rules: [{ key: 'x', return: 'attribute' }] }, ['rules', 0, 'attribute']],
    [{ rules: [{ key: '', selector: 'a' }] }, ['rules', 0, 'key']],
    [{ operation: 'split' }, ['splitSelector']],
    [{ maxInputMb: 500 }, ['maxInputMb']],
  ])('refuses params %j naming the field', (params, path) => {
    expect(htmlNode.params.safeParse(params).error?.issues[0].path).toEqual(path)
  })
})
