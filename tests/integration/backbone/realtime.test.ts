// The realtime server: API-key and session-cookie sockets, tenant-checked rooms, events relayed from the
// Redis emitter (as workers publish them) to a real socket.io client.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io as connect, type Socket } from 'socket.io-client'
import { sessionCookie } from '../../helpers/session'
import { seedTenant, testRedisUrl, useTestEnv, TEST_NEXTAUTH_SECRET, type SeededTenant } from '../../helpers/db'
import { attachRealtime, type RealtimeServer } from '../../../lib/realtime/server'
import { WebhookOrigin } from '../../../lib/http/request-router'
import { createRealtimeEmitter } from '../../../lib/realtime/emitter'
import { WatchTracker } from '../../../lib/realtime/watch'
import { createRedis, type Redis } from '../../../lib/redis'
import type { ExecutionUpdatedEvent } from '../../../lib/realtime/events'
import { waitFor } from './support'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant
let httpServer: Server
let realtime: RealtimeServer
let url: string
let publisher: Redis
const ids = { workflow: '', execution: '' }

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'A' })
  b = await seedTenant(t.db.prisma, { name: 'B' })
  const wf = await t.db.prisma.workflow.create({ data: { tenantId: a.tenantId, name: 'W' } })
  const v = await t.db.prisma.workflowVersion.create({ data: { tenantId: a.tenantId, workflowId: wf.id, number: 1, graph: { nodes: [] } } })
  const ex = await t.db.prisma.execution.create({ data: { tenantId: a.tenantId, workflowId: wf.id, versionId: v.id, versionNumber: 1, mode: 'manual' } })
  ids.workflow = wf.id
  ids.execution = ex.id
  httpServer = createServer()
  realtime = attachRealtime(httpServer, { prisma: t.db.prisma, createRedis: () => createRedis(testRedisUrl()) })
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`
  publisher = createRedis(testRedisUrl())
})
afterAll(async () => {
  publisher?.disconnect()
  await realtime?.close()
  await t?.teardown()
})

function open(opts: { token?: string; cookie?: string }): Promise<Socket> {
  const socket = connect(url, {
    path: '/socket.io',
    auth: opts.token ? { token: opts.token } : {},
    extraHeaders: opts.cookie ? { cookie: opts.cookie } : undefined,
    transports: ['websocket'],
    reconnection: false,
  })
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve(socket))
    socket.on('connect_error', (err) => {
      socket.close()
      reject(err)
    })
  })
}

const subscribe = (socket: Socket, room: string) => new Promise<{ ok: boolean; error?: string }>((resolve) => socket.emit('subscribe', { room }, resolve))

function event(): ExecutionUpdatedEvent {
  const now = new Date().toISOString()
  return { executionId: ids.execution, workflowId: ids.workflow, status: 'running', mode: 'manual', createdAt: now, startedAt: now, finishedAt: null, error: null }
}

describe('realtime', () => {
  it('relays worker events to sockets subscribed to their rooms', async () => {
    const socket = await open({ token: a.apiKey })
    expect(await subscribe(socket, `execution:${ids.execution}`)).toEqual({ ok: true })
    const got: ExecutionUpdatedEvent[] = []
    socket.on('execution.updated', (e: ExecutionUpdatedEvent) => got.push(e))
    createRealtimeEmitter(publisher).executionUpdated(a.tenantId, event())
    await waitFor('the event', async () => got.length === 1)
    expect(got[0]).toMatchObject({ executionId: ids.execution, status: 'running' })
    socket.close()
  })

  it('refuses rooms of another tenant and never leaks their events', async () => {
    const socket = await open({ token: b.apiKey })
    expect(await subscribe(socket, `workflow:${ids.workflow}`)).toMatchObject({ ok: false })
    expect(await subscribe(socket, `execution:${ids.execution}`)).toMatchObject({ ok: false })
    expect(await subscribe(socket, 'tenant')).toEqual({ ok: true })
    expect(await subscribe(socket, 'everything')).toMatchObject({ ok: false })
    const got: unknown[] = []
    socket.on('execution.updated', (e) => got.push(e))
    createRealtimeEmitter(publisher).executionUpdated(a.tenantId, event())
    await new Promise((r) => setTimeout(r, 300))
    expect(got).toEqual([])
    socket.close()
  })

  it('accepts the studio session cookie', async () => {
    const { token } = await sessionCookie(t.db.prisma, { userId: a.userId, tenantId: a.tenantId })
    const socket = await open({ cookie: `next-auth.session-token=${token}` })
    expect(await subscribe(socket, `workflow:${ids.workflow}`)).toEqual({ ok: true })
    socket.close()
  })

  it.each([['a wrong API key', { token: 'ak_wrong' }], ['no credentials', {}], ['a forged cookie', { cookie: 'next-auth.session-token=forged' }]])(
    'refuses a socket with %s',
    async (_, opts) => {
      await expect(open(opts)).rejects.toThrow(/UNAUTHORIZED/)
    },
  )
})

describe('realtime: events only for watched tenants', () => {
  it('an emitter publishes a tenant\'s events only while one of its browsers is connected, and a new browser is announced before its subscription is acknowledged', async () => {
    const sub = createRedis(testRedisUrl())
    const tracker = new WatchTracker(sub, { warmupMs: 0, ttlMs: 60_000 })
    await tracker.subscribe()
    // Count what the emitter actually publishes on the realtime channels.
    const published: string[] = []
    const counting = { publish: (channel: string, msg: string) => (published.push(channel), publisher.publish(channel, msg)) }
    const emitter = createRealtimeEmitter(counting as unknown as Redis, (tenantId) => tracker.isWatched(tenantId))
    try {
      expect(tracker.isWatched(b.tenantId)).toBe(false)
      emitter.executionUpdated(b.tenantId, event())
      await new Promise((r) => setTimeout(r, 50))
      expect(published).toHaveLength(0) // nobody of tenant B is connected: nothing published

      const socket = await open({ token: b.apiKey })
      expect(await subscribe(socket, 'tenant')).toEqual({ ok: true })
      expect(tracker.isWatched(b.tenantId)).toBe(true) // announced before the ack
      const received = new Promise<unknown>((resolve) => socket.once('execution.updated', resolve))
      emitter.executionUpdated(b.tenantId, event())
      expect(await received).toMatchObject({ executionId: ids.execution })
      expect(published.length).toBeGreaterThan(0)

      // An emitter started later (a new worker) asks, and learns of the connected browser at once.
      const late = new WatchTracker(createRedis(testRedisUrl()), { warmupMs: 0 }, publisher)
      await late.subscribe()
      await waitFor('the late tracker to learn of tenant B', async () => late.isWatched(b.tenantId), 2000)
      expect(late.isWatched(a.tenantId)).toBe(false)
      await late.close()
      socket.close()
    } finally {
      await tracker.close()
    }
  })
})

describe('realtime beside a public webhook origin', () => {
  it('refuses sockets on the webhook host (Socket.IO answers ahead of server.ts\'s router)', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const hooks = new WebhookOrigin(`http://127.0.0.1:${port}`)
    const rt = attachRealtime(server, { prisma: t.db.prisma, createRedis: () => createRedis(testRedisUrl()), acceptsHost: (h) => !hooks.matches(h) })
    const connectTo = (base: string) => {
      const socket = connect(base, { path: '/socket.io', auth: { token: a.apiKey }, transports: ['websocket'], reconnection: false })
      return new Promise<boolean>((resolve) => {
        socket.on('connect', () => resolve(true))
        socket.on('connect_error', () => resolve(false))
      }).finally(() => socket.close())
    }
    try {
      expect(await connectTo(`http://localhost:${port}`)).toBe(true)
      expect(await connectTo(`http://127.0.0.1:${port}`)).toBe(false)
    } finally {
      await rt.close()
    }
  })
})
