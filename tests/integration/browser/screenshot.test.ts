// Screenshot over real Chromium: the whole page, the window and one element as PNG (signature and size checked in the
// stored bytes) or JPEG, a missing element naming the selector, and a whole run (Open Page → Screenshot) on a test
// worker whose image GET /api/files/:id serves as an image/png attachment.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createBrowserHost, type BrowserHostWithPool } from '@/lib/browser/host'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { NodeError, type Item } from '@/lib/engine/types'
import type { FileRef } from '@/lib/files/ref'
import type { FileService } from '@/lib/files/service'
import { browserOpenPage } from '@/lib/nodes/browser/open-page/definition'
import { browserScreenshot } from '@/lib/nodes/browser/screenshot/definition'
import { memoryFiles } from '../../helpers/files'
import { html, startSite, type Site } from '../../helpers/site-server'
import { runNode } from '../../unit/nodes/harness'
import { seedTenant, useTestEnv } from '../../helpers/db'
import { startTestWorker } from '../../helpers/worker'
import { offlineHostServices } from '../../helpers/host-services'
import { call, chain, node, waitForStatus } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as runRoute from '../../../app/api/workflows/[id]/run/route'
import * as fileRoute from '../../../app/api/files/[id]/route'
import { webServices } from '../../../lib/composition/web-services'
import { closeAppServices } from '../../../lib/services/app'
import { nodeFailure as failure } from '../../helpers/browser'

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium'
let site: Site
let host: BrowserHostWithPool
const files = memoryFiles()
const services = () => ({ browser: host, files })

const TALL = html(`
  <style>body { margin: 0; background: #f4f4f4 } #box { width: 120px; height: 80px; background: #c33; margin: 40px } #tall { height: 2000px }</style>
  <div id="box"></div><div id="tall">tall</div>`)
const LATE = html(`<script>setTimeout(() => { const d = document.createElement('div'); d.id = 'late'; d.style.cssText = 'width:50px;height:30px;background:#3c3'; document.body.append(d) }, 150)</script>`)

beforeAll(async () => {
  site = await startSite({ '/tall': TALL, '/late': LATE })
  host = createBrowserHost({ maxPages: 2, executables: { chromium: CHROMIUM }, guard: createTcpGuard({ allowList: [`127.0.0.1:${site.port}`] }), maxDownloadBytes: 100_000, defaultTimeoutMs: 10_000 })
})
afterEach(async () => {
  await host.endRun('exec-1')
})
afterAll(async () => {
  await host?.close()
  await site?.close()
})

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** A PNG's width and height from its IHDR chunk (after checking the signature). */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

async function bytesOf(store: FileService, tenantId: string, executionId: string, ref: unknown): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of await (await store.forRun({ tenantId, executionId }).open(ref, 'file')).stream()) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

async function open(pathname: string, input: Item = {}): Promise<Item[]> {
  const { output } = await runNode(browserOpenPage, { params: { url: `${site.url}${pathname}`, timeoutSeconds: 10 }, items: [input], services: services() })
  return output.main
}

async function shoot(items: Item[], params: Record<string, unknown>): Promise<Item[]> {
  const { output } = await runNode(browserScreenshot, { params: { timeoutSeconds: 10, ...params }, items, services: services() })
  return output.main
}

describe('Screenshot', () => {
  it('stores the whole page as a PNG file on the item, keeping the item and its page', async () => {
    const items = await open('/tall', { order: 7 })
    const [out] = await shoot(items, {})
    const ref = out.screenshot as FileRef
    expect(ref).toMatchObject({ name: 'screenshot-127.0.0.1-1.png', mimeType: 'image/png' })
    expect(out).toMatchObject({ order: 7, $page: items[0].$page })
    const bytes = await bytesOf(files, 'tenant-1', 'exec-1', ref)
    expect(ref.size).toBe(bytes.length)
    // The page is 2000 px of #tall plus the box and its margins: taller than the 800 px window.
    expect(pngSize(bytes)).toEqual({ width: 1280, height: 2160 })
  })

  it('captures the window only, or one element, into the field and file name given', async () => {
    const items = await open('/tall')
    const [view] = await shoot(items, { area: 'viewport', outputField: 'view', fileName: 'window' })
    expect(view.view).toMatchObject({ name: 'window.png' })
    expect(pngSize(await bytesOf(files, 'tenant-1', 'exec-1', view.view))).toEqual({ width: 1280, height: 800 })
    const [box] = await shoot(items, { area: 'element', selector: '#box' })
    expect(pngSize(await bytesOf(files, 'tenant-1', 'exec-1', box.screenshot))).toEqual({ width: 120, height: 80 })
    const [byXpath] = await shoot(items, { area: 'element', selector: 'xpath=//div[@id="box"]' })
    expect(pngSize(await bytesOf(files, 'tenant-1', 'exec-1', byXpath.screenshot))).toEqual({ width: 120, height: 80 })
  })

  it('makes a JPEG at the quality given', async () => {
    const items = await open('/tall')
    const [low] = await shoot(items, { format: 'jpeg', quality: 10 })
    const [high] = await shoot(items, { format: 'jpeg', quality: 95 })
    expect(low.screenshot).toMatchObject({ name: 'screenshot-127.0.0.1-1.jpg', mimeType: 'image/jpeg' })
    const bytes = await bytesOf(files, 'tenant-1', 'exec-1', low.screenshot)
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
    expect((high.screenshot as FileRef).size).toBeGreaterThan((low.screenshot as FileRef).size)
  })

  it('waits for an element that appears late', async () => {
    const [out] = await shoot(await open('/late'), { area: 'element', selector: '#late', waitForSelector: '#late' })
    expect(pngSize(await bytesOf(files, 'tenant-1', 'exec-1', out.screenshot))).toEqual({ width: 50, height: 30 })
  })

  it('fails naming the selector when the element is not there, or is not a valid selector; and an item with no page', async () => {
    const items = await open('/tall')
    const missing = await failure(shoot(items, { area: 'element', selector: '#nope' }))
    expect(missing).toMatchObject({ code: 'ELEMENT_NOT_FOUND', field: 'selector' })
    expect(missing.message).toContain('#nope')
    const invalid = await failure(shoot(items, { area: 'element', selector: 'div[' }))
    expect(invalid).toMatchObject({ code: 'INVALID_SELECTOR', field: 'selector' })
    expect(await failure(shoot([{}], {}))).toMatchObject({ code: 'NO_PAGE', field: 'url' })
    expect(browserScreenshot.params.safeParse({ area: 'element' }).success).toBe(false)
  })
})

describe('Screenshot in a workflow run', () => {
  const root = path.join(os.tmpdir(), `auterity-screenshots-${process.pid}-${Date.now()}`)
  let t: Awaited<ReturnType<typeof useTestEnv>>
  let worker: Awaited<ReturnType<typeof startTestWorker>>
  beforeAll(async () => {
    t = await useTestEnv({ AUTERITY_FILES_URL: `file://${root}` })
    worker = await startTestWorker(t, {
      services: { ...offlineHostServices(), files: webServices().files, browser: undefined as never },
      browser: { maxPages: 2, executables: { chromium: CHROMIUM } },
      http: { allowList: [`127.0.0.1:${site.port}`] },
    })
  })
  afterAll(async () => {
    await worker?.close()
    await closeAppServices()
    await webServices().files.close()
    await t?.teardown()
    await fs.rm(root, { recursive: true, force: true })
  })

  it('stores the image with the run, and GET /api/files/:id serves it as an image/png attachment', async () => {
    const tenant = await seedTenant(t.db.prisma)
    const graph = chain(
      node.manual(),
      { id: 'open', type: 'browser-open-page', name: 'Open Page', params: { url: `${site.url}/tall` } },
      { id: 'shot', type: 'browser-screenshot', name: 'Screenshot', params: { area: 'element', selector: '#box' } },
    )
    const created = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name: 'Shots', graph } })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    const started = await call(runRoute.POST, { method: 'POST', headers: tenant.headers, params: { id: created.json.id }, body: { input: [{}] } })
    const executionId = started.json.executionId as string
    const row = await waitForStatus(t.db.prisma, executionId, ['succeeded', 'failed'], 60_000)
    const steps = await t.db.prisma.stepRun.findMany({ where: { executionId } })
    expect(row.status, JSON.stringify(steps.map((s) => s.error))).toBe('succeeded')
    const ref = (steps.find((s) => s.nodeId === 'shot')?.output as { main: Item[] }).main[0].screenshot as FileRef
    expect(ref).toMatchObject({ name: 'screenshot-127.0.0.1-1.png', mimeType: 'image/png' })
    // The file belongs to the run.
    expect(await t.db.prisma.file.findUniqueOrThrow({ where: { id: ref.$file } })).toMatchObject({ tenantId: tenant.tenantId, executionId })

    const res = await fileRoute.GET(new Request(`http://localhost/api/files/${ref.$file}`, { headers: tenant.headers }), { params: Promise.resolve({ id: ref.$file }) })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('content-disposition')).toContain('attachment; filename="screenshot-127.0.0.1-1.png"')
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.length).toBe(ref.size)
    expect(pngSize(bytes)).toEqual({ width: 120, height: 80 })
    // Another workspace cannot fetch it.
    const other = await seedTenant(t.db.prisma)
    const denied = await fileRoute.GET(new Request(`http://localhost/api/files/${ref.$file}`, { headers: other.headers }), { params: Promise.resolve({ id: ref.$file }) })
    expect(denied.status).toBe(404)
  })
})
