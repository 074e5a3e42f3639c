// The NATS node against the machine's nats-server with JetStream (127.0.0.1:4222); the stream is this run's own.
import { randomBytes } from 'node:crypto'
import { connect, type NatsConnection } from 'nats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Item } from '@/lib/engine/types'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { freePort, startCuttingProxy } from '@/tests/helpers/brokers'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'

const run = randomBytes(5).toString('hex')
const stream = `TEST_NATSNODE_${run}`
const subject = `test.natsnode.${run}`
let nc: NatsConnection
let closedPort: number

async function nats(params: Record<string, unknown>, input: Item[], allow = ['127.0.0.1:4222']) {
  const flow = await runFlow([{ id: 'n', type: 'nats', params: { credential: 'local', ...params } }], input, {
    credentials: {
      local: { kind: 'nats', data: { servers: '127.0.0.1:4222' } },
      closed: { kind: 'nats', data: { servers: `nats://127.0.0.1:${closedPort}` } },
      internal: { kind: 'nats', data: { servers: '192.168.1.20:4222' } },
    },
    services: { network: createTcpGuard({ allowList: allow }) },
  })
  return { error: flow.result.error, items: await flow.output('n') }
}

beforeAll(async () => {
  nc = await connect({ servers: '127.0.0.1:4222' })
  const jsm = await nc.jetstreamManager()
  await jsm.streams.add({ name: stream, subjects: [`${subject}.>`] })
  closedPort = await freePort()
})

afterAll(async () => {
  const jsm = await nc.jetstreamManager()
  await jsm.streams.delete(stream)
  await nc.close()
})

describe('nats node', () => {
  it('publishes into a stream, awaiting the PubAck; a repeated message id is a duplicate', async () => {
    const { error, items } = await nats({ subject: `${subject}.orders`, messageId: 'm-1', headers: [{ name: 'source', value: 'studio' }] }, [{ id: 1 }, { id: 2 }])
    expect(error).toBeUndefined()
    expect(items.map((i) => i.published)).toEqual([
      { subject: `${subject}.orders`, stream, seq: 1, duplicate: false },
      { subject: `${subject}.orders`, stream, seq: 1, duplicate: true },
    ])
    const jsm = await nc.jetstreamManager()
    const stored = await jsm.streams.getMessage(stream, { seq: 1 })
    expect(stored.json()).toEqual({ id: 1 })
    expect(stored.header.get('source')).toBe('studio')
  })

  it('publishes plain core NATS to a subscriber, a field as text', async () => {
    const sub = nc.subscribe(`${subject}core.ping`, { max: 1 })
    const { error, items } = await nats({ mode: 'core', subject: `${subject}core.ping`, contentMode: 'text', contentField: 'key' }, [{ key: 'prices' }])
    expect(error).toBeUndefined()
    expect(items[0].published).toEqual({ subject: `${subject}core.ping` })
    for await (const m of sub) expect(m.string()).toBe('prices')
  })

  it.each([
    ['a subject no stream takes', { subject: `nostream.${run}` }, 'NATS_NO_STREAM', 'subject'],
    ['a wildcard subject', { subject: `${subject}.*` }, 'INVALID_SUBJECT', 'subject'],
    ['no subject', { subject: '' }, 'INVALID_SUBJECT', 'subject'],
  ])('fails naming the field for %s', async (_name, params, code, field) => {
    const { error } = await nats(params, [{}])
    expect(error).toMatchObject({ code, field })
  })

  it('refuses a private address naming host:port, and fails clearly when nothing listens', async () => {
    const blocked = await nats({ credential: 'internal', subject: `${subject}.x` }, [{}])
    expect(blocked.error).toMatchObject({ code: 'SSRF_BLOCKED', field: 'credential' })
    expect(blocked.error?.message).toContain('192.168.1.20:4222')
    const closed = await nats({ credential: 'closed', subject: `${subject}.x` }, [{}], [`127.0.0.1:${closedPort}`])
    expect(closed.error).toMatchObject({ code: 'NATS_CONNECTION_FAILED', retryable: true })
    expect(closed.error?.message).toContain(`127.0.0.1:${closedPort}`)
  })
  it('fails clearly, naming host:port, when the connection drops in the middle of the step', async () => {
    const proxy = await startCuttingProxy(4222, 4000)
    try {
      const flow = await runFlow([{ id: 'p', type: 'nats', params: { credential: 'cut', ...{ subject: `${subject}.cut` } } }], numbered(300, 300), {
        credentials: { cut: { kind: 'nats', data: { servers: `127.0.0.1:${proxy.port}` } } },
        services: { network: createTcpGuard({ allowList: [`127.0.0.1:${proxy.port}`] }) },
        pageSize: 300,
      })
      expect(proxy.cuts()).toBe(1)
      expect(flow.result.error).toMatchObject({ code: 'NATS_CONNECTION_FAILED', retryable: true })
      expect(flow.result.error?.message).toContain(`127.0.0.1:${proxy.port}`)
    } finally {
      await proxy.close()
    }
  })
})
