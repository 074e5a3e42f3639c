// The RabbitMQ trigger with real worker runtimes: the machine's RabbitMQ (127.0.0.1:5672) for consuming, dead letters
// and the hand-over between workers; a RabbitMQ of the test's own (a free port) to restart under the consumer.
import { randomBytes } from 'node:crypto'
import { connect, type Channel, type ChannelModel } from 'amqplib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, startOwnRabbit, type OwnBroker } from '../../helpers/brokers'
import { call, chain, node, waitFor } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as triggers from '../../../app/api/workflows/[id]/triggers/route'
import { contents, expectHandover, expectRuns, holders, runsSucceeded, useBrokerEnv, waitForStatus } from './support'

const run = randomBytes(4).toString('hex')
const q = (name: string) => `test.rtrig.${run}.${name}`
let own: OwnBroker | undefined
let closedPort = 0
let admin: ChannelModel
let ch: Channel
const queues: string[] = []

const ctx = useBrokerEnv(
  () => ({
    local: { kind: 'rabbitmq', data: { url: 'amqp://guest:guest@127.0.0.1:5672' } },
    own: { kind: 'rabbitmq', data: { host: '127.0.0.1', port: String(own?.port ?? 0) } },
    closed: { kind: 'rabbitmq', data: { host: '127.0.0.1', port: String(closedPort) } },
  }),
  () => ['127.0.0.1'],
)

beforeAll(async () => {
  closedPort = await freePort()
  admin = await connect('amqp://guest:guest@127.0.0.1:5672')
  admin.on('error', () => undefined)
  ch = await admin.createChannel()
  await ctx.startWorker()
  await ctx.startWorker()
})
afterAll(async () => {
  for (const w of ctx.workers.splice(0)) await w.close()
  for (const name of queues) await ch.deleteQueue(name).catch(() => undefined)
  await admin?.close()
  await own?.dispose()
})

const trigger = (params: Record<string, unknown>) => {
  if (typeof params.queue === 'string') queues.push(params.queue)
  if (typeof params.deadLetterQueue === 'string') queues.push(params.deadLetterQueue)
  return { type: 'rabbitmq-trigger', params: { credential: 'local', ...params } }
}
const send = (queue: string, body: unknown, props: Record<string, unknown> = {}) =>
  ch.sendToQueue(queue, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), { persistent: true, ...props })

/** On a channel of its own: RabbitMQ closes the channel that asked about a missing queue. */
async function queueExists(name: string): Promise<boolean> {
  const probe = await admin.createChannel()
  probe.on('error', () => undefined)
  try {
    await probe.checkQueue(name)
    await probe.close()
    return true
  } catch {
    return false
  }
}

async function dead(queue: string, n: number) {
  const got: { content: string; headers: Record<string, unknown> }[] = []
  await waitFor(`${n} dead letters in ${queue}`, async () => {
    for (let m = await ch.get(queue, { noAck: true }); m; m = await ch.get(queue, { noAck: true })) got.push({ content: m.content.toString(), headers: m.properties.headers ?? {} })
    return got.length >= n
  })
  return got
}

describe('rabbitmq trigger', () => {
  it('runs once per message with two workers (one consumer holds the lease), acking after the run is recorded', async () => {
    const queue = q('orders')
    const workflowId = await ctx.activate(trigger({ queue, prefetch: 5, deadLetterQueue: q('orders.dead') }))
    const [a, b] = ctx.workers
    await waitForStatus([a, b], workflowId, (s) => s.state === 'consuming', 'a consumer')
    for (let i = 0; i < 30; i++) send(queue, { n: i }, { messageId: `m${i}`, headers: { source: 'test' } })
    const runs = await expectRuns(ctx, workflowId, 30)
    expect(contents(runs).map((c) => (c as { n: number }).n).sort((x, y) => x - y)).toEqual([...Array(30).keys()])
    expect(runs.every((r) => r.mode === 'broker' && r.startNodeId === 'trigger')).toBe(true)
    expect((runs[0].input as Record<string, unknown>[])[0]).toMatchObject({ routingKey: queue, exchange: '', redelivered: false, headers: { source: 'test' }, properties: { messageId: expect.stringMatching(/^m\d+$/) } })
    expect(holders([a, b], workflowId).length).toBe(1)
    await runsSucceeded(ctx.t.db.prisma, runs.map((r) => r.id))
    const state = await ch.checkQueue(queue)
    expect(state.messageCount).toBe(0)
  })

  it('dead-letters a body that is not JSON at once, and one whose run cannot start after maxDeliveries', async () => {
    const queue = q('poison')
    const deadQueue = q('poison.dead')
    const workflowId = await ctx.activate(trigger({ queue, deadLetterQueue: deadQueue, maxDeliveries: 3 }))
    await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'consuming', 'a consumer')
    send(queue, 'not json {')
    const [notJson] = await dead(deadQueue, 1)
    expect(notJson.content).toBe('not json {')
    expect(notJson.headers['x-death']).toMatchObject([{ reason: 'rejected', queue }])
    expect(await ctx.runs(workflowId)).toHaveLength(0)

    // A registration whose version is gone: every start fails (the Execution row cannot reference it).
    const ghostQueue = q('ghost')
    const ghostDead = q('ghost.dead')
    queues.push(ghostQueue, ghostDead)
    await ctx.t.db.prisma.triggerRegistration.create({
      data: {
        tenantId: ctx.a.tenantId, workflowId, nodeId: 'ghost', kind: 'broker', nodeType: 'rabbitmq-trigger', key: `rabbitmq:${ghostQueue}`,
        config: { credential: 'local', queue: ghostQueue, prefetch: 1, assertQueue: true, queueType: 'classic', deadLetterQueue: ghostDead, deadLetterExchange: '', content: 'json', maxDeliveries: 3 },
        versionId: 'version-gone', versionNumber: 99,
      },
    })
    await waitFor('the ghost queue', () => queueExists(ghostQueue))
    send(ghostQueue, { n: 1 })
    const [gone] = await dead(ghostDead, 1)
    expect(JSON.parse(gone.content)).toEqual({ n: 1 })
    expect(await ctx.runs(workflowId)).toHaveLength(0)
    await ctx.t.db.prisma.triggerRegistration.deleteMany({ where: { nodeId: 'ghost' } })
  })

  it('counts deliveries on a quorum queue with the broker\'s x-delivery-count', async () => {
    const queue = q('quorum')
    const deadQueue = q('quorum.dead')
    const workflowId = await ctx.activate(trigger({ queue, queueType: 'quorum', deadLetterQueue: deadQueue, maxDeliveries: 2 }))
    await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'consuming', 'a consumer')
    send(queue, { ok: true })
    await expectRuns(ctx, workflowId, 1, 200)
    const info = await ch.checkQueue(queue)
    expect(info.messageCount).toBe(0)
  })

  it('leaves a message whose run was not recorded to the next worker: redelivered, run once', async () => {
    const queue = q('handover')
    const item = await expectHandover(ctx, trigger({ queue, prefetch: 1 }), async () => send(queue, { n: 'once' }))
    expect(item).toMatchObject({ content: { n: 'once' }, redelivered: true })
  })

  it('retries a refused connection with its error visible, and reconnects after the broker restarts', async () => {
    const refused = await ctx.activate(trigger({ credential: 'closed', queue: q('refused') }))
    const waiting = await waitForStatus(ctx.workers, refused, (s) => s.state === 'waiting' && Boolean(s.lastError), 'the refused error')
    expect(waiting.lastError).toContain(`127.0.0.1:${closedPort}`)
    expect(waiting.lastError).toContain('ECONNREFUSED')
    // The same through the API, for the workflow's page.
    const status = await waitFor('the status report', async () => {
      const res = await call(triggers.GET, { headers: ctx.a.headers, params: { id: refused } })
      return res.json.triggers?.[0]?.state === 'waiting' ? res : null
    })
    expect(status.json.triggers).toEqual([
      { nodeId: 'trigger', nodeType: 'rabbitmq-trigger', key: `rabbitmq:${q('refused')}`, state: 'waiting', lastError: expect.stringContaining(`127.0.0.1:${closedPort}`), since: expect.any(String) },
    ])
    expect((await call(triggers.GET, { headers: ctx.a.headers, params: { id: 'no-such-workflow' } })).status).toBe(404)

    own = await startOwnRabbit()
    await own.start()
    const queue = q('restart')
    const workflowId = await ctx.activate(trigger({ credential: 'own', queue }))
    await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'consuming', 'a consumer')
    const producer = await connect(`amqp://guest:guest@127.0.0.1:${own.port}`)
    const pch = await producer.createChannel()
    pch.sendToQueue(queue, Buffer.from('{"n":1}'), { persistent: true })
    await expectRuns(ctx, workflowId, 1, 200)
    await producer.close()

    await own.stop()
    const lost = await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'waiting', 'the lost connection')
    expect(lost.lastError).toBeTruthy()
    await own.start()
    await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'consuming', 'the consumer to reconnect')
    const again = await connect(`amqp://guest:guest@127.0.0.1:${own.port}`)
    const ach = await again.createChannel()
    ach.sendToQueue(queue, Buffer.from('{"n":2}'), { persistent: true })
    const runs = await expectRuns(ctx, workflowId, 2, 200)
    expect(contents(runs)).toEqual([{ n: 1 }, { n: 2 }])
    await again.close()
  }, 120_000)
  it('refuses a trigger without a credential, naming the field', async () => {
    const graph = chain({ id: 'trigger', name: 'Trigger', type: 'rabbitmq-trigger', params: { queue: '' } }, node.set('s', { seen: true }))
    const res = await call(workflows.POST, { method: 'POST', headers: ctx.a.headers, body: { name: 'No credential', graph, active: true } })
    expect(res.status).toBe(400)
    expect(res.json.error.fields).toHaveProperty(['nodes.trigger.params.credential'])
  })
})
