// Fill Form in real Chromium against a sign-up form the test serves: server-side validation errors reported and then
// a success, label / selector / placeholder / name targeting, select, checkbox, radio, a file upload from the run's
// files (checked in the multipart body), submit by Enter with a wait for a selector, the browser's own validation.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { IncomingMessage } from 'node:http'
import { createBrowserHost, type BrowserHostWithPool } from '@/lib/browser/host'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { NodeError, type Item } from '@/lib/engine/types'
import { browserFillForm } from '@/lib/nodes/browser/fill-form/definition'
import { browserOpenPage } from '@/lib/nodes/browser/open-page/definition'
import { runNode } from '../../unit/nodes/harness'
import { memoryFiles } from '../../helpers/files'
import { html, startSite, type Site } from '../../helpers/site-server'
import { nodeFailure as failure } from '../../helpers/browser'

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium'
let site: Site
let host: BrowserHostWithPool
const files = memoryFiles()
/** The last sign-up the server received, as it parsed the multipart body. */
let posted: Record<string, unknown> | undefined

const signupForm = (errors: string[] = [], values: Record<string, string> = {}) =>
  html(
    `<h1>Sign up</h1>
    ${errors.map((e) => `<p class="error">${e}</p>`).join('')}
    <p class="error" style="display:none">hidden error, never reported</p>
    <form method="post" action="/signup" enctype="multipart/form-data">
      <label for="email">Email</label><input id="email" name="email" value="${values.email ?? ''}">
      <label for="email2">Email again</label><input id="email2" name="email2">
      <label for="name">Full name</label><input id="name" name="fullName" placeholder="Ada Lovelace">
      <label for="plan">Plan</label>
      <select id="plan" name="plan"><option value="">Choose…</option><option value="free">Free</option><option value="pro">Pro plan</option></select>
      <label><input type="checkbox" name="terms" value="yes"> I accept the terms</label>
      <fieldset><legend>Billing</legend>
        <label><input type="radio" name="billing" value="monthly"> Monthly</label>
        <label><input type="radio" name="billing" value="yearly"> Yearly</label>
      </fieldset>
      <label for="bio">About you</label><textarea id="bio" name="bio"></textarea>
      <label for="avatar">Avatar</label><input type="file" id="avatar" name="avatar">
      <button type="submit">Sign up</button>
    </form>`,
    'Sign up',
  )

async function parseMultipart(req: IncomingMessage, body: string): Promise<Record<string, unknown>> {
  const form = await new Request('http://site/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body }).formData()
  const out: Record<string, unknown> = {}
  for (const [k, v] of form.entries()) {
    out[k] = typeof v === 'string' ? v : v.size ? { name: v.name, type: v.type, text: await v.text() } : null
  }
  return out
}

beforeAll(async () => {
  site = await startSite({
    '/signup': (req, res, body) => {
      if (req.method !== 'POST') return void res.writeHead(200, { 'content-type': 'text/html' }).end(signupForm())
      void parseMultipart(req, body).then((f) => {
        posted = f
        const errors: string[] = []
        if (!String(f.email ?? '').includes('@')) errors.push('Email is invalid')
        if (!f.plan) errors.push('Choose a plan')
        if (f.terms !== 'yes') errors.push('Accept the terms')
        if (!f.billing) errors.push('Choose monthly or yearly billing')
        if (errors.length) return void res.writeHead(422, { 'content-type': 'text/html' }).end(signupForm(errors, { email: String(f.email ?? '') }))
        res.writeHead(303, { location: '/welcome', 'set-cookie': `who=${encodeURIComponent(String(f.email))}; Path=/` }).end()
      })
    },
    '/welcome': (req, res) => {
      const who = decodeURIComponent(/who=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? 'nobody')
      res.writeHead(200, { 'content-type': 'text/html' }).end(html(`<h1 class="welcome">Welcome, ${who}</h1><a id="next" href="/next">next</a>`, 'Welcome'))
    },
    '/search': html(
      `<form id="f"><input name="q" aria-label="Search"></form><div id="out"></div>
      <script>document.getElementById('f').addEventListener('submit', (e) => { e.preventDefault();
        const q = new FormData(e.target).get('q'); setTimeout(() => { document.getElementById('out').innerHTML = '<p id="results">Results for ' + q + '</p>' }, 300) })</script>`,
      'Search',
    ),
    '/js-form': html(
      `<p class="error" hidden>template</p><form id="f" method="post" action="/js-form"><label for="n">Name</label><input id="n" name="n"><button>Send</button></form><p class="error" id="live"></p>
      <script>document.getElementById('f').addEventListener('submit', (e) => { if (!document.getElementById('n').value.trim()) { e.preventDefault();
        setTimeout(() => { document.getElementById('live').textContent = 'Name is required' }, 200) } })</script>`,
      'Script-checked form',
    ),
    '/native': html('<form method="post" action="/native"><label for="e">Work email</label><input id="e" type="email" name="e" required><button>Go</button></form>', 'Native'),
  })
  host = createBrowserHost({ maxPages: 2, executables: { chromium: CHROMIUM }, guard: createTcpGuard({ allowList: [`127.0.0.1:${site.port}`] }), maxDownloadBytes: 100_000, defaultTimeoutMs: 10_000 })
})

afterEach(async () => {
  posted = undefined
  await host.endRun('exec-1')
})

afterAll(async () => {
  await host?.close()
  await site?.close()
})

const open = async (path: string): Promise<Item> => {
  const { output } = await runNode(browserOpenPage, { params: { url: `${site.url}${path}`, timeoutSeconds: 10 }, items: [{}], services: { browser: host, files } })
  return output.main[0]
}
const fill = async (item: Item, params: Record<string, unknown>) => {
  const { output } = await runNode(browserFillForm, { params: { timeoutSeconds: 10, ...params }, items: [item], services: { browser: host, files } })
  return output.main[0]
}
describe('Fill Form', () => {
  it('reports the server\'s validation errors, then succeeds with corrected values on the same page', async () => {
    const page = await open('/signup')
    const first = await fill(page, {
      fields: [{ target: 'Email', value: 'not-an-email' }, { target: 'Plan', value: 'Pro plan' }],
      errorSelector: '.error',
      onFormErrors: 'output',
    })
    expect(first.formErrors).toEqual(['Email is invalid', 'Accept the terms', 'Choose monthly or yearly billing'])
    expect(posted).toMatchObject({ email: 'not-an-email', plan: 'pro' })
    expect(first.$page).toMatchObject({ session: (page.$page as { session: string }).session })

    // The same page, showing the errors: fix the fields and send again.
    const avatar = await files.forRun({ tenantId: 'tenant-1', executionId: 'exec-1' }).write({ name: 'avatar.txt', mimeType: 'text/plain', data: 'pretend this is a face' })
    const second = await fill(first, {
      fields: [
        { target: 'Email', value: 'ada@example.com' },
        { target: 'Plan', value: 'pro' },
        { target: 'I accept the terms', value: 'on' },
        { target: 'Yearly', value: true },
        { target: 'About you', value: 'Counts things' },
        { target: 'Avatar', value: avatar },
      ],
      errorSelector: '.error',
      successSelector: '.welcome',
      extract: [{ key: 'greeting', selector: 'h1' }, { key: 'next', selector: '#next', return: 'attribute', attribute: 'href' }],
    })
    expect(second).toMatchObject({ url: `${site.url}/welcome`, status: 200, title: 'Welcome', formErrors: [], greeting: 'Welcome, ada@example.com', next: '/next' })
    expect(posted).toMatchObject({
      email: 'ada@example.com', plan: 'pro', terms: 'yes', billing: 'yearly', bio: 'Counts things',
      avatar: { name: 'avatar.txt', type: 'text/plain', text: 'pretend this is a face' },
    })
    expect(second.downloads).toBeUndefined()
  })

  it('fails with FORM_REJECTED naming the errors when onFormErrors is fail', async () => {
    const page = await open('/signup')
    const err = await failure(fill(page, { fields: [{ target: 'Email', value: 'x' }], errorSelector: '.error' }))
    expect(err.code).toBe('FORM_REJECTED')
    expect(err.message).toContain('Item 0: The form was rejected: Email is invalid; Choose a plan')
    expect(err.details).toMatchObject({ formErrors: expect.arrayContaining(['Accept the terms']) })
  })

  it('finds fields by selector, placeholder and name; selects by label or value; radios by value', async () => {
    const page = await open('/signup')
    const done = await fill(page, {
      fields: [
        { target: '#email', targetType: 'selector', value: 'grace@example.com' },
        { target: 'Ada Lovelace', targetType: 'placeholder', value: 'Grace Hopper' },
        { target: 'plan', targetType: 'name', value: 'free' },
        { target: 'terms', targetType: 'name', value: true },
        { target: 'billing', targetType: 'name', value: 'Monthly' },
      ],
      errorSelector: '.error',
    })
    expect(done).toMatchObject({ url: `${site.url}/welcome`, formErrors: [] })
    expect(posted).toMatchObject({ email: 'grace@example.com', email2: '', fullName: 'Grace Hopper', plan: 'free', terms: 'yes', billing: 'monthly' })
  })

  it('names the field that is not on the page, and an option that is not offered', async () => {
    const page = await open('/signup')
    const missing = await failure(fill(page, { fields: [{ target: 'Email', value: 'a@b.c' }, { target: 'Phone number', value: '1' }], timeoutSeconds: 2 }))
    expect(missing.code).toBe('FIELD_NOT_FOUND')
    expect(missing.field).toBe('fields.1.target')
    expect(missing.message).toContain('Item 0: No field with label "Phone number"')
    const option = await failure(fill(page, { fields: [{ target: 'Plan', value: 'Enterprise' }] }))
    expect(option).toMatchObject({ code: 'OPTION_NOT_FOUND', field: 'fields.0.value' })
    expect(option.message).toContain('"Pro plan" (pro)')
    const bool = await failure(fill(page, { fields: [{ target: 'I accept the terms', value: 'maybe' }] }))
    expect(bool).toMatchObject({ code: 'INVALID_VALUE', field: 'fields.0.value' })
    const notAFile = await failure(fill(page, { fields: [{ target: 'Avatar', value: 'face.png' }] }))
    expect(notAFile).toMatchObject({ code: 'INVALID_VALUE', field: 'fields.0.value' })
    const big = await files.forRun({ tenantId: 'tenant-1', executionId: 'exec-1' }).write({ name: 'big.txt', data: 'x'.repeat(2000) })
    const tooBig = await failure(fill(page, { fields: [{ target: 'Email', value: 'a@b.c' }, { target: 'Avatar', value: big }], maxUploadMb: 0.001 }))
    expect(tooBig).toMatchObject({ code: 'FILE_TOO_LARGE', field: 'fields.1.value' })
    expect(posted).toBeUndefined()
  })

  it('submits with Enter and waits for a selector the page\'s script shows', async () => {
    const page = await open('/search')
    const done = await fill(page, {
      fields: [{ target: 'Search', value: 'mugs' }],
      submit: 'enter',
      waitFor: 'selector',
      waitForSelector: '#results',
      extract: [{ key: 'results', selector: '#results' }],
    })
    expect(done).toMatchObject({ url: `${site.url}/search`, title: 'Search', results: 'Results for mugs', formErrors: [] })
    // No navigation: the status stays the one the page was opened with.
    expect(done.status).toBe(200)
  })

  it('stops waiting for a navigation when the page\'s script shows an error instead', async () => {
    const page = await open('/js-form')
    const done = await fill(page, { fields: [{ target: 'Name', value: '  ' }], errorSelector: '.error', onFormErrors: 'output', timeoutSeconds: 5 })
    expect(done).toMatchObject({ url: `${site.url}/js-form`, formErrors: ['Name is required'] })
    expect(site.hits.filter((h) => h === '/js-form')).toHaveLength(1)
    // Without errorSelector the step can only wait for the page that never comes, and says what to change.
    const stuck = await failure(fill(done, { fields: [{ target: 'Name', value: '' }], timeoutSeconds: 2 }))
    expect(stuck).toMatchObject({ code: 'BROWSER_TIMEOUT', field: 'waitFor', retryable: true })
    expect(stuck.message).toContain('no new page loaded within 2 s')
  })

  it('reports the browser\'s own validation without sending the form', async () => {
    const page = await open('/native')
    const done = await fill(page, { fields: [{ target: 'Work email', value: 'not an email' }], onFormErrors: 'output' })
    expect(done.formErrors).toEqual([expect.stringMatching(/^Work email: .+/)])
    expect(site.hits.filter((h) => h === '/native')).toHaveLength(1)
  })
})
