// The MQTT trigger with real worker runtimes: the machine's Mosquitto (127.0.0.1:1883) for consuming, the persistent
// session and dead letters; a Mosquitto of the test's own to restart.
import { randomBytes } from 'node:crypto'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOwnMosquitto, type OwnBroker } from '../../helpers/brokers'
import { call, waitFor } from '../backbone/support'
import * as deactivate from '../../../app/api/workflows/[id]/deactivate/route'
import * as activate from '../../../app/api/workflows/[id]/activate/route'
import { contents, expectHandover, ghostRegistration, expectRuns, holders, useBrokerEnv, waitForStatus } from './support'

const base = `test/mtrig/${randomBytes(4).toString('hex')}`
let own: OwnBroker | undefined
let pub: MqttClient

const ctx = useBrokerEnv(
  () => ({
    local: { kind: 'mqtt', data: { url: 'mqtt://127.0.0.1:1883' } },
    own: { kind: 'mqtt', data: { url: `mqtt://127.0.0.1:${own?.port ?? 0}` } },
  }),
  () => ['127.0.0.1'],
)

beforeAll(async () => {
  pub = await connectAsync('mqtt://127.0.0.1:1883')
  await ctx.startWorker()
  await ctx.startWorker()
})
afterAll(async () => {
  for (const w of ctx.workers.splice(0)) await w.close()
  await pub.endAsync()
  await own?.dispose()
})

const trigger = (params: Record<string, unknown>) => ({ type: 'mqtt-trigger', params: { credential: 'local', ...params } })

describe('mqtt trigger', () => {
  it('runs once per message with two workers, and keeps what arrives while no worker is connected', async () => {
    const workflowId = await ctx.activate(trigger({ topic: `${base}/orders/+` }))
    const [a, b] = ctx.workers
    await waitForStatus([a, b], workflowId, (s) => s.state === 'consuming', 'a consumer')
    for (let i = 0; i < 20; i++) await pub.publishAsync(`${base}/orders/${i % 3}`, JSON.stringify({ n: i }), { qos: 1 })
    const runs = await expectRuns(ctx, workflowId, 20)
    expect(contents(runs).map((c) => (c as { n: number }).n).sort((x, y) => x - y)).toEqual([...Array(20).keys()])
    expect((runs[0].input as Record<string, unknown>[])[0]).toMatchObject({ topic: `${base}/orders/0`, qos: 1, retain: false, dup: false })
    expect(runs.every((r) => r.mode === 'broker' && r.startNodeId === 'trigger')).toBe(true)
    expect(holders([a, b], workflowId).length).toBe(1)

    // Every worker gone: the broker keeps the session's messages (clean: false, the same client id) for the next one.
    for (const w of ctx.workers.splice(0)) await w.close()
    for (let i = 20; i < 23; i++) await pub.publishAsync(`${base}/orders/x`, JSON.stringify({ n: i }), { qos: 1 })
    const next = await ctx.startWorker()
    await ctx.startWorker()
    const all = await expectRuns(ctx, workflowId, 23)
    expect(contents(all.slice(20)).map((c) => (c as { n: number }).n)).toEqual([20, 21, 22])
    expect(holders(ctx.workers, workflowId).length).toBe(1)
    void next
  })

  it('sends a body that is not JSON to the dead-letter topic at once, without a run', async () => {
    const workflowId = await ctx.activate(trigger({ topic: `${base}/poison`, deadLetterTopic: `${base}/dead` }))
    await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'consuming', 'a consumer')
    const watcher = await connectAsync('mqtt://127.0.0.1:1883')
    const dead = new Promise<string>((resolve) => watcher.on('message', (_t, m) => resolve(m.toString())))
    await watcher.subscribeAsync(`${base}/dead`, { qos: 1 })
    await pub.publishAsync(`${base}/poison`, 'not json {', { qos: 1 })
    expect(await dead).toBe('not json {')
    await watcher.endAsync()
    // The next message still gets its run: the poisoned one was acknowledged, not left blocking the session.
    await pub.publishAsync(`${base}/poison`, '{"ok":true}', { qos: 1 })
    const runs = await expectRuns(ctx, workflowId, 1, 300)
    expect(contents(runs)).toEqual([{ ok: true }])
  })

  it('retries a stopped broker with its error visible, and subscribes again after it restarts', async () => {
    own = await startOwnMosquitto()
    await own.start()
    const workflowId = await ctx.activate(trigger({ credential: 'own', topic: 'own/#' }))
    await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'consuming', 'a consumer')
    const producer = await connectAsync(`mqtt://127.0.0.1:${own.port}`)
    await producer.publishAsync('own/a', JSON.stringify({ n: 1 }), { qos: 1 })
    await expectRuns(ctx, workflowId, 1, 200)
    await producer.endAsync(true)

    await own.stop()
    const lost = await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'waiting' && /ECONNREFUSED/.test(s.lastError ?? ''), 'the refused reconnect')
    expect(lost.lastError).toContain(`127.0.0.1:${own.port}`)
    await own.start()
    await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'consuming', 'the consumer to reconnect')
    const again = await connectAsync(`mqtt://127.0.0.1:${own.port}`)
    await again.publishAsync('own/b', JSON.stringify({ n: 2 }), { qos: 1 })
    const runs = await expectRuns(ctx, workflowId, 2, 300)
    expect(contents(runs)).toEqual([{ n: 1 }, { n: 2 }])
    await again.endAsync()
  }, 60_000)
  it('starts and stops consumers on the triggers-changed message, without waiting for the periodic pass', async () => {
    for (const w of ctx.workers.splice(0)) await w.close()
    const worker = await ctx.startWorker({ brokers: { leaseMs: 1500, reloadMs: 600_000 } })
    const workflowId = await ctx.activate(trigger({ topic: `${base}/changes` }))
    await waitForStatus([worker], workflowId, (s) => s.state === 'consuming', 'the consumer to start')
    await pub.publishAsync(`${base}/changes`, '{"n":1}', { qos: 1 })
    await expectRuns(ctx, workflowId, 1, 100)
    const res = await call(deactivate.POST, { method: 'POST', headers: ctx.a.headers, params: { id: workflowId } })
    expect(res.status, JSON.stringify(res.json)).toBe(200)
    await waitFor('the consumer to stop', async () => holders([worker], workflowId).length === 0)
    // The session stopped collecting the topic: what is published while the workflow is inactive starts nothing later.
    await pub.publishAsync(`${base}/changes`, '{"n":2}', { qos: 1 })
    await new Promise((r) => setTimeout(r, 500))
    expect(await ctx.runs(workflowId)).toHaveLength(1)
    const again = await call(activate.POST, { method: 'POST', headers: ctx.a.headers, params: { id: workflowId }, body: {} })
    expect(again.status, JSON.stringify(again.json)).toBe(200)
    await waitForStatus([worker], workflowId, (s) => s.state === 'consuming', 'the consumer to start again')
    await pub.publishAsync(`${base}/changes`, '{"n":3}', { qos: 1 })
    const runs = await expectRuns(ctx, workflowId, 2, 500)
    expect(contents(runs)).toEqual([{ n: 1 }, { n: 3 }])
  })
  it('leaves a message whose run was not recorded to the next worker: the session delivers it again (DUP), run once', async () => {
    const item = await expectHandover(ctx, trigger({ topic: `${base}/handover` }), () => pub.publishAsync(`${base}/handover`, '{"n":"once"}', { qos: 1 }))
    expect(item).toMatchObject({ content: { n: 'once' }, dup: true })
  })
  it('sends a message whose run cannot start to the dead-letter topic after maxDeliveries tries, and goes on', async () => {
    const workflowId = await ctx.activate(trigger({ topic: `${base}/anchor` }))
    const remove = await ghostRegistration(ctx, workflowId, 'mqtt-trigger', { credential: 'local', topic: `${base}/ghost`, clientId: '', deadLetterTopic: `${base}/ghost-dead`, content: 'json', maxDeliveries: 3 })
    await waitForStatus(ctx.workers, workflowId, (s) => s.nodeId === 'ghost' && s.state === 'consuming', 'the ghost consumer')
    const watcher = await connectAsync('mqtt://127.0.0.1:1883')
    const dead: string[] = []
    watcher.on('message', (_t, m) => dead.push(m.toString()))
    await watcher.subscribeAsync(`${base}/ghost-dead`, { qos: 1 })
    await pub.publishAsync(`${base}/ghost`, '{"n":1}', { qos: 1 })
    await pub.publishAsync(`${base}/ghost`, '{"n":2}', { qos: 1 })
    await waitFor('both dead letters', async () => dead.length === 2)
    expect(dead).toEqual(['{"n":1}', '{"n":2}'])
    expect(await ctx.runs(workflowId)).toHaveLength(0)
    await watcher.endAsync()
    await remove()
  })
})
