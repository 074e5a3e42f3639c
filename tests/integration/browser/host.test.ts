// The browser host over real Chromium: pages in a context per run, the guard proxy on every request (redirect hops
// included), schemes refused, the page cap, downloads into the run's files, a crashed browser replaced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBrowserHost, type BrowserHostWithPool } from '@/lib/browser/host'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { NodeError } from '@/lib/engine/types'
import { memoryFiles } from '../../helpers/files'
import { html, startSite, type Site } from '../../helpers/site-server'
import { nodeFailure as failure } from '../../helpers/browser'

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium'
let site: Site
let internal: Site
let host: BrowserHostWithPool
const files = memoryFiles()

const runScope = (executionId: string, signal = new AbortController().signal) => ({ tenantId: 't1', executionId, signal, files: files.forRun({ tenantId: 't1', executionId }) })
const opts = { browser: 'chromium' as const, timeoutMs: 10_000 }

beforeAll(async () => {
  internal = await startSite({ '/secret': html('<p id="s">internal secret</p>') })
  site = await startSite({
    '/': html('<h1>Home</h1><a href="/next">next</a>', 'Home'),
    '/cookie-set': (_req, res) => res.writeHead(200, { 'set-cookie': 'sid=run-a; Path=/', 'content-type': 'text/html' }).end(html('set')),
    '/cookie-read': (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html(`<p id="c">${req.headers.cookie ?? 'none'}</p>`)),
    '/to-internal': (_req, res) => res.writeHead(302, { location: `${internal.url}/secret` }).end(),
    '/embeds-internal': html(`<img id="i" src="${internal.url}/secret">`),
    '/file': (_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="report.csv"' }).end('a,b\n1,2\n'),
    '/big': (_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="big.bin"' }).end(Buffer.alloc(300_000, 1)),
    '/downloads': html('<a id="f" href="/file" download>file</a><a id="b" href="/big" download>big</a>'),
  })
  // Only the site is allowed: the "internal" server is another loopback port, as an intranet host would be.
  host = createBrowserHost({ maxPages: 2, executables: { chromium: CHROMIUM }, guard: createTcpGuard({ allowList: [`127.0.0.1:${site.port}`] }), maxDownloadBytes: 100_000, defaultTimeoutMs: 10_000 })
})

afterAll(async () => {
  await host?.close()
  await site?.close()
  await internal?.close()
})

describe('browser host', () => {
  it('opens a page, navigates and reports the status and the handle', async () => {
    const run = host.forRun(runScope('e1'))
    const s = await run.open(opts)
    const r = await s.goto(`${site.url}/`)
    expect(r.status).toBe(200)
    expect(await s.use((p) => p.title())).toBe('Home')
    expect(s.handle()).toEqual({ session: s.id, url: `${site.url}/`, browser: 'chromium' })
    // The same session again by its handle: the open page, not a new one.
    expect(await run.resume(s.handle(), opts)).toBe(s)
    await host.endRun('e1')
    expect(host.pool.stats().openPages).toBe(0)
  })

  it('resumes a handle this process does not hold by opening its URL again', async () => {
    const run = host.forRun(runScope('e2'))
    const s = await run.resume({ session: 'from-another-worker', url: `${site.url}/`, browser: 'chromium' }, opts)
    expect(s.id).toBe('from-another-worker')
    expect(await s.use((p) => p.title())).toBe('Home')
    await host.endRun('e2')
  })

  it('refuses internal addresses, redirect hops to them, and their subresources', async () => {
    const run = host.forRun(runScope('e3'))
    const s = await run.open(opts)
    const direct = await failure(s.goto(`${internal.url}/secret`))
    expect(direct.code).toBe('SSRF_BLOCKED')
    expect(direct.message).toContain(`127.0.0.1`)
    const hop = await failure(s.goto(`${site.url}/to-internal`))
    expect(hop.code).toBe('SSRF_BLOCKED')
    expect(internal.hits).toEqual([])
    await s.goto(`${site.url}/embeds-internal`)
    expect(await s.use((p) => p.$eval('#i', (img) => (img as HTMLImageElement).naturalWidth))).toBe(0)
    expect(internal.hits).toEqual([])
    await host.endRun('e3')
  })

  it('refuses file:, data:, chrome: and view-source: navigations', async () => {
    const run = host.forRun(runScope('e4'))
    const s = await run.open(opts)
    for (const url of ['file:///etc/passwd', 'data:text/html,<h1>x</h1>', 'chrome://version', 'view-source:http://example.com', 'javascript:alert(1)']) {
      const err = await failure(s.goto(url))
      expect(err.code, url).toBe('URL_SCHEME_BLOCKED')
    }
    await host.endRun('e4')
  })

  it('keeps cookies inside one run: another run starts with none', async () => {
    const a = await host.forRun(runScope('e5')).open(opts)
    await a.goto(`${site.url}/cookie-set`)
    await a.goto(`${site.url}/cookie-read`)
    expect(await a.use((p) => p.textContent('#c'))).toBe('sid=run-a')
    const b = await host.forRun(runScope('e6')).open(opts)
    await b.goto(`${site.url}/cookie-read`)
    expect(await b.use((p) => p.textContent('#c'))).toBe('none')
    await host.endRun('e5')
    await host.endRun('e6')
  })

  it('holds the page cap: a third page waits for a free slot, or gives up at its timeout', async () => {
    const run = host.forRun(runScope('e7'))
    const a = await run.open(opts)
    await run.open(opts)
    const busy = await failure(run.open({ ...opts, timeoutMs: 300 }))
    expect(busy.code).toBe('BROWSER_BUSY')
    const waiting = run.open(opts)
    expect(host.pool.stats().waiting).toBe(1)
    await a.close()
    await waiting
    expect(host.pool.stats().peakPages).toBeLessThanOrEqual(2)
    await host.endRun('e7')
    expect(host.pool.stats().openPages).toBe(0)
  })

  it('stores downloads in the run\'s files, refusing one over the cap', async () => {
    const run = host.forRun(runScope('e8'))
    const s = await run.open(opts)
    await s.goto(`${site.url}/downloads`)
    await s.use(async (p) => {
      await Promise.all([p.waitForEvent('download'), p.click('#f')])
      await Promise.all([p.waitForEvent('download'), p.click('#b')])
    })
    const { files: got, refused } = await s.takeDownloads()
    expect(got).toEqual([expect.objectContaining({ name: 'report.csv', size: 8 })])
    expect(refused).toEqual([expect.objectContaining({ name: 'big.bin' })])
    await host.endRun('e8')
  })

  it('fails the steps of a crashed browser and launches a new one for the next page', async () => {
    const run = host.forRun(runScope('e9'))
    const s = await run.open(opts)
    await s.goto(`${site.url}/`)
    const launches = host.pool.stats().launches
    const pending = s.use(async (p) => {
      await p.waitForTimeout(5000)
    })
    // Kill the browser process mid-step, as an out-of-memory kill would.
    await new Promise((r) => setTimeout(r, 200))
    const pid = await chromiumPid()
    expect(pid).toBeGreaterThan(0)
    process.kill(pid!, 'SIGKILL')
    const err = await failure(pending)
    expect(err.code).toBe('BROWSER_CRASHED')
    expect(err.retryable).toBe(true)
    const again = await host.forRun(runScope('e10')).open(opts)
    await again.goto(`${site.url}/`)
    expect(host.pool.stats().launches).toBe(launches + 1)
    expect(host.pool.stats().crashes).toBeGreaterThanOrEqual(1)
    await host.endRun('e9')
    await host.endRun('e10')
  })
})

/** The browser process the pool launched (a direct child of this process). */
async function chromiumPid(): Promise<number | undefined> {
  const { execSync } = await import('node:child_process')
  const out = execSync(`ps -o pid=,ppid=,args= --ppid ${process.pid}`).toString()
  const line = out.split('\n').find((l) => /chrom/.test(l))
  return line ? Number(line.trim().split(/\s+/)[0]) : undefined
}
