// GET/HEAD /api/files/:id, DELETE /api/executions/:id and DELETE /api/workflows/:id against real PostgreSQL and a
// file store in a temporary folder: download headers (never rendered on the studio's origin), ranges, tenants,
// files deleted with their execution or workflow, and the reconciler's sweep of files no run holds.
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessionCookie } from '../../helpers/session'
import { seedTenant, TEST_NEXTAUTH_SECRET, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { displayPrefix, generateApiKey, hashApiKey } from '../../../lib/auth/api-keys'
import { gradientPng } from '../../helpers/png'
import { call, chain, node } from '../backbone/support'
import * as fileRoute from '../../../app/api/files/[id]/route'
import * as executionRoute from '../../../app/api/executions/[id]/route'
import * as workflowRoute from '../../../app/api/workflows/[id]/route'
import * as workflows from '../../../app/api/workflows/route'
import { webServices } from '../../../lib/composition/web-services'
import { closeAppServices } from '../../../lib/services/app'
import type { FileRef } from '../../../lib/files/ref'
import { createExecutionQueue } from '../../../lib/queue'
import { redisConnection } from '../../../lib/redis'
import { Reconciler } from '../../../workers/runtime/reconciler'

const root = path.join(os.tmpdir(), `auterity-downloads-${process.pid}-${Date.now()}`)
let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_FILES_URL: `file://${root}` })
  ;[a, b] = await Promise.all([seedTenant(t.db.prisma, { name: 'A' }), seedTenant(t.db.prisma, { name: 'B' })])
})
afterAll(async () => {
  await closeAppServices()
  await webServices().files.close()
  await t?.teardown()
  await fs.rm(root, { recursive: true, force: true })
})

const files = () => webServices().files

async function workflowWithRuns(tenant: SeededTenant, statuses: Array<'succeeded' | 'running'>) {
  const res = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name: 'Files', graph: chain(node.manual(), node.set('s', { x: 1 })) } })
  expect(res.status).toBe(201)
  const workflowId = res.json.id as string
  const version = await t.db.prisma.workflowVersion.findFirstOrThrow({ where: { workflowId } })
  const runs = await Promise.all(
    statuses.map((status) =>
      t.db.prisma.execution.create({ data: { tenantId: tenant.tenantId, workflowId, versionId: version.id, versionNumber: 1, mode: 'manual', status } }),
    ),
  )
  return { workflowId, executionIds: runs.map((r) => r.id) }
}

function write(tenant: SeededTenant, executionId: string | null, name: string, data: string | Uint8Array, mimeType?: string): Promise<FileRef> {
  return files().write({ tenantId: tenant.tenantId, executionId }, { name, data, mimeType })
}

function download(tenant: SeededTenant, id: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  const req = new Request(`http://localhost/api/files/${id}`, { method, headers: { ...tenant.headers, ...headers } })
  return Promise.resolve((method === 'HEAD' ? fileRoute.HEAD : fileRoute.GET)(req, { params: Promise.resolve({ id }) }))
}

function del(handler: typeof executionRoute.DELETE, tenant: SeededTenant, id: string) {
  return call(handler, { method: 'DELETE', headers: tenant.headers, params: { id } })
}

const blobExists = (ref: FileRef, tenant: SeededTenant) => existsSync(path.join(root, tenant.tenantId, ref.$file))
const rowExists = async (ref: FileRef) => (await t.db.prisma.file.count({ where: { id: ref.$file } })) === 1

describe('GET /api/files/:id', () => {
  it('streams the file as an attachment that is never rendered on the studio\'s origin', async () => {
    const { executionIds } = await workflowWithRuns(a, ['succeeded'])
    const text = 'line one\nline two\n'
    const ref = await write(a, executionIds[0], 'résumé "final".txt', text)
    const res = await download(a, ref.$file)
    expect(res.status).toBe(200)
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-type': 'text/plain',
      'content-disposition': `attachment; filename="r_sum_ _final_.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.txt`,
      'content-security-policy': "sandbox; default-src 'none'",
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-length': String(text.length),
      'accept-ranges': 'bytes',
    })
    expect(await res.text()).toBe(text)
  })

  it.each([
    ['page.html', 'text/html', 'application/octet-stream', '<script>alert(1)</script>'],
    ['logo.svg', 'image/svg+xml', 'application/octet-stream', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ['feed.xml', 'application/xml', 'application/octet-stream', '<a/>'],
    ['data.json', 'application/json', 'application/json', '{"a":1}'],
  ])('sends %s (stored as %s) as %s', async (name, stored, sent, content) => {
    const ref = await write(a, null, name, content, stored)
    expect(ref.mimeType).toBe(stored)
    expect((await download(a, ref.$file)).headers.get('content-type')).toBe(sent)
  })

  it('sends an image with its type, byte for byte', async () => {
    const png = gradientPng()
    const ref = await write(a, null, 'g.png', png)
    const res = await download(a, ref.$file)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true)
  })

  it('answers 404 alike for another tenant\'s file, a deleted one and a malformed id; 401 without a key', async () => {
    const ref = await write(a, null, 'secret.txt', 'only for A')
    const other = await download(b, ref.$file)
    const missing = await download(a, 'f_AAAAAAAAAAAAAAAAAAAAAAAA')
    const malformed = await download(a, '../etc/passwd')
    for (const res of [other, missing, malformed]) {
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'File not found' } })
    }
    const anonymous = await fileRoute.GET(new Request(`http://localhost/api/files/${ref.$file}`), { params: Promise.resolve({ id: ref.$file }) })
    expect(anonymous.status).toBe(401)
  })

  it.each([
    ['bytes=0-9', 206, 'bytes 0-9/26', 'abcdefghij'],
    ['bytes=20-', 206, 'bytes 20-25/26', 'uvwxyz'],
    ['bytes=-3', 206, 'bytes 23-25/26', 'xyz'],
    ['bytes=0-65535', 206, 'bytes 0-25/26', 'abcdefghijklmnopqrstuvwxyz'],
    ['bytes=0-1,4-5', 200, null, 'abcdefghijklmnopqrstuvwxyz'],
    ['bytes=26-', 416, 'bytes */26', ''],
  ])('answers Range %s with %i', async (range, status, contentRange, body) => {
    const ref = await write(a, null, 'abc.txt', 'abcdefghijklmnopqrstuvwxyz')
    const res = await download(a, ref.$file, { range })
    expect(res.status).toBe(status)
    expect(res.headers.get('content-range')).toBe(contentRange)
    expect(await res.text()).toBe(body)
    if (status !== 416) expect(res.headers.get('content-length')).toBe(String(body.length))
  })

  it('answers 404 for a file whose bytes are gone from the store', async () => {
    const ref = await write(a, null, 'lost.txt', 'bytes removed by hand')
    await fs.rm(path.join(root, a.tenantId, ref.$file))
    const res = await download(a, ref.$file)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'File not found' } })
  })

  it('answers HEAD with the headers only', async () => {
    const ref = await write(a, null, 'head.txt', 'twelve bytes')
    const res = await download(a, ref.$file, {}, 'HEAD')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe('12')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="head.txt"/)
    expect(await res.text()).toBe('')
  })
})

describe('deleting runs deletes their files', () => {
  it('DELETE /api/executions/:id removes the run\'s files from the store and the table; a running one is a 409', async () => {
    const { executionIds: [done, running] } = await workflowWithRuns(a, ['succeeded', 'running'])
    const [mine, busy] = await Promise.all([write(a, done, 'mine.txt', 'x'), write(a, running, 'busy.txt', 'y')])
    const kept = await write(a, null, 'kept.txt', 'z')

    expect((await del(executionRoute.DELETE, b, done)).status).toBe(404)
    const refused = await del(executionRoute.DELETE, a, running)
    expect(refused.status).toBe(409)
    expect(refused.json.error.message).toBe('The execution is still running; cancel it first')
    expect(await rowExists(busy)).toBe(true)

    expect(blobExists(mine, a)).toBe(true)
    expect((await del(executionRoute.DELETE, a, done)).status).toBe(204)
    expect(await t.db.prisma.execution.count({ where: { id: done } })).toBe(0)
    expect(await rowExists(mine)).toBe(false)
    expect(blobExists(mine, a)).toBe(false)
    expect((await download(a, mine.$file)).status).toBe(404)
    expect(await rowExists(kept)).toBe(true)
    expect((await del(executionRoute.DELETE, a, done)).status).toBe(404)
  })

  it('DELETE /api/workflows/:id removes the files of all its runs, not other workflows\'', async () => {
    const gone = await workflowWithRuns(a, ['succeeded', 'succeeded'])
    const other = await workflowWithRuns(a, ['succeeded'])
    const refs = await Promise.all(gone.executionIds.map((id, i) => write(a, id, `run${i}.txt`, `run ${i}`)))
    const otherRef = await write(a, other.executionIds[0], 'other.txt', 'other')
    expect((await del(workflowRoute.DELETE, a, gone.workflowId)).status).toBe(204)
    for (const ref of refs) {
      expect(await rowExists(ref)).toBe(false)
      expect(blobExists(ref, a)).toBe(false)
    }
    expect(await rowExists(otherRef)).toBe(true)
    expect(blobExists(otherRef, a)).toBe(true)
  })
})

describe('roles and origins', () => {
  it('lets a viewer download but not delete a run; refuses a cookie-signed delete from another site', async () => {
    const { executionIds: [run] } = await workflowWithRuns(a, ['succeeded'])
    const ref = await write(a, run, 'report.csv', 'a,b\n1,2\n')
    const key = generateApiKey()
    await t.db.prisma.apiKey.create({ data: { tenantId: a.tenantId, userId: a.userId, name: 'viewer', prefix: displayPrefix(key), hash: hashApiKey(key), role: 'viewer' } })
    const viewer = { ...a, headers: { authorization: `Bearer ${key}` } }
    expect((await download(viewer, ref.$file)).status).toBe(200)
    const refused = await del(executionRoute.DELETE, viewer, run)
    expect(refused.status).toBe(403)
    expect(refused.json.error.code).toBe('FORBIDDEN')

    const { token } = await sessionCookie(t.db.prisma, { userId: a.userId, tenantId: a.tenantId })
    const crossSite = await call(executionRoute.DELETE, { method: 'DELETE', headers: { cookie: `next-auth.session-token=${token}`, origin: 'https://evil.example' }, params: { id: run } })
    expect(crossSite.status).toBe(403)
    expect(crossSite.json.error.code).toBe('CROSS_SITE_REQUEST')
    expect(await rowExists(ref)).toBe(true)
  })
})

describe('the reconciler\'s sweep', () => {
  it('removes expired unattached files and files whose run is gone, keeps fresh uploads and runs\' files', async () => {
    const { executionIds: [run, doomed] } = await workflowWithRuns(a, ['succeeded', 'succeeded'])
    const [expired, fresh, held, orphan] = await Promise.all([
      write(a, null, 'expired.txt', '1'),
      write(a, null, 'fresh.txt', '2'),
      write(a, run, 'held.txt', '3'),
      write(a, doomed, 'orphan.txt', '4'),
    ])
    // An hour later for the first upload; the second run's row deleted without its files (ON DELETE SET NULL).
    await t.db.prisma.file.update({ where: { id: expired.$file }, data: { expiresAt: new Date(Date.now() - 1000) } })
    await t.db.prisma.execution.delete({ where: { id: doomed } })

    const queue = createExecutionQueue({ connection: redisConnection(testRedisUrl()), prefix: t.redis.prefix })
    try {
      const reconciler = new Reconciler(
        { prisma: t.db.prisma, queue, fail: async () => undefined, sweepFiles: () => files().sweep() },
        { intervalMs: 60_000, queuedAfterMs: 60_000, lookbackHours: 1, maxDeliveries: 3 },
      )
      const report = await reconciler.runOnce()
      expect(report.filesSwept).toBeGreaterThanOrEqual(2)
    } finally {
      await queue.close()
    }
    for (const ref of [expired, orphan]) {
      expect(await rowExists(ref)).toBe(false)
      expect(blobExists(ref, a)).toBe(false)
    }
    for (const ref of [fresh, held]) expect(await rowExists(ref)).toBe(true)
  })
})
