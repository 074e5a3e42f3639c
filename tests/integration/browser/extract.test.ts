// Extract over real Chromium against pages this file serves: fields, items and tables with CSS, XPath and text
// selectors, pagination by links and by clicks (limits, disabled and missing "next"), errors that name the field,
// and one whole run (Open Page → Extract) on a test worker.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createBrowserHost, type BrowserHostWithPool } from '@/lib/browser/host'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { NodeError, type Item } from '@/lib/engine/types'
import { browserOpenPage } from '@/lib/nodes/browser/open-page/definition'
import { browserExtract } from '@/lib/nodes/browser/extract/definition'
import { memoryFiles } from '../../helpers/files'
import { html, startSite, type Site } from '../../helpers/site-server'
import { runNode } from '../../unit/nodes/harness'
import { seedTenant, useTestEnv } from '../../helpers/db'
import { startTestWorker } from '../../helpers/worker'
import { offlineHostServices } from '../../helpers/host-services'
import { call, chain, node, waitFor, waitForStatus } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as runRoute from '../../../app/api/workflows/[id]/run/route'
import { closeAppServices } from '../../../lib/services/app'
import { nodeFailure as failure } from '../../helpers/browser'

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium'
let site: Site
let host: BrowserHostWithPool
const files = memoryFiles()
const services = () => ({ browser: host, files })

const PRODUCTS = html(`
  <h1>  Mugs  </h1>
  <p class="lead">Our <b>finest</b> mugs</p>
  <ul id="list">
    <li class="product" data-id="1"><h2>Blue mug</h2><span class="price">$12</span><a href="/p/1">more</a><img src="img/1.png"></li>
    <li class="product" data-id="2"><h2>Red mug</h2><span class="price">$14</span><a href="/p/2">more</a></li>
    <li class="product" data-id="3"><h2>Green mug</h2><a href="/p/3">more</a></li>
  </ul>
  <input id="q" value="mugs">
  <button>Add to cart</button>`, 'Products')

const TABLES = html(`
  <table id="prices">
    <thead><tr><th>Plan</th><th colspan="2">Price</th><th></th></tr></thead>
    <tbody>
      <tr><td>Basic</td><td>$5</td><td>monthly</td><td>a</td></tr>
      <tr><td rowspan="2">Pro</td><td>$50</td><td>yearly</td><td>b</td></tr>
      <tr><td colspan="2">call us</td><td>c</td></tr>
    </tbody>
  </table>
  <table id="plain"><tr><td>x1</td><td>y1</td></tr><tr><td>x2</td><td>y2</td></tr></table>
  <div id="wrap"><table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>31</td></tr></table></div>`)

/** /list?page=N: `pages` pages of 2 items; on the last page the next link is disabled (class) or missing. */
function listPages(pages: number, last: 'disabled' | 'missing') {
  return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://x')
    const n = Number(u.searchParams.get('page') ?? 1)
    const rows = [1, 2].map((k) => `<li class="row"><span class="name">item ${n}.${k}</span></li>`).join('')
    const next = n < pages ? `<a class="next" rel="next" href="${u.pathname}?page=${n + 1}">Next page</a>` : last === 'disabled' ? `<a class="next disabled" href="${u.pathname}?page=${n + 1}">Next page</a>` : ''
    res.writeHead(200, { 'content-type': 'text/html' }).end(html(`<ul>${rows}</ul><nav>${next}</nav>`, `Page ${n}`))
  }
}

/** A page that replaces its list in place when its button is clicked (no navigation), 3 pages, then a disabled button. */
const SPA = html(`
  <ul id="rows"></ul><button id="more" type="button">Next</button>
  <script>
    let n = 1
    const show = () => {
      document.getElementById('rows').innerHTML = '<li class="row"><span class="name">spa ' + n + '</span></li>'
      if (n === 3) document.getElementById('more').disabled = true
    }
    show()
    document.getElementById('more').addEventListener('click', () => setTimeout(() => { n++; show() }, 30))
  </script>`)

beforeAll(async () => {
  site = await startSite({
    '/products': PRODUCTS,
    '/tables': TABLES,
    '/list': listPages(4, 'disabled'),
    '/short': listPages(3, 'missing'),
    '/spa': SPA,
    '/btn': (req, res) => {
      const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 1)
      const button = n < 3 ? `<button type="button" onclick="setTimeout(() => { location.href = '/btn?page=${n + 1}' }, 30)">Next</button>` : ''
      res.writeHead(200, { 'content-type': 'text/html' }).end(html(`<ul><li class="row"><span class="name">btn ${n}</span></li></ul>${button}`))
    },
    '/empty': html('<p>nothing here</p>'),
    // The click pagination again under a strict Content-Security-Policy (no eval, no inline script of the node's own).
    '/csp': (req, res) => {
      const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 1)
      res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': "default-src 'self'; script-src 'self'" })
      res.end(html(`<ul><li class="row"><span class="name">csp ${n}</span></li></ul>${n < 2 ? `<form action="/csp"><input type="hidden" name="page" value="${n + 1}"><button>Next</button></form>` : ''}`))
    },
    '/stuck': html('<ul><li class="row"><span class="name">only</span></li></ul><button type="button">Next</button>'),
  })
  host = createBrowserHost({ maxPages: 3, executables: { chromium: CHROMIUM }, guard: createTcpGuard({ allowList: [`127.0.0.1:${site.port}`] }), maxDownloadBytes: 100_000, defaultTimeoutMs: 10_000 })
})

afterEach(async () => {
  await host.endRun('exec-1')
})

afterAll(async () => {
  await host?.close()
  await site?.close()
})

async function open(path: string, input: Item = {}): Promise<Item[]> {
  const { output } = await runNode(browserOpenPage, { params: { url: `${site.url}${path}`, timeoutSeconds: 10 }, items: [input], services: services() })
  return output.main
}

async function extract(items: Item[], params: Record<string, unknown>): Promise<Item[]> {
  const { output } = await runNode(browserExtract, { params: { timeoutSeconds: 10, ...params }, items, services: services() })
  return output.main
}

describe('Extract: fields', () => {
  it('reads text, HTML, attributes, values and absolute links with CSS, XPath and text selectors', async () => {
    const items = await open('/products', { source: 'feed' })
    const [out, ...rest] = await extract(items, {
      rules: [
        { key: 'heading', selector: 'h1' },
        { key: 'headingRaw', selector: 'h1', return: 'html' },
        { key: 'names', selector: 'li.product h2', multiple: true },
        { key: 'secondPrice', selector: "//li[@data-id='2']/span[@class='price']", selectorType: 'xpath' },
        { key: 'ids', selector: '//li/@data-id', selectorType: 'xpath', multiple: true },
        { key: 'lead', selector: 'finest mugs', selectorType: 'text' },
        { key: 'button', selector: '"Add to cart"', selectorType: 'text', return: 'html' },
        { key: 'firstLink', selector: 'li a', return: 'url' },
        { key: 'image', selector: 'img', return: 'url' },
        { key: 'rawHref', selector: 'li a', return: 'attribute', attribute: 'href' },
        { key: 'query', selector: '#q', return: 'value' },
        { key: 'missing', selector: '.nope' },
        { key: 'missingList', selector: '.nope', multiple: true },
      ],
    })
    expect(rest).toEqual([])
    expect(out).toMatchObject({
      source: 'feed',
      title: 'Products',
      page: 1,
      url: `${site.url}/products`,
      heading: 'Mugs',
      headingRaw: 'Mugs',
      names: ['Blue mug', 'Red mug', 'Green mug'],
      secondPrice: '$14',
      ids: ['1', '2', '3'],
      lead: 'Our finest mugs',
      button: 'Add to cart',
      firstLink: `${site.url}/p/1`,
      image: `${site.url}/img/1.png`,
      rawHref: '/p/1',
      query: 'mugs',
      missing: null,
      missingList: [],
    })
    expect(out.$page).toEqual({ ...(items[0].$page as object), url: `${site.url}/products` })
  })

  it('keeps white space when trim is off, and drops the input fields when asked', async () => {
    const [out] = await extract(await open('/products', { source: 'feed' }), { rules: [{ key: 'raw', selector: 'h1', return: 'html' }], trim: false, keepInputFields: false })
    expect(out.raw).toBe('  Mugs  ')
    expect(out).not.toHaveProperty('source')
    expect(out).not.toHaveProperty('title')
  })

  it('opens its own URL when given one, without Open Page', async () => {
    const [out] = await extract([{}], { url: `${site.url}/products`, rules: [{ key: 'heading', selector: 'h1' }] })
    expect(out).toMatchObject({ heading: 'Mugs', url: `${site.url}/products` })
    expect(out.$page).toMatchObject({ url: `${site.url}/products`, browser: 'chromium' })
  })
})

describe('Extract: items', () => {
  it('makes one item per element, the rules applied inside it (empty selector: the element itself)', async () => {
    const out = await extract(await open('/products', { source: 'feed' }), {
      mode: 'items',
      itemSelector: 'li.product',
      rules: [
        { key: 'id', selector: '', return: 'attribute', attribute: 'data-id' },
        { key: 'name', selector: 'h2' },
        { key: 'price', selector: '.price' },
        { key: 'link', selector: './/a', selectorType: 'xpath', return: 'url' },
      ],
    })
    expect(out.map(({ $page, ...rest }) => rest)).toEqual([
      { page: 1, url: `${site.url}/products`, id: '1', name: 'Blue mug', price: '$12', link: `${site.url}/p/1` },
      { page: 1, url: `${site.url}/products`, id: '2', name: 'Red mug', price: '$14', link: `${site.url}/p/2` },
      { page: 1, url: `${site.url}/products`, id: '3', name: 'Green mug', price: null, link: `${site.url}/p/3` },
    ])
    expect(out.every((i) => (i.$page as { url: string }).url === `${site.url}/products`)).toBe(true)
  })

  it('takes an XPath item selector, and keeps the input fields when asked', async () => {
    const out = await extract(await open('/products', { source: 'feed' }), {
      mode: 'items',
      itemSelector: "//li[@class='product'][h2[contains(., 'mug')]]",
      itemSelectorType: 'xpath',
      keepInputFields: true,
      rules: [{ key: 'name', selector: 'h2' }],
    })
    expect(out.map((i) => [i.source, i.name])).toEqual([
      ['feed', 'Blue mug'],
      ['feed', 'Red mug'],
      ['feed', 'Green mug'],
    ])
  })
})

describe('Extract: tables', () => {
  it('keys rows by the header, repeating cells that span columns or rows', async () => {
    const out = await extract(await open('/tables'), { mode: 'table', tableSelector: '#prices' })
    expect(out.map(({ $page, page, url, ...row }) => row)).toEqual([
      { Plan: 'Basic', Price: '$5', Price_2: 'monthly', col4: 'a' },
      { Plan: 'Pro', Price: '$50', Price_2: 'yearly', col4: 'b' },
      { Plan: 'Pro', Price: 'call us', Price_2: 'call us', col4: 'c' },
    ])
  })

  it('takes the first row as the header without <thead>, or none at all; finds a table inside a matched element', async () => {
    const plain = await extract(await open('/tables'), { mode: 'table', tableSelector: '#plain', headerRow: false })
    expect(plain.map(({ $page, page, url, ...row }) => row)).toEqual([
      { col1: 'x1', col2: 'y1' },
      { col1: 'x2', col2: 'y2' },
    ])
    const headed = await extract(await open('/tables'), { mode: 'table', tableSelector: '#plain' })
    expect(headed.map(({ $page, page, url, ...row }) => row)).toEqual([{ x1: 'x2', y1: 'y2' }])
    const wrapped = await extract(await open('/tables'), { mode: 'table', tableSelector: "//div[@id='wrap']", tableSelectorType: 'xpath' })
    expect(wrapped.map(({ $page, page, url, ...row }) => row)).toEqual([{ Name: 'Ann', Age: '31' }])
  })
})

describe('Extract: pagination', () => {
  const rows = { mode: 'items', itemSelector: 'li.row', rules: [{ key: 'name', selector: '.name' }], nextSelector: 'a[rel=next], a.next' }

  it('follows next links up to maxPages, saying which page each item came from', async () => {
    const out = await extract(await open('/list'), { ...rows, maxPages: 2 })
    expect(out.map((i) => [i.page, i.url, i.name])).toEqual([
      [1, `${site.url}/list`, 'item 1.1'],
      [1, `${site.url}/list`, 'item 1.2'],
      [2, `${site.url}/list?page=2`, 'item 2.1'],
      [2, `${site.url}/list?page=2`, 'item 2.2'],
    ])
    // Each item's page handle points at its own page, so a later node returns there.
    expect((out[0].$page as { url: string }).url).toBe(`${site.url}/list`)
    expect((out[3].$page as { url: string }).url).toBe(`${site.url}/list?page=2`)
  })

  it('stops at a disabled next link before the limit', async () => {
    const before = site.hits.length
    const out = await extract(await open('/list'), { ...rows, maxPages: 10 })
    expect(out.map((i) => i.name)).toEqual(['item 1.1', 'item 1.2', 'item 2.1', 'item 2.2', 'item 3.1', 'item 3.2', 'item 4.1', 'item 4.2'])
    expect(out.at(-1)).toMatchObject({ page: 4, url: `${site.url}/list?page=4` })
    // The disabled link (to page 5) is not followed.
    expect(site.hits.slice(before).filter((h) => h.startsWith('/list'))).toEqual(['/list', '/list?page=2', '/list?page=3', '/list?page=4'])
  })

  it('stops when there is no next element; finds "next" by its text', async () => {
    const out = await extract(await open('/short'), { ...rows, nextSelector: 'next page', nextSelectorType: 'text', maxPages: 100 })
    expect(out.map((i) => [i.page, i.name])).toEqual([
      [1, 'item 1.1'],
      [1, 'item 1.2'],
      [2, 'item 2.1'],
      [2, 'item 2.2'],
      [3, 'item 3.1'],
      [3, 'item 3.2'],
    ])
  })

  it('clicks a next button that changes the page in place, until it is disabled', async () => {
    const out = await extract(await open('/spa'), { ...rows, nextSelector: '//button[@id="more"]', nextSelectorType: 'xpath', maxPages: 10 })
    expect(out.map((i) => [i.page, i.name])).toEqual([
      [1, 'spa 1'],
      [2, 'spa 2'],
      [3, 'spa 3'],
    ])
  })

  it('clicks a next button that navigates by script, and waits for the new document', async () => {
    const out = await extract(await open('/btn'), { ...rows, nextSelector: '"Next"', nextSelectorType: 'text', maxPages: 10 })
    expect(out.map((i) => [i.page, i.url, i.name])).toEqual([
      [1, `${site.url}/btn`, 'btn 1'],
      [2, `${site.url}/btn?page=2`, 'btn 2'],
      [3, `${site.url}/btn?page=3`, 'btn 3'],
    ])
  })

  it('clicks through pages that forbid eval (Content-Security-Policy)', async () => {
    const out = await extract(await open('/csp'), { ...rows, nextSelector: 'form button', maxPages: 5 })
    expect(out.map((i) => [i.page, i.url, i.name])).toEqual([
      [1, `${site.url}/csp`, 'csp 1'],
      [2, `${site.url}/csp?page=2`, 'csp 2'],
    ])
  })

  it('paginates fields mode as one item per page', async () => {
    const out = await extract(await open('/short'), { rules: [{ key: 'names', selector: '.name', multiple: true }], nextSelector: 'a.next', maxPages: 3 })
    expect(out.map((i) => [i.page, i.names])).toEqual([
      [1, ['item 1.1', 'item 1.2']],
      [2, ['item 2.1', 'item 2.2']],
      [3, ['item 3.1', 'item 3.2']],
    ])
  })
})

describe('Extract: nothing found and errors', () => {
  it('returns nothing for no match, and fails when failIfEmpty is on', async () => {
    const items = await open('/empty')
    expect(await extract(items, { mode: 'items', itemSelector: 'li.product', rules: [{ key: 'n', selector: 'h2' }] })).toEqual([])
    expect(await extract(items, { mode: 'table', tableSelector: 'table' })).toEqual([])
    const [fields] = await extract(items, { rules: [{ key: 'n', selector: 'h2' }] })
    expect(fields.n).toBeNull()
    const err = await failure(extract(items, { mode: 'items', itemSelector: 'li.product', rules: [{ key: 'n', selector: 'h2' }], failIfEmpty: true }))
    expect(err).toMatchObject({ code: 'NOTHING_FOUND', field: 'itemSelector' })
    const none = await failure(extract(items, { rules: [{ key: 'n', selector: 'h2' }], failIfEmpty: true }))
    expect(none).toMatchObject({ code: 'NOTHING_FOUND', field: 'rules' })
  })

  it('names the rule or selector the browser cannot parse', async () => {
    const items = await open('/products')
    const css = await failure(extract(items, { rules: [{ key: 'ok', selector: 'h1' }, { key: 'broken', selector: 'div[' }] }))
    expect(css).toMatchObject({ code: 'INVALID_SELECTOR', field: 'rules.1.selector' })
    expect(css.message).toContain('rule "broken"')
    expect(css.message).toContain('Item 0')
    const xpath = await failure(extract(items, { rules: [{ key: 'x', selector: '//li[', selectorType: 'xpath' }] }))
    expect(xpath).toMatchObject({ code: 'INVALID_SELECTOR', field: 'rules.0.selector' })
    const item = await failure(extract(items, { mode: 'items', itemSelector: 'li..x', rules: [{ key: 'n', selector: 'h2' }] }))
    expect(item).toMatchObject({ code: 'INVALID_SELECTOR', field: 'itemSelector' })
    const next = await failure(extract(items, { rules: [{ key: 'n', selector: 'h1' }], nextSelector: 'a[', maxPages: 2 }))
    expect(next).toMatchObject({ code: 'INVALID_SELECTOR', field: 'nextSelector' })
  })

  it('fails naming nextSelector when clicking next changes nothing', async () => {
    const err = await failure(extract(await open('/stuck'), { mode: 'items', itemSelector: 'li.row', rules: [{ key: 'name', selector: '.name' }], nextSelector: 'button', maxPages: 3, timeoutSeconds: 2 }))
    expect(err).toMatchObject({ code: 'NEXT_PAGE_TIMEOUT', field: 'nextSelector', retryable: true })
  })

  it('fails an item that carries no page, naming the URL field', async () => {
    const err = await failure(extract([{ a: 1 }, {}], { rules: [{ key: 'n', selector: 'h1' }] }))
    expect(err).toMatchObject({ code: 'NO_PAGE', field: 'url' })
    expect(err.message).toContain('Item 0')
  })

  it('refuses incomplete params', () => {
    expect(browserExtract.params.safeParse({ mode: 'items', rules: [{ key: 'a' }] }).success).toBe(false)
    expect(browserExtract.params.safeParse({ mode: 'fields' }).success).toBe(false)
    expect(browserExtract.params.safeParse({ rules: [{ key: 'a', return: 'attribute' }] }).success).toBe(false)
    expect(browserExtract.params.safeParse({ rules: [{ key: 'a' }], maxPages: 101 }).success).toBe(false)
  })
})

describe('Extract in a workflow run', () => {
  let t: Awaited<ReturnType<typeof useTestEnv>>
  let worker: Awaited<ReturnType<typeof startTestWorker>>
  beforeAll(async () => {
    t = await useTestEnv()
    worker = await startTestWorker(t, {
      services: { ...offlineHostServices(), browser: undefined as never },
      browser: { maxPages: 2, executables: { chromium: CHROMIUM } },
      http: { allowList: [`127.0.0.1:${site.port}`] },
    })
  })
  afterAll(async () => {
    await worker?.close()
    await closeAppServices()
    await t?.teardown()
  })

  it('runs Open Page → Extract over three pages on a worker', async () => {
    const tenant = await seedTenant(t.db.prisma)
    const graph = chain(
      node.manual(),
      { id: 'open', type: 'browser-open-page', name: 'Open Page', params: { url: `${site.url}/short` } },
      { id: 'extract', type: 'browser-extract', name: 'Extract', params: { mode: 'items', itemSelector: 'li.row', rules: [{ key: 'name', selector: '.name' }], nextSelector: 'a.next', maxPages: 5 } },
    )
    const created = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name: 'Scrape', graph } })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    const started = await call(runRoute.POST, { method: 'POST', headers: tenant.headers, params: { id: created.json.id }, body: { input: [{}] } })
    const row = await waitForStatus(t.db.prisma, started.json.executionId, ['succeeded', 'failed'], 60_000)
    const steps = await t.db.prisma.stepRun.findMany({ where: { executionId: started.json.executionId } })
    expect(row.status, JSON.stringify(steps.map((s) => s.error))).toBe('succeeded')
    const main = (steps.find((s) => s.nodeId === 'extract')?.output as { main: Item[] }).main
    expect(main.map((i) => [i.page, i.name])).toEqual([
      [1, 'item 1.1'],
      [1, 'item 1.2'],
      [2, 'item 2.1'],
      [2, 'item 2.2'],
      [3, 'item 3.1'],
      [3, 'item 3.2'],
    ])
    // The run's pages are closed once it ended.
    await waitFor('the run\'s pages to close', async () => worker.browserPool?.stats().openPages === 0)
  })
})
