// A whole workflow on a test worker with a real browser pool: Open Page → Fill Form → Run Steps. The three steps
// work on one page: the cookie the sign-up page sets is sent with the form, and the account page the form leads to
// knows who signed up when Run Steps clicks through it. The run's page is closed when the run ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import { closeAppServices } from '../../../lib/services/app'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { offlineHostServices } from '../../helpers/host-services'
import { startTestWorker } from '../../helpers/worker'
import { html, startSite, type Site } from '../../helpers/site-server'
import { call, chain, node, waitFor, waitForStatus } from '../backbone/support'

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium'
let t: Awaited<ReturnType<typeof useTestEnv>>
let owner: SeededTenant
let worker: RunningWorker
let site: Site

beforeAll(async () => {
  site = await startSite({
    '/signup': (req, res, body) => {
      if (req.method !== 'POST') {
        return void res
          .writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'visit=v1; Path=/' })
          .end(html('<form method="post"><label for="n">Name</label><input id="n" name="name"><button>Join</button></form>', 'Join'))
      }
      const name = new URLSearchParams(body).get('name') ?? ''
      // The form only counts when it comes with the cookie its page set: the same browser context.
      if (!/visit=v1/.test(req.headers.cookie ?? '')) return void res.writeHead(400, { 'content-type': 'text/html' }).end(html('<p class="error">Session expired</p>', 'Join'))
      res.writeHead(303, { location: '/account', 'set-cookie': `who=${encodeURIComponent(name)}; Path=/` }).end()
    },
    '/account': (req, res) => {
      const who = decodeURIComponent(/who=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? 'nobody')
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        html(
          `<h1>Account</h1><button id="tab-orders" onclick="document.getElementById('orders').hidden = false">Orders</button>
          <section id="orders" hidden>No orders yet, ${who}</section>`,
          'Account',
        ),
      )
    },
  })
  t = await useTestEnv()
  owner = await seedTenant(t.db.prisma)
  worker = await startTestWorker(t, {
    services: { ...offlineHostServices(), browser: undefined as never },
    browser: { maxPages: 2, executables: { chromium: CHROMIUM } },
    http: { allowList: [`127.0.0.1:${site.port}`] },
  })
})

afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await site?.close()
  await t?.teardown()
})

describe('Open Page → Fill Form → Run Steps on a worker', () => {
  it('works on one page across the three nodes, cookies kept', async () => {
    const graph = chain(
      node.manual(),
      { id: 'open', type: 'browser-open-page', name: 'Open sign-up', params: { url: `${site.url}/signup`, timeoutSeconds: 20 } },
      { id: 'fill', type: 'browser-fill-form', name: 'Sign up', params: { fields: [{ target: 'Name', value: '{{ $json.title }} Ada' }], errorSelector: '.error', timeoutSeconds: 20 } },
      {
        id: 'steps', type: 'browser-run-steps', name: 'Orders', params: {
          steps: [{ action: 'click', selector: '#tab-orders' }, { action: 'waitForSelector', selector: '#orders' }, { action: 'extractText', selector: '#orders', key: 'orders' }],
          timeoutSeconds: 20,
        },
      },
    )
    const created = await call(workflows.POST, { method: 'POST', headers: owner.headers, body: { name: 'Browser form flow', graph } })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    const started = await call(run.POST, { method: 'POST', headers: owner.headers, params: { id: created.json.id }, body: {} })
    const executionId = started.json.executionId as string
    const done = await waitForStatus(t.db.prisma, executionId, ['succeeded', 'failed'], 60_000)
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded')

    const steps = await t.db.prisma.stepRun.findMany({ where: { executionId }, select: { nodeId: true, output: true } })
    const out = (id: string) => (steps.find((s) => s.nodeId === id)?.output as { main: Record<string, any>[] }).main[0]
    const session = out('open').$page.session
    expect(out('open')).toMatchObject({ title: 'Join', status: 200 })
    expect(out('fill')).toMatchObject({ url: `${site.url}/account`, title: 'Account', formErrors: [], $page: { session, url: `${site.url}/account` } })
    expect(out('steps')).toMatchObject({ orders: 'No orders yet, Join Ada', $page: { session } })
    // The run ended: its page and context are closed.
    await waitFor('the page closed', async () => worker.browserPool!.stats().openPages === 0)
  })
})
