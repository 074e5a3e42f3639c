// Browser steps in real runs: workflows saved through the API, run through the queue by a test worker with a real
// Chromium pool (cap 3 pages): the cap held under 20 parallel runs, internal and file: URLs refused, a browser
// killed mid-step (the step fails BROWSER_CRASHED, its retry succeeds on a new browser), the step's timeout, and a
// browser context per run (cookies).
import { execSync } from 'node:child_process'
import type { ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { offlineHostServices } from '../../helpers/host-services'
import { startTestWorker } from '../../helpers/worker'
import { html, startSite, type Site } from '../../helpers/site-server'
import { call, chain, node, waitFor, waitForStatus, type NodeSpec } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import { closeAppServices } from '../../../lib/services/app'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium'
const CAP = 3

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let site: Site
let internal: Site
let worker: RunningWorker
/** Requests to /slow being answered right now, and the most at once. */
let inFlight = 0
let peakInFlight = 0
/** Responses held open by /hang and by the first /crash (ended in afterAll). */
const held: ServerResponse[] = []

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'Browser' })
  internal = await startSite({ '/secret': html('<p>internal secret</p>') })
  let crashHits = 0
  site = await startSite({
    // Holds the response ~300 ms so that pages of parallel runs overlap.
    '/slow': (_req, res) => {
      inFlight++
      peakInFlight = Math.max(peakInFlight, inFlight)
      setTimeout(() => {
        inFlight--
        res.writeHead(200, { 'content-type': 'text/html' }).end(html('<table id="t"><tr><td>1</td></tr></table>', 'Slow'))
      }, 300)
    },
    '/to-internal': (_req, res) => res.writeHead(302, { location: `${internal.url}/secret` }).end(),
    '/hang': (_req, res) => void held.push(res),
    // The first visit never answers (the browser is killed meanwhile); later ones answer at once.
    '/crash': (_req, res) => {
      if (++crashHits === 1) held.push(res)
      else res.writeHead(200, { 'content-type': 'text/html' }).end(html('<p>back</p>', 'Back'))
    },
    '/cookie-set': (req, res) => {
      const v = new URL(req.url ?? '/', 'http://x').searchParams.get('v') ?? 'x'
      res.writeHead(200, { 'set-cookie': `sid=${v}; Path=/`, 'content-type': 'text/html' }).end(html('set'))
    },
    '/cookie-read': (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html(`<p id="c">${req.headers.cookie ?? 'none'}</p>`)),
  })
  worker = await startTestWorker(t, {
    worker: { concurrency: 24 },
    // Only the site is allowed: the "internal" server is another loopback port, as an intranet host would be.
    http: { allowList: [`127.0.0.1:${site.port}`] },
    services: { ...offlineHostServices(), browser: undefined as never },
    browser: { maxPages: CAP, executables: { chromium: CHROMIUM } },
  })
})

afterAll(async () => {
  for (const res of held) res.destroy()
  await worker?.close()
  await closeAppServices()
  await site?.close()
  await internal?.close()
  await t?.teardown()
})

const openPage = (id: string, params: Record<string, unknown>, settings: Record<string, unknown> = {}): NodeSpec => ({ id, type: 'browser-open-page', name: `Open ${id}`, params, settings })

async function createWorkflow(graph: unknown) {
  const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Browser flow', graph } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

async function start(workflowId: string, input?: unknown[]) {
  const res = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: workflowId }, body: input ? { input } : {} })
  expect(res.status, JSON.stringify(res.json)).toBe(202)
  return res.json.executionId as string
}

const step = (executionId: string, nodeId: string, attempt?: number) =>
  t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId, ...(attempt && { attempt }) }, orderBy: { attempt: 'desc' } })

const pool = () => worker.browserPool!

/** The browser processes the pool launched: direct children of this process (the worker runs in it). */
function chromiumPid(): number | undefined {
  const out = execSync(`ps -o pid=,ppid=,args= --ppid ${process.pid}`).toString()
  const line = out.split('\n').find((l) => /chrom/.test(l))
  return line ? Number(line.trim().split(/\s+/)[0]) : undefined
}

describe('browser steps in runs', () => {
  it('holds the page cap under 20 parallel runs, and closes every page and context at run end', async () => {
    const id = await createWorkflow(chain(node.manual(), openPage('open', { url: `${site.url}/slow`, waitForSelector: '#t' })))
    const ids = await Promise.all(Array.from({ length: 20 }, () => start(id)))
    const rows = await Promise.all(ids.map((e) => waitForStatus(t.db.prisma, e, ['succeeded', 'failed'], 80_000)))
    const failed = rows.filter((r) => r.status !== 'succeeded')
    expect(failed.map((r) => r.error)).toEqual([])
    const outputs = await Promise.all(ids.map(async (e) => ((await step(e, 'open')).output as { main: Record<string, unknown>[] }).main[0]))
    for (const o of outputs) expect(o).toMatchObject({ status: 200, title: 'Slow', url: `${site.url}/slow` })
    expect(site.hits.filter((h) => h === '/slow')).toHaveLength(20)
    // The cap was reached (pages were open at once), and never passed: by the pool's count and by the site's.
    expect(pool().stats().peakPages).toBe(CAP)
    expect(peakInFlight).toBeGreaterThanOrEqual(1)
    expect(peakInFlight).toBeLessThanOrEqual(CAP)
    // Each run's end closes its pages and its context.
    await waitFor('pages and contexts closed', async () => pool().stats().openPages === 0 && pool().stats().contexts === 0)
    expect(pool().stats()).toMatchObject({ openPages: 0, contexts: 0, waiting: 0 })
  }, 90_000)

  it.each([
    ['an internal address', () => `${internal.url}/secret`, 'SSRF_BLOCKED'],
    ['a redirect from the site to an internal address', () => `${site.url}/to-internal`, 'SSRF_BLOCKED'],
    ['a file: URL', () => 'file:///etc/passwd', 'URL_SCHEME_BLOCKED'],
  ])('refuses %s: the step fails naming `url`', async (_, url, code) => {
    const id = await createWorkflow(chain(node.manual(), openPage('open', { url: '{{ $json.target }}' })))
    const executionId = await start(id, [{ target: url() }])
    await waitForStatus(t.db.prisma, executionId, ['failed'], 30_000)
    const s = await step(executionId, 'open')
    expect(s.status).toBe('failed')
    expect(s.error).toMatchObject({ code, field: 'url' })
    expect(internal.hits).toEqual([])
  })

  it('fails a step whose browser is killed mid-step with BROWSER_CRASHED; the retry succeeds on a new browser', async () => {
    const before = pool().stats()
    const id = await createWorkflow(chain(node.manual(), openPage('open', { url: `${site.url}/crash`, timeoutSeconds: 20 }, { maxAttempts: 2, backoffMs: 100 })))
    const executionId = await start(id)
    // The step is waiting on the page: kill the browser process, as an out-of-memory kill would.
    await waitFor('the page to be requested', async () => site.hits.includes('/crash'), 30_000)
    const pid = chromiumPid()
    expect(pid).toBeGreaterThan(0)
    process.kill(pid!, 'SIGKILL')
    const row = await waitForStatus(t.db.prisma, executionId, ['succeeded', 'failed'], 30_000)
    expect(row.status, JSON.stringify(row.error)).toBe('succeeded')
    const first = await step(executionId, 'open', 1)
    expect(first.status).toBe('failed')
    expect(first.error).toMatchObject({ code: 'BROWSER_CRASHED', retryable: true })
    const second = await step(executionId, 'open', 2)
    expect(second.status).toBe('succeeded')
    expect((second.output as { main: Record<string, unknown>[] }).main[0]).toMatchObject({ title: 'Back', status: 200 })
    const after = pool().stats()
    expect(after.crashes).toBe(before.crashes + 1)
    expect(after.launches).toBe(before.launches + 1)
    await waitFor('pages and contexts closed', async () => pool().stats().openPages === 0 && pool().stats().contexts === 0)
  }, 60_000)

  it('fails a page that never finishes loading with BROWSER_TIMEOUT at the node\'s timeoutSeconds', async () => {
    const id = await createWorkflow(chain(node.manual(), openPage('open', { url: `${site.url}/hang`, timeoutSeconds: 2 })))
    const executionId = await start(id)
    await waitForStatus(t.db.prisma, executionId, ['failed'], 30_000)
    const s = await step(executionId, 'open')
    expect(s.error).toMatchObject({ code: 'BROWSER_TIMEOUT', field: 'url', retryable: true })
    expect(site.hits).toContain('/hang')
    // The node's 2 s, not the worker's 30 s default (a generous bound: the machine is shared).
    expect(s.durationMs).toBeGreaterThanOrEqual(2000)
    expect(s.durationMs).toBeLessThan(15_000)
  }, 40_000)

  it('gives each run its own browser context: a cookie set in one run is absent from another', async () => {
    const id = await createWorkflow(
      chain(
        node.manual(),
        openPage('set', { url: `${site.url}/cookie-set?v={{ $json.v }}` }),
        openPage('read', { url: `${site.url}/cookie-read`, includeHtml: true }),
      ),
    )
    const readOnly = await createWorkflow(chain(node.manual(), openPage('read', { url: `${site.url}/cookie-read`, includeHtml: true })))
    // Two runs at once, each setting its own cookie, and a third that sets none.
    const [r1, r2] = await Promise.all([start(id, [{ v: 'run1' }]), start(id, [{ v: 'run2' }])])
    const r3 = await start(readOnly)
    for (const e of [r1, r2, r3]) expect((await waitForStatus(t.db.prisma, e, ['succeeded', 'failed'], 30_000)).status).toBe('succeeded')
    const cookieOf = async (e: string) => /<p id="c">([^<]*)<\/p>/.exec(String(((await step(e, 'read')).output as { main: { html: string }[] }).main[0].html))?.[1]
    expect(await cookieOf(r1)).toBe('sid=run1')
    expect(await cookieOf(r2)).toBe('sid=run2')
    expect(await cookieOf(r3)).toBe('none')
  }, 40_000)
})
