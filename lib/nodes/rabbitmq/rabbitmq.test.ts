// The RabbitMQ node against the machine's RabbitMQ (127.0.0.1:5672, guest/guest); every queue and exchange is this
// run's own and deleted after.
import { randomBytes } from 'node:crypto'
import { connect, type Channel, type ChannelModel } from 'amqplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Item } from '@/lib/engine/types'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { freePort, startCuttingProxy } from '@/tests/helpers/brokers'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'

const run = randomBytes(5).toString('hex')
const queue = `test.rabbitnode.${run}`
const exchange = `test.rabbitnode.x.${run}`
const bound = `test.rabbitnode.bound.${run}`
let admin: ChannelModel
let ch: Channel
let closedPort: number

const credentials = () => ({
  local: { kind: 'rabbitmq', data: { url: 'amqp://guest:guest@127.0.0.1:5672/' } },
  fields: { kind: 'rabbitmq', data: { host: '127.0.0.1', port: '5672', username: 'guest', password: 'guest' } },
  wrongPassword: { kind: 'rabbitmq', data: { host: '127.0.0.1', username: 'guest', password: 'nope' } },
  closed: { kind: 'rabbitmq', data: { host: '127.0.0.1', port: String(closedPort) } },
  internal: { kind: 'rabbitmq', data: { url: 'amqp://10.0.0.5:5672' } },
})

async function rabbit(params: Record<string, unknown>, input: Item[], allow = ['127.0.0.1:5672']) {
  const flow = await runFlow([{ id: 'r', type: 'rabbitmq', params: { credential: 'local', ...params } }], input, {
    credentials: credentials(),
    services: { network: createTcpGuard({ allowList: allow }) },
  })
  return { error: flow.result.error, items: await flow.output('r') }
}

async function drain(q: string) {
  const out = []
  for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) out.push(m)
  return out
}

beforeAll(async () => {
  admin = await connect('amqp://guest:guest@127.0.0.1:5672')
  ch = await admin.createChannel()
  await ch.assertQueue(queue, { durable: false })
  await ch.assertExchange(exchange, 'topic', { durable: false })
  await ch.assertQueue(bound, { durable: false })
  await ch.bindQueue(bound, exchange, 'order.*')
  closedPort = await freePort()
})

afterAll(async () => {
  await ch.deleteQueue(queue)
  await ch.deleteQueue(bound)
  await ch.deleteExchange(exchange)
  await admin.close()
})

describe('rabbitmq node', () => {
  it('sends each item to a queue as JSON with headers, message id and persistence', async () => {
    const { error, items } = await rabbit(
      { queue, headers: [{ name: 'source', value: 'studio' }], messageId: 'fixed-id' },
      [{ id: 1 }, { id: 2 }],
    )
    expect(error).toBeUndefined()
    expect(items).toEqual([
      { id: 1, published: { exchange: '', routingKey: queue, confirmed: false } },
      { id: 2, published: { exchange: '', routingKey: queue, confirmed: false } },
    ])
    const got = await drain(queue)
    expect(got.map((m) => JSON.parse(m.content.toString()))).toEqual([{ id: 1 }, { id: 2 }])
    expect(got[0].properties).toMatchObject({ contentType: 'application/json', messageId: 'fixed-id', deliveryMode: 2, headers: { source: 'studio' } })
  })

  it('publishes to an exchange with a routing key, confirmed, and a field as text (credential given by fields)', async () => {
    const { error, items } = await rabbit(
      { credential: 'fields', target: 'exchange', exchange, routingKey: 'order.paid', confirm: true, contentMode: 'text', contentField: 'note', outputField: 'sent' },
      [{ note: 'hello' }],
    )
    expect(error).toBeUndefined()
    expect(items[0].sent).toEqual({ exchange, routingKey: 'order.paid', confirmed: true })
    const got = await drain(bound)
    expect(got.map((m) => [m.content.toString(), m.properties.contentType, m.fields.routingKey])).toEqual([['hello', 'text/plain', 'order.paid']])
  })

  it.each([
    ['a missing queue', { queue: `nothing.${run}` }, 'RABBITMQ_NOT_FOUND', 'queue'],
    ['a missing exchange', { target: 'exchange', exchange: `nothing.${run}`, routingKey: 'k' }, 'RABBITMQ_NOT_FOUND', 'exchange'],
    ['no queue', { queue: '' }, 'MISSING_QUEUE', 'queue'],
    ['text without a field', { queue, contentMode: 'text' }, 'MISSING_VALUE', 'contentField'],
  ])('fails naming the field for %s', async (_name, params, code, field) => {
    const { error } = await rabbit(params, [{ a: 1 }])
    expect(error).toMatchObject({ code, field })
  })

  it('refuses a private address with the outbound guard, naming host:port, before connecting', async () => {
    const { error } = await rabbit({ credential: 'internal', queue }, [{}])
    expect(error).toMatchObject({ code: 'SSRF_BLOCKED', field: 'credential', retryable: false })
    expect(error?.message).toContain('10.0.0.5:5672')
  })

  it('fails clearly, naming host:port, when nothing listens (retryable), and names the credential on a refused login', async () => {
    const closed = await rabbit({ credential: 'closed', queue }, [{}], [`127.0.0.1:${closedPort}`])
    expect(closed.error).toMatchObject({ code: 'RABBITMQ_CONNECTION_FAILED', retryable: true })
    expect(closed.error?.message).toContain(`127.0.0.1:${closedPort}`)
    expect(closed.error?.message).toContain('ECONNREFUSED')
    const login = await rabbit({ credential: 'wrongPassword', queue }, [{}])
    expect(login.error).toMatchObject({ code: 'RABBITMQ_AUTH_FAILED', field: 'credential', retryable: false })
    expect(login.error?.message).toContain('wrongPassword')
  })
  it('fails clearly, naming host:port, when the connection drops in the middle of the step', async () => {
    const proxy = await startCuttingProxy(5672, 4000)
    try {
      const flow = await runFlow([{ id: 'p', type: 'rabbitmq', params: { credential: 'cut', ...{ queue } } }], numbered(300, 300), {
        credentials: { cut: { kind: 'rabbitmq', data: { host: '127.0.0.1', port: String(proxy.port) } } },
        services: { network: createTcpGuard({ allowList: [`127.0.0.1:${proxy.port}`] }) },
        pageSize: 300,
      })
      expect(proxy.cuts()).toBe(1)
      expect(flow.result.error).toMatchObject({ code: 'RABBITMQ_CONNECTION_FAILED', retryable: true })
      expect(flow.result.error?.message).toContain(`127.0.0.1:${proxy.port}`)
    } finally {
      await proxy.close()
    }
  })
})
