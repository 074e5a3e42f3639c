// Run Steps in real Chromium against pages the test serves: clicking through tabs, typing, waiting, scrolling,
// selects and checkboxes, a download stored into the run's files (and one over the cap refused), a missing selector
// and a refused address named by their step.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createBrowserHost, type BrowserHostWithPool } from '@/lib/browser/host'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { NodeError, type Item } from '@/lib/engine/types'
import { browserRunSteps } from '@/lib/nodes/browser/run-steps/definition'
import { browserOpenPage } from '@/lib/nodes/browser/open-page/definition'
import { runNode } from '../../unit/nodes/harness'
import { fileText, memoryFiles } from '../../helpers/files'
import { html, startSite, type Site } from '../../helpers/site-server'
import { nodeFailure as failure } from '../../helpers/browser'

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium'
let site: Site
let internal: Site
let host: BrowserHostWithPool
const files = memoryFiles()

beforeAll(async () => {
  internal = await startSite({ '/secret': html('secret') })
  site = await startSite({
    '/tabs': html(
      `<button id="tab-a">Overview</button><button id="tab-b">Pricing</button>
      <section id="panel-a">Overview text</section>
      <section id="panel-b" hidden><p class="price">€12.00</p></section>
      <label>Search <input id="q"></label><p id="echo"></p>
      <select id="size"><option value="s">Small</option><option value="l">Large</option></select>
      <label><input type="checkbox" id="gift"> Gift wrap</label>
      <p id="state"></p>
      <button id="later" onclick="setTimeout(() => { location.href = '/long' }, 300)">Go on later</button>
      <script>
        const show = (id) => { for (const p of document.querySelectorAll('section')) p.hidden = p.id !== id }
        document.getElementById('tab-a').onclick = () => show('panel-a')
        document.getElementById('tab-b').onclick = () => { show('panel-b'); setTimeout(() => { const d = document.createElement('p'); d.className = 'late'; d.textContent = 'Ships in 2 days'; document.getElementById('panel-b').append(d) }, 300) }
        document.getElementById('q').addEventListener('keyup', (e) => { document.getElementById('echo').textContent = 'typed: ' + e.target.value })
        const state = () => { document.getElementById('state').textContent = document.getElementById('size').value + ',' + document.getElementById('gift').checked }
        document.getElementById('size').onchange = state; document.getElementById('gift').onchange = state
      </script>`,
      'Product',
    ),
    '/long': html(
      `<p id="y">top</p><div style="height:5000px"></div><p id="footer">The end</p>
      <script>addEventListener('scroll', () => { const y = document.getElementById('y'); y.textContent = y.className = scrollY > 3000 ? 'bottom' : scrollY > 0 ? 'scrolled' : 'top' })</script>`,
      'Long',
    ),
    '/file': (_req, res) => res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="report.csv"' }).end('a,b\n1,2\n'),
    '/big': (_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="big.bin"' }).end(Buffer.alloc(300_000, 1)),
    '/downloads': html('<a id="f" href="/file" download>file</a><a id="b" href="/big" download>big</a>', 'Downloads'),
  })
  host = createBrowserHost({ maxPages: 2, executables: { chromium: CHROMIUM }, guard: createTcpGuard({ allowList: [`127.0.0.1:${site.port}`] }), maxDownloadBytes: 100_000, defaultTimeoutMs: 10_000 })
})

afterEach(async () => {
  await host.endRun('exec-1')
})

afterAll(async () => {
  await host?.close()
  await site?.close()
  await internal?.close()
})

const open = async (path: string): Promise<Item> => {
  const { output } = await runNode(browserOpenPage, { params: { url: `${site.url}${path}`, timeoutSeconds: 10 }, items: [{}], services: { browser: host, files } })
  return output.main[0]
}
const steps = async (item: Item, list: Record<string, unknown>[], extra: Record<string, unknown> = {}) => {
  const { output } = await runNode(browserRunSteps, { params: { timeoutSeconds: 10, steps: list, ...extra }, items: [item], services: { browser: host, files } })
  return output.main[0]
}
describe('Run Steps', () => {
  it('clicks through tabs, waits for what a script adds, types, selects and checks, reading text into fields', async () => {
    const page = await open('/tabs')
    const out = await steps(page, [
      { action: 'click', selector: '#tab-b' },
      { action: 'waitForSelector', selector: '#panel-b .late' },
      { action: 'extractText', selector: '#panel-b .price', key: 'price' },
      { action: 'extractText', selector: '#panel-b .late', key: 'shipping' },
      { action: 'type', selector: '#q', value: 'mug' },
      { action: 'extractText', selector: '#echo', key: 'echo' },
      { action: 'select', selector: '#size', value: 'Large' },
      { action: 'check', selector: '#gift' },
      { action: 'extractText', selector: '#state', key: 'state' },
      { action: 'uncheck', selector: '#gift' },
      { action: 'fill', selector: '#q', value: 'cup' },
      { action: 'press', selector: '#q', value: 'End' },
      { action: 'wait', ms: 50 },
      { action: 'click', selector: '#tab-a' },
      { action: 'extractText', selector: '#panel-a', key: 'overview' },
    ])
    expect(out).toMatchObject({ url: `${site.url}/tabs`, title: 'Product', price: '€12.00', shipping: 'Ships in 2 days', echo: 'typed: mug', state: 'l,true', overview: 'Overview text', $page: page.$page })
    expect(out.downloads).toBeUndefined()
  })

  it('scrolls the page and brings an element into view', async () => {
    const page = await open('/long')
    // Each wait is for the class the page's scroll handler sets: a scroll that did not happen times out.
    const down = await steps(page, [{ action: 'scroll', value: '400' }, { action: 'waitForSelector', selector: '#y.scrolled' }, { action: 'extractText', selector: '#y', key: 'y' }], { timeoutSeconds: 5 })
    expect(down.y).toBe('scrolled')
    const bottom = await steps(down, [{ action: 'scroll', value: 'bottom' }, { action: 'waitForSelector', selector: '#y.bottom' }], { timeoutSeconds: 5 })
    const top = await steps(bottom, [{ action: 'scroll', value: 'top' }, { action: 'waitForSelector', selector: '#y.top' }, { action: 'scrollIntoView', selector: '#footer' }, { action: 'waitForSelector', selector: '#y.bottom' }], { timeoutSeconds: 5 })
    expect(top.url).toBe(`${site.url}/long`)
  })

  it('stores a download in the run\'s files and refuses one over the cap', async () => {
    const page = await open('/downloads')
    const out = await steps(page, [{ action: 'download', selector: '#f' }, { action: 'download', selector: '#b' }])
    expect(out.downloads).toEqual([expect.objectContaining({ name: 'report.csv', size: 8 })])
    expect(out.downloadsRefused).toEqual([expect.objectContaining({ name: 'big.bin' })])
    expect(await fileText(files.forRun({ tenantId: 'tenant-1', executionId: 'exec-1' }), (out.downloads as unknown[])[0])).toBe('a,b\n1,2\n')
  })

  it('names the step whose selector matches nothing, and the one sent to a refused address', async () => {
    const page = await open('/tabs')
    const missing = await failure(steps(page, [{ action: 'click', selector: '#tab-b' }, { action: 'click', selector: '#nope' }], { timeoutSeconds: 2 }))
    expect(missing).toMatchObject({ code: 'ELEMENT_NOT_FOUND', field: 'steps.1.selector' })
    expect(missing.message).toContain('Item 0: steps.1 (click "#nope"): nothing on the page')
    const blocked = await failure(steps(page, [{ action: 'goto', value: `${internal.url}/secret` }]))
    expect(blocked).toMatchObject({ code: 'SSRF_BLOCKED', field: 'steps.0.value' })
    expect(internal.hits).toEqual([])
    const invalid = await failure(steps(page, [{ action: 'extractText', selector: 'h1' }]))
    expect(invalid).toMatchObject({ code: 'INVALID_STEP', field: 'steps.0.key' })
    const tooLong = await failure(steps(page, [{ action: 'wait', ms: 5000 }], { timeoutSeconds: 2 }))
    expect(tooLong).toMatchObject({ code: 'INVALID_STEP', field: 'steps.0.ms' })
  })

  it('goes to another page and waits for a navigation the page starts', async () => {
    const page = await open('/tabs')
    const out = await steps(page, [
      { action: 'goto', value: `${site.url}/downloads` },
      { action: 'extractText', selector: '#f', key: 'link' },
      { action: 'goto', value: `${site.url}/tabs` },
      // The page leaves by itself 300 ms after the click: without the wait, the node would end on /tabs.
      { action: 'click', selector: '#later' },
      { action: 'waitForNavigation', value: '/long' },
    ])
    expect(out).toMatchObject({ url: `${site.url}/long`, title: 'Long', link: 'file' })
  })
})
