// The realtime client against a real Socket.IO server implementing the subscribe protocol of lib/realtime.
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RealtimeClient, payloadMatchesRoom } from '@/lib/client/realtime-client'
import type { ExecutionUpdatedEvent } from '@/lib/realtime/events'

let http: HttpServer
let io: Server
let url: string
let client: RealtimeClient | undefined
const joins: string[] = []

beforeEach(async () => {
  joins.length = 0
  http = createServer()
  io = new Server(http, { path: '/socket.io' })
  io.use((socket, next) => (socket.handshake.auth?.token === 'ak_ok' ? next() : next(new Error('UNAUTHORIZED'))))
  io.on('connection', (socket) => {
    socket.on('subscribe', async ({ room }: { room: string }, ack: (r: { ok: boolean; error?: string }) => void) => {
      if (room === 'execution:forbidden') return ack({ ok: false, error: 'not your tenant' })
      joins.push(room)
      await socket.join(room)
      ack({ ok: true })
    })
    socket.on('unsubscribe', async ({ room }: { room: string }, ack?: (r: { ok: boolean }) => void) => {
      await socket.leave(room)
      ack?.({ ok: true })
    })
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
})

afterEach(async () => {
  client?.close()
  client = undefined
  await new Promise<void>((r) => io.close(() => r()))
})

const event = (over: Partial<ExecutionUpdatedEvent>): ExecutionUpdatedEvent => ({
  executionId: 'e1',
  workflowId: 'w1',
  status: 'running',
  mode: 'manual',
  createdAt: new Date(0).toISOString(),
  startedAt: null,
  finishedAt: null,
  error: null,
  ...over,
})

describe('payloadMatchesRoom', () => {
  it.each([
    ['tenant', { executionId: 'e1', workflowId: 'w1' }, true],
    ['workflow:w1', { executionId: 'e1', workflowId: 'w1' }, true],
    ['workflow:w2', { executionId: 'e1', workflowId: 'w1' }, false],
    ['execution:e1', { executionId: 'e1', workflowId: 'w1' }, true],
    ['execution:e2', { executionId: 'e1', workflowId: 'w1' }, false],
  ] as const)('%s / %j → %s', (room, payload, expected) => {
    expect(payloadMatchesRoom(room, payload)).toBe(expected)
  })
})

describe('RealtimeClient', () => {
  it('joins a room once however many subscribers, and routes only matching events to each', async () => {
    client = new RealtimeClient({ url, token: 'ak_ok', reconnectionDelay: 50 })
    const onE1 = vi.fn()
    const onE1Again = vi.fn()
    const onTenant = vi.fn()
    client.subscribe('execution:e1', { 'execution.updated': onE1 })
    client.subscribe('execution:e1', { 'execution.updated': onE1Again })
    client.subscribe('tenant', { 'execution.updated': onTenant })
    await vi.waitFor(() => expect(joins.sort()).toEqual(['execution:e1', 'tenant']))

    io.to('tenant').emit('execution.updated', event({ executionId: 'e2' }))
    io.to('tenant').emit('execution.updated', event({ executionId: 'e1', status: 'succeeded' }))
    await vi.waitFor(() => expect(onTenant).toHaveBeenCalledTimes(2))
    expect(onE1).toHaveBeenCalledTimes(1)
    expect(onE1).toHaveBeenCalledWith(expect.objectContaining({ executionId: 'e1', status: 'succeeded' }))
    expect(onE1Again).toHaveBeenCalledTimes(1)
  })

  it('asks subscribers to resync once joined, and again after a dropped connection', async () => {
    client = new RealtimeClient({ url, token: 'ak_ok', reconnectionDelay: 50 })
    const onResync = vi.fn()
    const onUpdate = vi.fn()
    client.subscribe('workflow:w1', { 'execution.updated': onUpdate, onResync })
    await vi.waitFor(() => expect(joins).toEqual(['workflow:w1']))
    await vi.waitFor(() => expect(onResync).toHaveBeenCalledTimes(1))

    for (const socket of await io.fetchSockets()) (io.sockets.sockets.get(socket.id)!.conn as { close(): void }).close()
    await vi.waitFor(() => expect(joins).toEqual(['workflow:w1', 'workflow:w1']))
    await vi.waitFor(() => expect(onResync).toHaveBeenCalledTimes(2))

    io.to('workflow:w1').emit('execution.updated', event({}))
    await vi.waitFor(() => expect(onUpdate).toHaveBeenCalledTimes(1))
  })

  it('stops delivering after unsubscribe and reports refused rooms', async () => {
    client = new RealtimeClient({ url, token: 'ak_ok', reconnectionDelay: 50 })
    const onUpdate = vi.fn()
    const onError = vi.fn()
    const off = client.subscribe('tenant', { 'execution.updated': onUpdate })
    client.subscribe('execution:forbidden', { onError })
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith('not your tenant'))
    off()
    io.to('tenant').emit('execution.updated', event({}))
    await new Promise((r) => setTimeout(r, 100))
    expect(onUpdate).not.toHaveBeenCalled()
  })
})
