// WhatsApp Cloud API end to end: a real worker runs WhatsApp Send steps against a local Graph API server
// (tests/fakes/whatsapp.ts) through the guarded HTTP client, and the trigger's webhook route answers over real HTTP
// (tests/helpers/hook-server.ts) the handshake and notifications the fake signs as Meta does. Every request body is
// checked as the fake received it; the 24-hour window, opt-outs, statuses and replays against PostgreSQL.
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as credentials from '../../../app/api/credentials/route'
import * as hookRoute from '../../../app/api/hooks/whatsapp/[workflowId]/[nodeId]/route'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import { createMessagingHost } from '../../../lib/messaging/store'
import { createRedis } from '../../../lib/redis'
import { closeAppServices } from '../../../lib/services/app'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'
import { FAKE_ACCESS_TOKEN, FAKE_APP_SECRET, FAKE_PHONE_NUMBER_ID, FAKE_VERIFY_TOKEN, startFakeWhatsApp, waInbound, waStatus, type FakeWhatsApp } from '../../fakes/whatsapp'
import { seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { memoryFiles, seedFile } from '../../helpers/files'
import { startHookServer, type HookServer, type RouteModule } from '../../helpers/hook-server'
import { offlineHostServices } from '../../helpers/host-services'
import { gradientPng } from '../../helpers/png'
import { startTestWorker } from '../../helpers/worker'
import { call, chain, node, waitFor, waitForStatus, type NodeSpec } from '../backbone/support'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant
let fake: FakeWhatsApp
let hooks: HookServer
let redis: Redis
let worker: RunningWorker
const files = memoryFiles()
let credA: string
let credB: string

async function createCredential(tenant: SeededTenant, baseUrl: string): Promise<string> {
  const res = await call(credentials.POST, {
    method: 'POST', headers: tenant.headers,
    body: { name: 'WhatsApp', kind: 'whatsapp', data: { phoneNumberId: FAKE_PHONE_NUMBER_ID, accessToken: FAKE_ACCESS_TOKEN, appSecret: FAKE_APP_SECRET, verifyToken: FAKE_VERIFY_TOKEN, apiVersion: 'v21.0', baseUrl } },
  })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma)
  b = await seedTenant(t.db.prisma, { name: 'Other' })
  fake = await startFakeWhatsApp()
  hooks = await startHookServer({ '/api/hooks/whatsapp/[workflowId]/[nodeId]': hookRoute as RouteModule })
  redis = createRedis(testRedisUrl())
  credA = await createCredential(a, fake.url)
  credB = await createCredential(b, fake.url)
  worker = await startTestWorker(t, {
    http: { allowList: ['127.0.0.1'] },
    services: { ...offlineHostServices(), files, messaging: createMessagingHost({ prisma: t.db.prisma, redis, publicUrl: hooks.url, signingSecret: 'test', keyPrefix: t.redis.prefix }) },
  })
})
afterAll(async () => {
  await worker?.close()
  await hooks?.close()
  await fake?.close()
  redis?.disconnect()
  await closeAppServices()
  await t?.teardown()
})

let phoneSeq = 0
/** A fresh customer number per test (the window and opt-outs are per number). */
const customer = () => `1415555${String(1000 + phoneSeq++).padStart(4, '0')}`

const sendNode = (params: Record<string, unknown>, cred = credA): NodeSpec => ({ id: 'wa', type: 'whatsapp-send', name: 'WhatsApp', params: { credential: cred, to: '{{ $json.to }}', ...params } })

async function runFlow(tenant: SeededTenant, nodes: NodeSpec[], input: Record<string, unknown>[]) {
  const created = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name: `wa ${Math.random()}`, graph: chain(node.manual(), ...nodes) } })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  const started = await call(run.POST, { method: 'POST', headers: tenant.headers, params: { id: created.json.id }, body: { input } })
  expect(started.status, JSON.stringify(started.json)).toBeLessThan(300)
  const execution = await waitForStatus(t.db.prisma, started.json.executionId, ['succeeded', 'failed'])
  const step = await t.db.prisma.stepRun.findFirst({ where: { executionId: execution.id, nodeId: 'wa' }, orderBy: { attempt: 'desc' } })
  return { execution, step, output: (step?.output as { main?: any[] } | null)?.main ?? [], error: step?.error as { code?: string; field?: string; message?: string } | null }
}

const send = (params: Record<string, unknown>, input: Record<string, unknown>[], tenant = a) => runFlow(tenant, [sendNode(params, tenant === a ? credA : credB)], input)

/** The last body the fake received for this wa_id. */
const lastBody = (waId: string) => [...fake.messages].reverse().find((m) => m.body.to === waId)?.body

async function activeTrigger(tenant: SeededTenant, cred: string, params: Record<string, unknown> = {}, after: NodeSpec[] = []) {
  const trigger: NodeSpec = { id: 'in', type: 'whatsapp-trigger', name: 'WhatsApp in', params: { credential: cred, ...params } }
  const res = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name: `wa in ${Math.random()}`, graph: chain(trigger, ...after), active: true } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return { workflowId: res.json.id as string, url: `${hooks.url}/api/hooks/whatsapp/${res.json.id}/in` }
}

async function openWindow(tenantId: string, waId: string, at = new Date()) {
  await t.db.prisma.whatsAppContact.upsert({
    where: { tenantId_phoneNumberId_waId: { tenantId, phoneNumberId: FAKE_PHONE_NUMBER_ID, waId } },
    create: { tenantId, phoneNumberId: FAKE_PHONE_NUMBER_ID, waId, lastInboundAt: at },
    update: { lastInboundAt: at },
  })
}

describe('WhatsApp Send', () => {
  it('sends each message type with the body the Cloud API documents', async () => {
    const to = customer()
    await openWindow(a.tenantId, to)
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ type: 'text', text: 'Hello {{ $json.name }} https://example.com', previewUrl: true }, { type: 'text', text: { body: 'Hello Ada https://example.com', preview_url: true } }],
      [{ type: 'image', mediaSource: 'url', mediaUrl: 'https://cdn.example.com/a.png', caption: 'Your receipt' }, { type: 'image', image: { link: 'https://cdn.example.com/a.png', caption: 'Your receipt' } }],
      [{ type: 'document', mediaSource: 'url', mediaUrl: 'https://cdn.example.com/a.pdf', filename: 'invoice.pdf' }, { type: 'document', document: { link: 'https://cdn.example.com/a.pdf', filename: 'invoice.pdf' } }],
      [{ type: 'audio', mediaSource: 'url', mediaUrl: 'https://cdn.example.com/a.ogg' }, { type: 'audio', audio: { link: 'https://cdn.example.com/a.ogg' } }],
      [{ type: 'video', mediaSource: 'url', mediaUrl: 'https://cdn.example.com/a.mp4', caption: 'How to' }, { type: 'video', video: { link: 'https://cdn.example.com/a.mp4', caption: 'How to' } }],
      [
        { type: 'buttons', text: 'Did this help?', header: 'Support', footer: 'Auterity', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] },
        { type: 'interactive', interactive: { type: 'button', header: { type: 'text', text: 'Support' }, body: { text: 'Did this help?' }, footer: { text: 'Auterity' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] } } },
      ],
      [
        { type: 'list', text: 'Pick a topic', listButton: 'Topics', sections: [{ title: 'Orders', rows: [{ id: 'where', title: 'Where is it?', description: 'Tracking' }, { id: 'cancel', title: 'Cancel' }] }] },
        { type: 'interactive', interactive: { type: 'list', body: { text: 'Pick a topic' }, action: { button: 'Topics', sections: [{ title: 'Orders', rows: [{ id: 'where', title: 'Where is it?', description: 'Tracking' }, { id: 'cancel', title: 'Cancel' }] }] } } },
      ],
      [{ type: 'location', latitude: '52.52', longitude: '13.405', locationName: 'Office', address: 'Berlin' }, { type: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Office', address: 'Berlin' } }],
      [
        { type: 'template', templateName: 'order_update', templateLanguage: 'en_US', bodyParameters: ['{{ $json.name }}', 'A-17'], headerParameters: ['Shipped'] },
        { type: 'template', template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'header', parameters: [{ type: 'text', text: 'Shipped' }] }, { type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: 'A-17' }] }] } },
      ],
    ]
    const nodes = cases.map(([params], i): NodeSpec => ({ ...sendNode(params), id: i === cases.length - 1 ? 'wa' : `wa${i}`, name: `WhatsApp ${params.type}`, params: { credential: credA, to: '{{ $json.to }}', outputField: `r${i}`, ...params } }))
    const before = fake.messages.length
    const { execution, output } = await runFlow(a, nodes, [{ to: `+${to}`, name: 'Ada' }])
    expect(execution.status, JSON.stringify(execution.error)).toBe('succeeded')
    const received = fake.messages.slice(before).map((m) => m.body)
    expect(received).toEqual(cases.map(([, want]) => ({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...want, biz_opaque_callback_data: expect.any(String) })))
    // Each recorded under WhatsApp's wamid, the output naming it.
    const last = output[0].r8
    expect(last).toMatchObject({ status: 'accepted', to: `+${to}`, type: 'template', wamid: fake.messages.at(-1)!.wamid })
    const rows = await t.db.prisma.message.findMany({ where: { tenantId: a.tenantId, to: `+${to}`, direction: 'outbound' } })
    expect(rows).toHaveLength(cases.length)
    expect(rows.every((r) => r.provider === 'whatsapp' && r.providerId?.startsWith('wamid.') && r.from === FAKE_PHONE_NUMBER_ID)).toBe(true)
  })

  it('uploads a media file through /media, then sends it by id', async () => {
    const to = customer()
    await openWindow(a.tenantId, to)
    const png = gradientPng(16, 16)
    const toFile: NodeSpec = { id: 'file', type: 'convert-to-file', name: 'To file', params: { operation: 'base64', sourceField: 'data', fileName: 'chart.png', mimeType: 'image/png' } }
    const { execution } = await runFlow(a, [toFile, sendNode({ type: 'image', mediaSource: 'file', fileField: 'file', caption: 'Chart' })], [{ to, data: png.toString('base64') }])
    expect(execution.status, JSON.stringify(execution.error)).toBe('succeeded')
    const upload = fake.media.at(-1)!
    expect(upload.fields).toEqual({ messaging_product: 'whatsapp', type: 'image/png' })
    expect(upload).toMatchObject({ filename: 'chart.png', contentType: 'image/png' })
    expect(upload.bytes.equals(png)).toBe(true)
    expect(lastBody(to)).toMatchObject({ type: 'image', image: { id: upload.id, caption: 'Chart' } })
  })

  it.each([
    ['a 10,000-character text', { type: 'text', text: 'x'.repeat(10_000) }, 'WHATSAPP_TOO_LONG', 'text', /10000 characters; WhatsApp takes at most 4096/],
    ['a fourth button', { type: 'buttons', text: 'Pick', buttons: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` })) }, 'WHATSAPP_TOO_MANY_BUTTONS', 'buttons', /1 to 3/],
    ['a button title over 20 characters', { type: 'buttons', text: 'Pick', buttons: [{ id: 'a', title: 'A title far too long to show' }] }, 'WHATSAPP_TOO_LONG', 'buttons.0.title', /at most 20/],
    ['eleven list rows', { type: 'list', text: 'Pick', listButton: 'Open', sections: [{ title: 'All', rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` })) }] }, 'WHATSAPP_TOO_MANY_ROWS', 'sections', /11 rows/],
    ['a latitude of 91', { type: 'location', latitude: '91', longitude: '0' }, 'WHATSAPP_INVALID_LOCATION', 'latitude', /-90 to 90/],
    ['a number without country code', { type: 'text', text: 'Hi', to: 'call me' }, 'INVALID_PHONE_NUMBER', 'to', /country code/],
  ])('refuses %s before sending anything, naming the field', async (_, params, code, field, message) => {
    const to = customer()
    await openWindow(a.tenantId, to)
    const before = fake.messages.length
    const { execution, error } = await send(params, [{ to }])
    expect(execution.status).toBe('failed')
    expect(error).toMatchObject({ code, field })
    expect(error?.message).toMatch(message)
    expect(fake.messages.length).toBe(before)
  })

  it('refuses a 20 MB image before uploading it', async () => {
    const to = customer()
    await openWindow(a.tenantId, to)
    const ref = { $file: `f_${'2'.repeat(16)}`, name: 'huge.jpg', mimeType: 'image/jpeg', size: 20 * 1024 * 1024 }
    await seedFile(files, a.tenantId, ref, 'x'.repeat(ref.size))
    const uploads = fake.media.length
    const { execution, error } = await send({ type: 'image', fileField: 'photo' }, [{ to, photo: ref }])
    expect(execution.status).toBe('failed')
    expect(error).toMatchObject({ code: 'WHATSAPP_MEDIA_TOO_LARGE', field: 'photo' })
    expect(error?.message).toMatch(/huge\.jpg is 20 MB; WhatsApp takes image files of at most 5\.0 MB/)
    expect(fake.media.length).toBe(uploads)
  })

  it('outside the 24-hour window refuses free-form messages with a clear error, and sends a template', async () => {
    const never = customer()
    const before = fake.messages.length
    const closed = await send({ type: 'text', text: 'Hi' }, [{ to: never }])
    expect(closed.execution.status).toBe('failed')
    expect(closed.error).toMatchObject({ code: 'WHATSAPP_WINDOW_CLOSED', field: 'type' })
    expect(closed.error?.message).toMatch(/has never written to this number.*only an approved template message can be sent/)
    const stale = customer()
    const lastWrote = new Date(Date.now() - 25 * 3600_000)
    await openWindow(a.tenantId, stale, lastWrote)
    const old = await send({ type: 'image', mediaSource: 'url', mediaUrl: 'https://cdn.example.com/a.png' }, [{ to: stale }])
    expect(old.error?.message).toContain(`last wrote at ${lastWrote.toISOString()}`)
    expect(fake.messages.length).toBe(before)
    const record = await t.db.prisma.message.findFirstOrThrow({ where: { tenantId: a.tenantId, to: `+${never}` } })
    expect(record).toMatchObject({ status: 'failed', errorCode: 'WHATSAPP_WINDOW_CLOSED', providerId: null })

    const template = await send({ type: 'template', templateName: 'hello_world', templateLanguage: 'en_US' }, [{ to: never }])
    expect(template.execution.status, JSON.stringify(template.execution.error)).toBe('succeeded')
    expect(lastBody(never)).toMatchObject({ type: 'template', template: { name: 'hello_world' } })
  })

  it("maps Graph's 131047 (re-engagement) to the same window error", async () => {
    const to = customer()
    await openWindow(a.tenantId, to)
    fake.reengagement.add(to)
    const { execution, error } = await send({ type: 'text', text: 'Hi' }, [{ to }])
    expect(execution.status).toBe('failed')
    expect(error).toMatchObject({ code: 'WHATSAPP_WINDOW_CLOSED', field: 'type' })
    expect(error?.message).toMatch(/only an approved template message can be sent/)
    expect(fake.rejected.at(-1)).toMatch(/131047$/)
  })

  it('skips an opted-out customer and sends nothing; a bad token fails naming the credential', async () => {
    const to = customer()
    await openWindow(a.tenantId, to)
    await t.db.prisma.messagingOptOut.create({ data: { tenantId: a.tenantId, channel: 'whatsapp', address: `+${to}`, source: 'manual' } })
    const before = fake.messages.length
    const skipped = await send({ type: 'text', text: 'Hi' }, [{ to }])
    expect(skipped.execution.status).toBe('succeeded')
    expect(skipped.output[0].whatsapp).toMatchObject({ status: 'skipped', skipped: true, wamid: null })
    expect(fake.messages.length).toBe(before)

    const other = customer()
    await openWindow(a.tenantId, other)
    fake.failNext(1, 401, 190, 'Error validating access token: Session has expired')
    const bad = await send({ type: 'text', text: 'Hi' }, [{ to: other }])
    expect(bad.error).toMatchObject({ code: 'WHATSAPP_AUTH_FAILED', field: 'credential' })
  })

  it('a retried step sends nothing twice: messages sent before the failure are found under their keys', async () => {
    const [first, second] = [customer(), customer()]
    await openWindow(a.tenantId, first)
    await openWindow(a.tenantId, second)
    // The second message is throttled once (retryable): the step's second attempt must not send the first again.
    fake.failNext(1, 429, 130429, '(#130429) Rate limit hit', second)
    const before = fake.messages.length
    const { execution, output, step } = await runFlow(a, [{ ...sendNode({ type: 'text', text: 'Hi' }), settings: { maxAttempts: 2, backoffMs: 0 } }], [{ to: first }, { to: second }])
    expect(execution.status, JSON.stringify(execution.error)).toBe('succeeded')
    expect(step?.attempt).toBe(2)
    expect(fake.rejected.at(-1)).toMatch(/130429$/)
    expect(fake.messages.slice(before).map((m) => m.body.to)).toEqual([first, second])
    expect(output.map((o) => o.whatsapp.wamid)).toEqual(fake.messages.slice(before).map((m) => m.wamid))
  })
})

describe('WhatsApp webhook', () => {
  it('answers the handshake with the challenge when the verify token matches, 403 otherwise', async () => {
    const { url } = await activeTrigger(a, credA)
    expect(await fake.handshake(url, FAKE_VERIFY_TOKEN, '1158201444')).toEqual({ status: 200, body: '1158201444' })
    expect((await fake.handshake(url, 'wrong-token')).status).toBe(403)
    expect((await fake.handshake(`${hooks.url}/api/hooks/whatsapp/nope/in`, FAKE_VERIFY_TOKEN)).status).toBe(404)
  })

  it('refuses a bad or missing signature with 403 and records nothing', async () => {
    const { url, workflowId } = await activeTrigger(a, credA)
    const waId = customer()
    const payload = waInbound(waId, 'text', { text: { body: 'forged' } })
    expect((await fake.notify(url, payload, { appSecret: 'not-the-secret' })).status).toBe(403)
    expect((await fake.notify(url, payload, { signature: null })).status).toBe(403)
    expect((await fake.notify(url, payload, { signature: 'sha256=zz' })).status).toBe(403)
    expect(await t.db.prisma.execution.count({ where: { workflowId } })).toBe(0)
    expect(await t.db.prisma.whatsAppContact.count({ where: { waId } })).toBe(0)
    // Signed, but for another number of the account: answered, ignored.
    const otherNumber = structuredClone(payload)
    otherNumber.entry[0].changes[0].value.metadata = { display_phone_number: '15550000000', phone_number_id: '999999999999' }
    const elsewhere = await fake.notify(url, otherNumber)
    expect(elsewhere).toEqual({ status: 200, body: JSON.stringify({ messages: 0, statuses: 0, started: [] }) })
    // A credential without an app secret cannot check anything: every notification is refused.
    const noSecret = await call(credentials.POST, {
      method: 'POST', headers: a.headers,
      body: { name: 'No secret', kind: 'whatsapp', data: { phoneNumberId: FAKE_PHONE_NUMBER_ID, accessToken: FAKE_ACCESS_TOKEN, baseUrl: fake.url } },
    })
    const unchecked = await activeTrigger(a, noSecret.json.id)
    const refused = await fake.notify(unchecked.url, payload)
    expect(refused.status).toBe(403)
    expect(refused.body).toContain('no app secret')
  })

  it('an inbound message opens the window, starts one run with a clean item (a replay starts nothing), then a free-form send succeeds', async () => {
    const { url, workflowId } = await activeTrigger(a, credA)
    const waId = customer()
    const before = await send({ type: 'text', text: 'Hi' }, [{ to: waId }])
    expect(before.error?.code).toBe('WHATSAPP_WINDOW_CLOSED')

    const payload = waInbound(waId, 'interactive', { interactive: { type: 'button_reply', button_reply: { id: 'agent', title: 'Talk to a person' } } }, { name: 'Ada' })
    const res = await fake.notify(url, payload)
    expect(res.status, res.body).toBe(200)
    expect((await fake.notify(url, payload)).status).toBe(200) // Meta delivers it again
    const [runRow] = await waitFor('the run', async () => {
      const rows = await t.db.prisma.execution.findMany({ where: { workflowId } })
      return rows.length ? rows : null
    })
    const done = await waitForStatus(t.db.prisma, runRow.id, ['succeeded'])
    expect(done).toMatchObject({ mode: 'messaging', startNodeId: 'in' })
    const m = payload.entry[0].changes[0].value.messages![0] as { id: string; timestamp: string }
    expect((done.input as any[])[0]).toEqual({
      event: 'message', from: `+${waId}`, waId, name: 'Ada', type: 'interactive', text: 'Talk to a person',
      reply: { kind: 'button', id: 'agent', title: 'Talk to a person' }, media: null, location: null, messageId: m.id, replyTo: null,
      timestamp: new Date(Number(m.timestamp) * 1000).toISOString(), phoneNumberId: FAKE_PHONE_NUMBER_ID, displayPhoneNumber: expect.any(String),
    })
    expect(await t.db.prisma.execution.count({ where: { workflowId } })).toBe(1)
    const inbound = await t.db.prisma.message.findMany({ where: { tenantId: a.tenantId, direction: 'inbound', providerId: m.id } })
    expect(inbound).toHaveLength(1)
    expect(inbound[0]).toMatchObject({ from: `+${waId}`, status: 'received', executionId: runRow.id, body: 'Talk to a person' })

    const after = await send({ type: 'text', text: 'Connecting you now' }, [{ to: waId }])
    expect(after.execution.status, JSON.stringify(after.execution.error)).toBe('succeeded')
    expect(lastBody(waId)).toMatchObject({ text: { body: 'Connecting you now' } })
    // The other workspace's window for the same number stays closed.
    const otherTenant = await send({ type: 'text', text: 'Hi' }, [{ to: waId }], b)
    expect(otherTenant.error?.code).toBe('WHATSAPP_WINDOW_CLOSED')
  })

  it('STOP in a WhatsApp message puts the customer on the opt-out list (sends are skipped); START takes them off', async () => {
    const { url } = await activeTrigger(a, credA)
    const waId = customer()
    expect((await fake.notify(url, waInbound(waId, 'text', { text: { body: ' stop ' } }))).status).toBe(200)
    await waitFor('the opt-out', () => t.db.prisma.messagingOptOut.findFirst({ where: { tenantId: a.tenantId, channel: 'whatsapp', address: `+${waId}` } }))
    const before = fake.messages.length
    const skipped = await send({ type: 'text', text: 'Our new menu is out!' }, [{ to: waId }])
    expect(skipped.output[0].whatsapp).toMatchObject({ status: 'skipped', skipped: true })
    expect(fake.messages.length).toBe(before)
    // The other workspace's list is its own.
    expect(await t.db.prisma.messagingOptOut.count({ where: { tenantId: b.tenantId, address: `+${waId}` } })).toBe(0)

    expect((await fake.notify(url, waInbound(waId, 'text', { text: { body: 'START' } }))).status).toBe(200)
    await waitFor('the opt-in', async () => ((await t.db.prisma.messagingOptOut.count({ where: { tenantId: a.tenantId, channel: 'whatsapp', address: `+${waId}` } })) === 0 ? true : null))
    const sent = await send({ type: 'text', text: 'Welcome back' }, [{ to: waId }])
    expect(sent.execution.status, JSON.stringify(sent.execution.error)).toBe('succeeded')
    expect(lastBody(waId)).toMatchObject({ text: { body: 'Welcome back' } })
  })

  it('an inbound image reaches the next step as a file through WhatsApp: Download media', async () => {
    const download: NodeSpec = { id: 'media', type: 'whatsapp-download-media', name: 'Download media', params: { credential: credA } }
    const { url, workflowId } = await activeTrigger(a, credA, {}, [download])
    const png = gradientPng(8, 8)
    const mediaId = fake.addMedia(png, 'image/png')
    const res = await fake.notify(url, waInbound(customer(), 'image', { image: { id: mediaId, mime_type: 'image/png', sha256: 'x', caption: 'The damage' } }))
    expect(res.status, res.body).toBe(200)
    const runRow = await waitFor('the run', () => t.db.prisma.execution.findFirst({ where: { workflowId } }))
    const done = await waitForStatus(t.db.prisma, runRow.id, ['succeeded', 'failed'])
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded')
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: runRow.id, nodeId: 'media' } })
    const item = (step.output as { main: any[] }).main[0]
    expect(item).toMatchObject({ type: 'image', text: 'The damage', media: { id: mediaId }, file: { name: `image-${mediaId}.png`, mimeType: 'image/png', size: png.length } })
    const stored = await files.forRun({ tenantId: a.tenantId, executionId: runRow.id }).readBytes(item.file, { field: 'file', maxBytes: 1024 * 1024 })
    expect(stored.bytes.equals(png)).toBe(true)
  })

  it('statuses move the record forward once; a replay changes nothing; a failed status records the error; another workspace is untouched', async () => {
    const { url, workflowId } = await activeTrigger(a, credA, { statuses: true })
    const waId = customer()
    await openWindow(a.tenantId, waId)
    const sent = await send({ type: 'text', text: 'Your order shipped' }, [{ to: waId }])
    const wamid = sent.output[0].whatsapp.wamid as string
    const recordId = sent.output[0].whatsapp.messageId as string
    for (const s of ['sent', 'delivered', 'read']) expect((await fake.notify(url, waStatus(wamid, s, waId))).status).toBe(200)
    expect((await fake.notify(url, waStatus(wamid, 'delivered', waId))).status).toBe(200) // late and replayed
    const row = await t.db.prisma.message.findUniqueOrThrow({ where: { id: recordId } })
    expect(row.status).toBe('read')
    expect((row.statusHistory as { status: string }[]).map((h) => h.status)).toEqual(['pending', 'accepted', 'sent', 'delivered', 'read'])
    // With `statuses` on, each status that changed the record started one run.
    await waitFor('three status runs', async () => (await t.db.prisma.execution.count({ where: { workflowId } })) >= 3)
    const runs = await t.db.prisma.execution.findMany({ where: { workflowId }, orderBy: { createdAt: 'asc' } })
    expect(runs.map((r) => (r.input as any[])[0].status)).toEqual(['sent', 'delivered', 'read'])
    expect((runs[0].input as any[])[0]).toMatchObject({ event: 'status', messageId: wamid, recordId, to: `+${waId}` })

    const failedTo = customer()
    await openWindow(a.tenantId, failedTo)
    const other = await send({ type: 'text', text: 'Hello' }, [{ to: failedTo }])
    const failedWamid = other.output[0].whatsapp.wamid as string
    await fake.notify(url, waStatus(failedWamid, 'failed', failedTo, [{ code: 131026, title: 'Message undeliverable', details: 'The recipient is not on WhatsApp' }]))
    const failed = await t.db.prisma.message.findUniqueOrThrow({ where: { id: other.output[0].whatsapp.messageId } })
    expect(failed).toMatchObject({ status: 'failed', errorCode: '131026', errorMessage: 'Message undeliverable: The recipient is not on WhatsApp' })

    // A status that beats the send's answer finds its record by biz_opaque_callback_data (the record id).
    const early = await t.db.prisma.message.create({
      data: { tenantId: a.tenantId, channel: 'whatsapp', direction: 'outbound', provider: 'whatsapp', from: FAKE_PHONE_NUMBER_ID, to: `+${waId}`, status: 'pending', idempotencyKey: `early-${waId}` },
    })
    expect(fake.messages.find((m) => m.wamid === wamid)?.body.biz_opaque_callback_data).toBe(recordId)
    await fake.notify(url, waStatus('wamid.early', 'sent', waId, undefined, early.id))
    expect(await t.db.prisma.message.findUniqueOrThrow({ where: { id: early.id } })).toMatchObject({ providerId: 'wamid.early', status: 'sent' })

    // Workspace B's trigger hears a status for A's message (its record id included): nothing changes.
    const bTrigger = await activeTrigger(b, credB, { statuses: true })
    const aMessage = customer()
    await openWindow(a.tenantId, aMessage)
    const aSent = await send({ type: 'text', text: 'Hi' }, [{ to: aMessage }])
    expect((await fake.notify(bTrigger.url, waStatus(aSent.output[0].whatsapp.wamid, 'read', aMessage, undefined, aSent.output[0].whatsapp.messageId))).status).toBe(200)
    expect((await t.db.prisma.message.findUniqueOrThrow({ where: { id: aSent.output[0].whatsapp.messageId } })).status).toBe('accepted')
    expect(await t.db.prisma.execution.count({ where: { workflowId: bTrigger.workflowId } })).toBe(0)
  })
})
