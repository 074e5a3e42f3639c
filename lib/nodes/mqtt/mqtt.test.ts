// The MQTT node against the machine's Mosquitto (127.0.0.1:1883); every topic is this run's own.
import { randomBytes } from 'node:crypto'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Item } from '@/lib/engine/types'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { freePort, startCuttingProxy } from '@/tests/helpers/brokers'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'

const base = `test/mqttnode/${randomBytes(5).toString('hex')}`
let sub: MqttClient
let closedPort: number

async function mqtt(params: Record<string, unknown>, input: Item[], allow = ['127.0.0.1:1883']) {
  const flow = await runFlow([{ id: 'm', type: 'mqtt', params: { credential: 'local', ...params } }], input, {
    credentials: {
      local: { kind: 'mqtt', data: { url: 'mqtt://127.0.0.1:1883' } },
      closed: { kind: 'mqtt', data: { url: `mqtt://127.0.0.1:${closedPort}` } },
      internal: { kind: 'mqtt', data: { url: 'mqtt://172.16.0.9:1883' } },
    },
    services: { network: createTcpGuard({ allowList: allow }) },
  })
  return { error: flow.result.error, items: await flow.output('m') }
}

beforeAll(async () => {
  sub = await connectAsync('mqtt://127.0.0.1:1883')
  closedPort = await freePort()
})

afterAll(async () => {
  // Retained messages stay on the broker until an empty retained message replaces them.
  await sub.publishAsync(`${base}/retained`, '', { retain: true, qos: 1 })
  await sub.endAsync()
})

describe('mqtt node', () => {
  it.each([0, 1, 2])('publishes every item with QoS %i', async (qos) => {
    const topic = `${base}/qos${qos}`
    const got: string[] = []
    sub.on('message', (t, m) => t === topic && got.push(m.toString()))
    await sub.subscribeAsync(topic, { qos: 2 })
    const { error, items } = await mqtt({ topic, qos }, [{ n: 1 }, { n: 2 }])
    expect(error).toBeUndefined()
    expect(items[0].published).toEqual({ topic, qos, retain: false })
    for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 20))
    expect(got).toEqual(['{"n":1}', '{"n":2}'])
  })

  it('retains a message: a later subscriber gets it', async () => {
    const topic = `${base}/retained`
    const { error } = await mqtt({ topic, retain: true, contentMode: 'text', contentField: 'c' }, [{ c: 21.5 }])
    expect(error).toBeUndefined()
    const late = await connectAsync('mqtt://127.0.0.1:1883')
    const got = new Promise<[string, boolean]>((resolve) => late.on('message', (_t, m, p) => resolve([m.toString(), p.retain])))
    await late.subscribeAsync(topic, { qos: 1 })
    expect(await got).toEqual(['21.5', true])
    await late.endAsync()
  })

  it.each([
    ['a wildcard topic', { topic: `${base}/+` }, 'INVALID_TOPIC', 'topic'],
    ['no topic', { topic: '' }, 'INVALID_TOPIC', 'topic'],
    ['text without a field', { topic: `${base}/t`, contentMode: 'text' }, 'MISSING_VALUE', 'contentField'],
  ])('fails naming the field for %s', async (_name, params, code, field) => {
    const { error } = await mqtt(params, [{}])
    expect(error).toMatchObject({ code, field })
  })

  it('refuses a private address naming host:port, and fails clearly when nothing listens', async () => {
    const blocked = await mqtt({ credential: 'internal', topic: `${base}/x` }, [{}])
    expect(blocked.error).toMatchObject({ code: 'SSRF_BLOCKED', field: 'credential' })
    expect(blocked.error?.message).toContain('172.16.0.9:1883')
    const closed = await mqtt({ credential: 'closed', topic: `${base}/x` }, [{}], [`127.0.0.1:${closedPort}`])
    expect(closed.error).toMatchObject({ code: 'MQTT_CONNECTION_FAILED', retryable: true })
    expect(closed.error?.message).toContain(`127.0.0.1:${closedPort}`)
  })
  it('fails clearly, naming host:port, when the connection drops in the middle of the step', async () => {
    const proxy = await startCuttingProxy(1883, 4000)
    try {
      const flow = await runFlow([{ id: 'p', type: 'mqtt', params: { credential: 'cut', ...{ topic: `${base}/cut`, qos: 1 } } }], numbered(300, 300), {
        credentials: { cut: { kind: 'mqtt', data: { url: `mqtt://127.0.0.1:${proxy.port}` } } },
        services: { network: createTcpGuard({ allowList: [`127.0.0.1:${proxy.port}`] }) },
        pageSize: 300,
      })
      expect(proxy.cuts()).toBe(1)
      expect(flow.result.error).toMatchObject({ code: 'MQTT_CONNECTION_FAILED', retryable: true })
      expect(flow.result.error?.message).toContain(`127.0.0.1:${proxy.port}`)
    } finally {
      await proxy.close()
    }
  })
})
