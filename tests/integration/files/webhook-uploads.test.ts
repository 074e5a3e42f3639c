// multipart/form-data webhooks with a real worker, PostgreSQL and a file store in a temporary folder: files become
// FileRefs in the run's input (attached to the run, stored under the tenant), fields become body.<name>; limits,
// malformed bodies and runs that fail to start leave no file behind. Through both entries, like webhooks.test.ts.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { offlineHostServices } from '../../helpers/host-services'
import { gradientPng } from '../../helpers/png'
import { startTestWorker } from '../../helpers/worker'
import { call, chain, node, waitFor, waitForStatus } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as webhook from '../../../app/api/webhooks/[...path]/route'
import { closeAppServices } from '../../../lib/services/app'
import { webhookDeps, webServices } from '../../../lib/composition/web-services'
import { createWebhookListener, isWebhookRequest } from '../../../lib/http/webhook-listener'
import { handleWebhook } from '../../../lib/services/webhook-ingress'
import { createExecutionQueue } from '../../../lib/queue'
import { redisConnection } from '../../../lib/redis'
import { isFileRef, type FileRef } from '../../../lib/files/ref'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'

const UPLOAD_LIMIT = 1024 * 1024
const FIELD_LIMIT = 4096
const root = path.join(os.tmpdir(), `auterity-uploads-${process.pid}-${Date.now()}`)
let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let worker: RunningWorker
let listener: Server | undefined
let listenerBase = ''

beforeAll(async () => {
  t = await useTestEnv({
    AUTERITY_WEBHOOK_BODY_LIMIT: String(FIELD_LIMIT),
    AUTERITY_WEBHOOK_UPLOAD_LIMIT: String(UPLOAD_LIMIT),
    AUTERITY_FILES_URL: `file://${root}`,
  })
  a = await seedTenant(t.db.prisma)
  worker = await startTestWorker(t, { services: { ...offlineHostServices(), files: webServices().files } })
  const handle = createWebhookListener(webhookDeps)
  listener = createServer((req, res) => (isWebhookRequest(req.url) ? void handle(req, res) : void res.writeHead(404).end()))
  await new Promise<void>((resolve) => listener!.listen(0, '127.0.0.1', resolve))
  listenerBase = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()))
  await worker?.close()
  await closeAppServices()
  await t?.teardown()
  await fs.rm(root, { recursive: true, force: true })
})

async function createWorkflow(graph: unknown) {
  const res = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Upload', graph, active: true } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

type Entry = 'route handler' | 'node:http listener'

function post(entry: Entry, hookPath: string, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  const init = { method: 'POST', body, headers, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit
  if (entry === 'node:http listener') return fetch(`${listenerBase}/api/webhooks/${hookPath}`, init)
  return Promise.resolve(webhook.POST(new Request(`http://localhost/api/webhooks/${hookPath}`, init), { params: Promise.resolve({ path: hookPath.split('/') }) }))
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex')
const fileRows = () => t.db.prisma.file.findMany({ where: { tenantId: a.tenantId } })
const blobPath = (r: { storageKey: string }) => path.join(root, r.storageKey)

describe.each<Entry>(['route handler', 'node:http listener'])('multipart webhooks through the %s', (entry) => {
  const p = (s: string) => `${entry === 'route handler' ? 'r' : 'n'}/${s}`

  it('stores each file under the tenant, attached to the run, and hands the run FileRefs and fields', async () => {
    await createWorkflow(chain(node.webhook(p('upload')), node.set('s', { seen: true })))
    const text = 'hello, files\n'.repeat(100)
    const png = gradientPng()
    const form = new FormData()
    form.append('note', 'two photos')
    form.append('tag', 'a')
    form.append('tag', 'b')
    form.append('doc', new Blob([text], { type: 'text/plain' }), 'notes.txt')
    form.append('photo', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'café ☀.png')
    const res = await post(entry, p('upload'), form)
    expect(res.status, await res.clone().text()).toBe(202)
    const { executionId } = await res.json()
    await waitForStatus(t.db.prisma, executionId, ['succeeded'])

    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 's' } })
    const body = (step.output as { main: Array<{ body: Record<string, unknown> }> }).main[0].body
    expect(body).toMatchObject({ note: 'two photos', tag: ['a', 'b'] })
    expect(body.doc).toMatchObject({ name: 'notes.txt', mimeType: 'text/plain', size: Buffer.byteLength(text), sha256: sha256(text) })
    expect(body.photo).toMatchObject({ name: 'café ☀.png', mimeType: 'image/png', size: png.length, sha256: sha256(png) })
    const refs = [body.doc, body.photo] as FileRef[]
    expect(refs.every(isFileRef)).toBe(true)

    const rows = await t.db.prisma.file.findMany({ where: { id: { in: refs.map((r) => r.$file) } } })
    expect(rows).toHaveLength(2)
    for (const row of rows) {
      expect(row).toMatchObject({ tenantId: a.tenantId, executionId, expiresAt: null })
      expect(row.storageKey.startsWith(`${a.tenantId}/`)).toBe(true)
    }
    const stored = await fs.readFile(blobPath(rows.find((r) => r.mimeType === 'image/png')!))
    expect(stored.equals(png)).toBe(true)
  })

  it('gives several files under one name as an array', async () => {
    await createWorkflow(chain(node.webhook(p('many')), node.set('s', { seen: true })))
    const form = new FormData()
    for (const n of [1, 2, 3]) form.append('files', new Blob([`file ${n}`]), `f${n}.txt`)
    const res = await post(entry, p('many'), form)
    const { executionId } = await res.json()
    await waitForStatus(t.db.prisma, executionId, ['succeeded'])
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 's' } })
    const files = (step.output as unknown as { main: Array<{ body: { files: FileRef[] } }> }).main[0].body.files
    expect(files.map((f) => [f.name, f.mimeType, f.size])).toEqual([1, 2, 3].map((n) => [`f${n}.txt`, 'text/plain', 6]))
  })

  it('takes a file input left empty for no file, and a field named __proto__ for a field', async () => {
    await createWorkflow(chain(node.webhook(p('empty')), node.set('s', { seen: true })))
    const before = (await fileRows()).length
    const form = new FormData()
    form.append('note', 'no attachment')
    form.append('__proto__', 'just a field')
    form.append('attachment', new Blob([]), '')
    const res = await post(entry, p('empty'), form)
    const { executionId } = await res.json()
    await waitForStatus(t.db.prisma, executionId, ['succeeded'])
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 's' } })
    const body = (step.output as unknown as { main: Array<{ body: Record<string, unknown> }> }).main[0].body
    expect(Object.entries(body)).toEqual([['note', 'no attachment'], ['__proto__', 'just a field']])
    expect(await fileRows()).toHaveLength(before)
  })

  it('refuses a 5 MB file over the upload limit with 413 and keeps none of the request\'s files', async () => {
    await createWorkflow(chain(node.webhook(p('big')), node.set('s', { seen: true })))
    const before = (await fileRows()).length
    const form = new FormData()
    form.append('small', new Blob(['written first']), 'small.txt')
    form.append('big', new Blob([new Uint8Array(5 * 1024 * 1024)]), 'big.bin')
    const res = await post(entry, p('big'), form)
    expect(res.status).toBe(413)
    expect((await res.json()).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: `Body is larger than the limit of ${UPLOAD_LIMIT} bytes` })
    expect(await fileRows()).toHaveLength(before)
  })

  it('deletes a file already stored when a later part goes over the limit', async () => {
    await createWorkflow(chain(node.webhook(p('later')), node.set('s', { seen: true })))
    const before = (await fileRows()).length
    const enc = new TextEncoder()
    const first = '--B0undary\r\nContent-Disposition: form-data; name="doc"; filename="first.txt"\r\nContent-Type: text/plain\r\n\r\nstored first\r\n--B0undary\r\n'
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 0) controller.enqueue(enc.encode(first))
        else if (sent === 1) {
          await waitFor('the first file to be stored', async () => (await fileRows()).length > before)
          controller.enqueue(enc.encode('Content-Disposition: form-data; name="big"; filename="big.bin"\r\n\r\n'))
        } else if (sent < 40) controller.enqueue(new Uint8Array(64 * 1024))
        else controller.close()
        sent++
      },
    })
    const res = await post(entry, p('later'), body, { 'content-type': 'multipart/form-data; boundary=B0undary' })
    expect(res.status).toBe(413)
    expect(await fileRows()).toHaveLength(before)
  })

  it('refuses form fields over the body limit with 413', async () => {
    await createWorkflow(chain(node.webhook(p('fields')), node.set('s', { seen: true })))
    const form = new FormData()
    form.append('doc', new Blob(['kept?']), 'doc.txt')
    form.append('long', 'x'.repeat(FIELD_LIMIT + 1))
    const before = (await fileRows()).length
    const res = await post(entry, p('fields'), form)
    expect(res.status).toBe(413)
    expect((await res.json()).error.message).toBe(`Form fields are larger than the limit of ${FIELD_LIMIT} bytes`)
    expect(await fileRows()).toHaveLength(before)
  })

  it.each([
    ['without a boundary', 'multipart/form-data', 'anything', /Boundary not found/],
    ['cut off in a file part', 'multipart/form-data; boundary=XyZ', '--XyZ\r\nContent-Disposition: form-data; name="doc"; filename="a.txt"\r\n\r\nhalf a fi', /Unexpected end of/],
    ['with a broken part header', 'multipart/form-data; boundary=XyZ', '--XyZ\r\nno colon here\r\n\r\nvalue\r\n--XyZ--\r\n', /Malformed part header/],
  ])('answers a body %s with 400 naming the problem and keeps no file', async (_, type, body, message) => {
    await createWorkflow(chain(node.webhook(p(`bad-${type.length}-${body.length}`)), node.set('s', { seen: true })))
    const before = (await fileRows()).length
    const res = await post(entry, p(`bad-${type.length}-${body.length}`), body, { 'content-type': type })
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('VALIDATION_ERROR')
    expect(error.message).toMatch(/^Malformed multipart body: /)
    expect(error.message).toMatch(message)
    expect(await fileRows()).toHaveLength(before)
  })
})

describe('a multipart webhook whose run cannot start', () => {
  it('deletes the uploaded files (rows and bytes) and leaves none attached to the failed execution', async () => {
    await createWorkflow(chain(node.webhook('nostart'), node.set('s', { seen: true })))
    // A real queue whose Redis connection is closed: the execution row is written, the enqueue fails.
    const queue = createExecutionQueue({ connection: redisConnection(testRedisUrl()), prefix: t.redis.prefix })
    await queue.close()
    const form = new FormData()
    form.append('doc', new Blob(['never run']), 'doc.txt')
    const req = new Request('http://localhost/api/webhooks/nostart', { method: 'POST', body: form })
    const before = await fileRows()
    await expect(
      handleWebhook(
        { ...webhookDeps(), queue },
        { method: 'POST', query: '', headers: Object.fromEntries(req.headers), body: req.body as unknown as AsyncIterable<Uint8Array>, abortBody: () => undefined },
        'nostart',
      ),
    ).rejects.toThrow()
    const failed = await t.db.prisma.execution.findFirstOrThrow({ where: { tenantId: a.tenantId, workflow: { webhooks: { some: { path: 'nostart' } } } } })
    expect(failed.status).toBe('failed')
    expect(await t.db.prisma.file.count({ where: { executionId: failed.id } })).toBe(0)
    const after = await fileRows()
    expect(after.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort())
    const input = failed.input as unknown as Array<{ body: { doc: FileRef } }>
    expect(existsSync(path.join(root, a.tenantId, input[0].body.doc.$file))).toBe(false)
  })
})
