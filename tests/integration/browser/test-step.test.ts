// "Test this step" on a browser node runs in the web process: a page from the web's own small pool, the same
// outbound policy as the workers, and the page closed when the test ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { html, startSite, type Site } from '../../helpers/site-server'
import { call, chain, node } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as testStep from '../../../app/api/workflows/[id]/test-step/route'
import { closeAppServices } from '../../../lib/services/app'
import { webNodeServices } from '../../../lib/services/node-runtime'
import type { BrowserHostWithPool } from '../../../lib/browser/host'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let site: Site
let blocked: Site

beforeAll(async () => {
  site = await startSite({ '/': html('<h1>Tested</h1>', 'Tested page') })
  blocked = await startSite({ '/': html('<h1>Internal</h1>') })
  t = await useTestEnv({ AUTERITY_HTTP_ALLOWLIST: `127.0.0.1:${site.port}`, PLAYWRIGHT_CHROMIUM_PATH: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium' })
  a = await seedTenant(t.db.prisma)
})
afterAll(async () => {
  await (webNodeServices().browser as BrowserHostWithPool).close?.()
  await closeAppServices()
  await t?.teardown()
  await site?.close()
  await blocked?.close()
})

const openPage = (url: string) => ({ id: 'open', type: 'browser-open-page', name: 'Open Page', params: { url } })

describe('"test this step" on a browser node', () => {
  it('opens the page in the web process and closes it afterwards', async () => {
    const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Browse', graph: chain(node.manual(), openPage(`${site.url}/`)) } })
    expect(created.status).toBe(201)
    const res = await call(testStep.POST, { method: 'POST', headers: a.headers, params: { id: created.json.id }, body: { nodeId: 'open', input: [{}] } })
    expect(res.json).toMatchObject({ status: 'succeeded', output: { main: [{ url: `${site.url}/`, status: 200, title: 'Tested page' }] } })
    expect(res.json.output.main[0].$page).toMatchObject({ url: `${site.url}/`, browser: 'chromium' })
    const pool = (webNodeServices().browser as BrowserHostWithPool).pool
    expect(pool.stats()).toMatchObject({ openPages: 0, contexts: 0 })
  })

  it('holds the page to the outbound policy', async () => {
    const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Internal', graph: chain(node.manual(), openPage(`${blocked.url}/`)) } })
    const res = await call(testStep.POST, { method: 'POST', headers: a.headers, params: { id: created.json.id }, body: { nodeId: 'open', input: [{}] } })
    expect(res.json).toMatchObject({ status: 'failed', error: { code: 'SSRF_BLOCKED' } })
    expect(blocked.hits).toEqual([])
  })
})
