// Page Changed triggers in real Chromium, on real PostgreSQL and Redis, against pages this file serves and changes:
// two worker runtimes (each its own browser pool) checking the same monitors at the same moment; the first check is
// the baseline, an unchanged page and a change below the threshold start nothing, a change beyond it starts exactly
// one run (with the diff and before/after PNGs), a selector limits what is compared, an internal address never
// fires and records its error, deactivation stops the checks, and activation refuses a too-short interval.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { startTestWorker } from '../../helpers/worker'
import { offlineHostServices } from '../../helpers/host-services'
import { html, startSite, type Site } from '../../helpers/site-server'
import { call, chain, node, waitFor, waitForStatus, type NodeSpec } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as deactivate from '../../../app/api/workflows/[id]/deactivate/route'
import { closeAppServices } from '../../../lib/services/app'
import { resetEnv } from '../../../lib/env'
import { createFileService, type FileService } from '../../../lib/files'
import type { FileRef } from '../../../lib/files/ref'
import type { CheckOutcome } from '../../../lib/services/page-monitors'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium'
let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let site: Site
let internal: Site
let files: FileService
let dataDir: string
let workers: RunningWorker[] = []
const checks: { registrationId: string; outcome: CheckOutcome }[] = []

// The pages: their content is what the tests set here.
const content: Record<string, string> = {}
const page = (name: string) => `${site.url}/${name}`
/** 100 lines of text: one changed word is well under 1 % of it, ten changed lines well over. */
const lines = (n: number, edit: (i: number) => string | undefined = () => undefined) =>
  Array.from({ length: n }, (_, i) => `<p>${edit(i) ?? `Line ${i} of the catalogue says the same thing as always`}</p>`).join('')

const monitor = (params: Record<string, unknown>, id = 'watch'): NodeSpec => ({ id, type: 'browser-page-monitor', name: 'Page Changed', params })

async function createActive(params: Record<string, unknown>): Promise<{ workflowId: string; registrationId: string }> {
  const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Watch', graph: chain(monitor(params), node.set('s', { seen: true })), active: true } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  const reg = await t.db.prisma.triggerRegistration.findFirstOrThrow({ where: { workflowId: res.json.id } })
  expect(reg.kind).toBe('monitor')
  return { workflowId: res.json.id, registrationId: reg.id }
}

const runs = (workflowId: string) => t.db.prisma.execution.findMany({ where: { workflowId }, orderBy: { createdAt: 'asc' } })
/** Both workers check the registration at the same moment. */
const checkBoth = (registrationId: string) => Promise.all(workers.map((w) => w.pageMonitors!.checkNow(registrationId)))
const kinds = (outcomes: CheckOutcome[]) => outcomes.map((o) => o.outcome).sort()

async function pngOf(ref: FileRef | null | undefined): Promise<Buffer> {
  expect(ref).toMatchObject({ $file: expect.any(String), mimeType: 'image/png' })
  const { bytes } = await files.scoped({ tenantId: a.tenantId, executionId: null }).readBytes(ref, { field: 'screenshot', maxBytes: 20 * 1024 * 1024 })
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  return bytes
}

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_PAGE_MONITOR_MIN_INTERVAL_MS: '1000' })
  a = await seedTenant(t.db.prisma)
  internal = await startSite({ '/secret': html('<p>internal secret</p>') })
  const serve = (name: string) => (_req: unknown, res: import('node:http').ServerResponse) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html(content[name] ?? '<p>empty</p>'))
  site = await startSite({ '/catalogue': serve('catalogue'), '/product': serve('product'), '/ticker': serve('ticker') })
  dataDir = path.join(os.tmpdir(), `auterity-monitor-${randomBytes(6).toString('hex')}`)
  // One file store for both workers (as processes sharing a bucket): PostgreSQL rows, so ownership is real.
  files = createFileService(t.db.prisma, { dataDir, maxFileBytes: 100 * 1024 * 1024 })
  workers = await Promise.all(
    [0, 1].map(() =>
      startTestWorker(t, {
        services: { ...offlineHostServices(), files, browser: undefined as never },
        browser: { maxPages: 2, executables: { chromium: CHROMIUM } },
        http: { allowList: [`127.0.0.1:${site.port}`] },
        brokers: false,
        // Checks only when a test asks (checkNow, pass): the tests decide when the page changes and is looked at.
        pageMonitors: { pollMs: 0, onCheck: (registrationId, outcome) => checks.push({ registrationId, outcome }), log: () => undefined },
      }),
    ),
  )
}, 60_000)

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()))
  await closeAppServices()
  await site?.close()
  await internal?.close()
  await files?.close()
  await t?.teardown()
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true })
})

describe('Page Changed trigger', () => {
  it('refuses an interval shorter than the workspace allows, naming the field', async () => {
    process.env.AUTERITY_PAGE_MONITOR_MIN_INTERVAL_MS = '60000'
    resetEnv()
    try {
      const res = await call(workflows.POST, {
        method: 'POST', headers: a.headers, body: { name: 'x', graph: chain(monitor({ url: 'https://example.com/', every: 10, unit: 'seconds' })), active: true },
      })
      expect(res.status).toBe(400)
      expect(res.json.error.fields).toEqual({ 'graph.nodes.0.params.every': expect.stringMatching(/every 10 s .*at most once every 1 min/) })
      const scheme = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'x', graph: chain(monitor({ url: 'file:///etc/passwd' })), active: true } })
      expect(scheme.status).toBe(400)
      expect(JSON.stringify(scheme.json.error.fields)).toMatch(/params\.url/)
    } finally {
      process.env.AUTERITY_PAGE_MONITOR_MIN_INTERVAL_MS = '1000'
      resetEnv()
    }
    expect(await t.db.prisma.triggerRegistration.count()).toBe(0)
  })

  it('records a baseline, ignores no change and small changes, and starts exactly one run per change across two workers', async () => {
    content.catalogue = lines(100)
    const { workflowId, registrationId } = await createActive({ url: page('catalogue'), every: 1, unit: 'minutes' })

    // First check, by both workers at once: one records the baseline, the other loses the swap or sees it unchanged.
    const first = await checkBoth(registrationId)
    expect(kinds(first).filter((k) => k === 'baseline')).toHaveLength(1)
    expect(kinds(first).filter((k) => k !== 'baseline')[0]).toMatch(/^(lost|unchanged)$/)
    const m0 = await t.db.prisma.pageMonitor.findFirstOrThrow({ where: { workflowId } })
    expect(m0).toMatchObject({ version: 1, lastError: null })
    expect(m0.text).toContain('Line 99 of the catalogue')
    expect(await t.db.prisma.pageSnapshot.count({ where: { monitorId: m0.id } })).toBe(1)
    // The baseline's screenshot is kept with the snapshot (no execution, an expiry far ahead).
    const shot = await t.db.prisma.file.findUniqueOrThrow({ where: { id: m0.screenshotFileId! } })
    expect(shot.executionId).toBeNull()
    expect(shot.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 86_400_000)

    const checkOne = (id: string) => workers[0].pageMonitors!.checkNow(id)
    expect(await checkOne(registrationId)).toMatchObject({ outcome: 'unchanged' })
    // One word of one line of 100: under the 1 % threshold.
    content.catalogue = lines(100, (i) => (i === 50 ? 'Line 50 of the catalogue says the same thing as ever' : undefined))
    const small = await checkBoth(registrationId)
    expect(kinds(small)).toEqual(['below-threshold', 'below-threshold'])
    expect((small[0] as { changeRatio: number }).changeRatio).toBeLessThan(0.01)
    expect(await runs(workflowId)).toHaveLength(0)

    // Ten lines of 100 rewritten: one run, whichever worker got there first.
    const ever = (i: number) => (i === 50 ? 'Line 50 of the catalogue says the same thing as ever' : undefined)
    content.catalogue = lines(100, (i) => (i >= 10 && i < 20 ? `New item ${i} arrived today` : ever(i)))
    const big = await checkBoth(registrationId)
    expect(kinds(big).filter((k) => k === 'fired')).toHaveLength(1)
    expect(kinds(big).filter((k) => k !== 'fired')[0]).toMatch(/^(lost|unchanged)$/)
    const [run] = await runs(workflowId)
    expect(await runs(workflowId)).toHaveLength(1)
    expect(run.mode).toBe('monitor')
    const done = await waitForStatus(t.db.prisma, run.id, ['succeeded', 'failed'], 30_000)
    expect(done.status).toBe('succeeded')
    const item = (run.input as any[])[0]
    expect(item.url).toBe(page('catalogue'))
    expect(item.changeRatio).toBeGreaterThan(0.05)
    expect(item.diff.added).toHaveLength(11)
    expect(item.diff.added[0]).toBe('New item 10 arrived today')
    expect(item.diff.added[10]).toBe('Line 50 of the catalogue says the same thing as ever')
    // The earlier small change was never a baseline: it is part of this diff.
    expect(item.diff.removed).toContain('Line 10 of the catalogue says the same thing as always')
    expect(item.diff.removed).toContain('Line 50 of the catalogue says the same thing as always')
    expect(item.diff.unified).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@\n/)
    expect(item.diff.unified).toContain('\n-Line 10 of the catalogue says the same thing as always\n')
    expect(item.diff.unified).toContain('\n+New item 10 arrived today\n')
    expect(item.before.text).toContain('Line 10 of the catalogue')
    expect(item.after.text).toContain('New item 19 arrived today')
    expect(new Date(item.before.checkedAt).getTime()).toBeLessThan(new Date(item.after.checkedAt).getTime())
    await pngOf(item.before.screenshot)
    await pngOf(item.after.screenshot)
    // The run's copies belong to the run (they go with it); the new baseline keeps its own.
    const owned = await t.db.prisma.file.findMany({ where: { id: { in: [item.before.screenshot.$file, item.after.screenshot.$file] } } })
    expect(owned.map((f) => f.executionId)).toEqual([run.id, run.id])
    // The run's steps saw the item: the trigger passed it on to Set.
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: run.id, nodeId: 's' } })
    expect(JSON.stringify(step.output)).toContain('New item 10 arrived today')

    expect(await checkOne(registrationId)).toMatchObject({ outcome: 'unchanged' })
    // A second change: one more run, its "before" the previous change's "after".
    content.catalogue = lines(100, (i) => (i >= 60 && i < 75 ? `Sold out ${i}` : i >= 10 && i < 20 ? `New item ${i} arrived today` : ever(i)))
    const second = await checkBoth(registrationId)
    expect(kinds(second).filter((k) => k === 'fired')).toHaveLength(1)
    const all = await runs(workflowId)
    expect(all).toHaveLength(2)
    const item2 = (all[1].input as any[])[0]
    expect(item2.diff.added).toEqual(Array.from({ length: 15 }, (_, i) => `Sold out ${60 + i}`))
    expect(item2.before.text).toBe(item.after.text)
    const m2 = await t.db.prisma.pageMonitor.findFirstOrThrow({ where: { workflowId } })
    expect(m2).toMatchObject({ version: 3, changes: 2 })
    const snaps = await t.db.prisma.pageSnapshot.findMany({ where: { monitorId: m2.id }, orderBy: { version: 'asc' } })
    expect(snaps.map((s) => [s.version, s.executionId])).toEqual([[1, null], [2, all[0].id], [3, all[1].id]])
    await waitForStatus(t.db.prisma, all[1].id, ['succeeded'], 30_000)
  })

  it('with a selector, compares only that element, and ignore rules leave out what always changes', async () => {
    const product = (price: string, news: string, clock: string) =>
      `<div id="product"><h2>Mug</h2><p class="price">Price: ${price}</p><p>Updated at ${clock}</p><div class="ad">Buy ${clock}</div></div><aside id="news">${news}</aside>`
    content.product = product('19.99 €', 'Nothing new', '10:00:01')
    const { workflowId, registrationId } = await createActive({
      url: page('product'), selector: '#product', ignore: '/\\d{1,2}:\\d{2}:\\d{2}/\n.ad', threshold: 0, every: 1, unit: 'minutes',
    })
    expect(kinds(await checkBoth(registrationId))).toContain('baseline')
    // Outside the element, and a clock the ignore rules strip: nothing to report.
    content.product = product('19.99 €', 'Big news outside the product', '10:05:42')
    expect(await workers[1].pageMonitors!.checkNow(registrationId)).toMatchObject({ outcome: 'unchanged' })
    const m = await t.db.prisma.pageMonitor.findFirstOrThrow({ where: { workflowId } })
    expect(m.text).toBe('Mug\nPrice: 19.99 €\nUpdated at')
    content.product = product('17.49 €', 'Big news outside the product', '10:06:00')
    const fired = await checkBoth(registrationId)
    expect(kinds(fired).filter((k) => k === 'fired')).toHaveLength(1)
    const [run] = await runs(workflowId)
    const item = (run.input as any[])[0]
    expect(item.diff).toMatchObject({ added: ['Price: 17.49 €'], removed: ['Price: 19.99 €'] })
    // The element's screenshot, not the page's.
    const png = await pngOf(item.after.screenshot)
    const width = png.readUInt32BE(16)
    expect(width).toBeLessThan(1280)
  })

  it('an internal address never fires: the guard refuses it and the error is recorded', async () => {
    const { workflowId, registrationId } = await createActive({ url: `${internal.url}/secret`, every: 1, unit: 'minutes' })
    const outcomes = await checkBoth(registrationId)
    expect(kinds(outcomes)).toEqual(['failed', 'failed'])
    expect(outcomes[0]).toMatchObject({ code: 'SSRF_BLOCKED' })
    expect(internal.hits).toEqual([])
    const m = await t.db.prisma.pageMonitor.findFirstOrThrow({ where: { workflowId } })
    expect(m).toMatchObject({ version: 0, hash: null, checks: 2 })
    expect(m.lastError).toMatch(/127\.0\.0\.1/)
    expect(await runs(workflowId)).toHaveLength(0)
  })

  it('the workers share the due checks, and deactivating the workflow stops them', async () => {
    content.ticker = lines(20)
    const { workflowId, registrationId } = await createActive({ url: page('ticker'), every: 1, unit: 'seconds' })
    const mine = () => checks.filter((c) => c.registrationId === registrationId)
    // Both workers look at once: one takes the due check (the baseline), the other leaves it.
    await Promise.all(workers.map((w) => w.pageMonitors!.pass()))
    await waitFor('the baseline check', async () => mine().length >= 1)
    expect(mine().map((c) => c.outcome.outcome)).toEqual(['baseline'])

    content.ticker = lines(20, (i) => (i < 5 ? `Breaking ${i}` : undefined))
    const run = await waitFor(
      'a run from the polled checks',
      async () => {
        await Promise.all(workers.map((w) => w.pageMonitors!.pass()))
        return (await runs(workflowId))[0]
      },
      20_000,
    )
    await waitForStatus(t.db.prisma, run.id, ['succeeded'], 30_000)

    const off = await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id: workflowId } })
    expect(off.status).toBe(200)
    // Let checks in progress end, then change the page and keep looking for longer than the interval.
    await Promise.all(workers.map((w) => w.pageMonitors!.idle()))
    const before = mine().length
    content.ticker = lines(20, (i) => (i < 10 ? `Later ${i}` : undefined))
    for (let i = 0; i < 6; i++) {
      await Promise.all(workers.map((w) => w.pageMonitors!.pass()))
      await new Promise((r) => setTimeout(r, 300))
    }
    await Promise.all(workers.map((w) => w.pageMonitors!.idle()))
    expect(mine().length).toBe(before)
    expect(await runs(workflowId)).toHaveLength(1)
    // Its registration is gone: a check asked for by id starts nothing either.
    expect(await workers[0].pageMonitors!.checkNow(registrationId)).toEqual({ outcome: 'gone' })
  })
})
