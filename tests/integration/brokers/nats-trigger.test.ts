// The NATS JetStream trigger with real worker runtimes: the machine's nats-server (127.0.0.1:4222) for consuming,
// dead letters and a lease left by a worker that died; a nats-server of the test's own to restart.
import { randomBytes } from 'node:crypto'
import { connect, type NatsConnection } from 'nats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedis } from '../../../lib/redis'
import { testRedisUrl } from '../../helpers/db'
import { startOwnNats, type OwnBroker } from '../../helpers/brokers'
import { contents, expectHandover, ghostRegistration, expectRuns, holders, LEASE_MS, useBrokerEnv, waitForStatus } from './support'

const run = randomBytes(4).toString('hex')
const stream = `TEST_NTRIG_${run}`
const subject = `test.ntrig.${run}`
let own: OwnBroker | undefined
let nc: NatsConnection

const ctx = useBrokerEnv(
  () => ({
    local: { kind: 'nats', data: { servers: '127.0.0.1:4222' } },
    own: { kind: 'nats', data: { servers: `nats://127.0.0.1:${own?.port ?? 0}` } },
  }),
  () => ['127.0.0.1'],
)

beforeAll(async () => {
  nc = await connect({ servers: '127.0.0.1:4222' })
  const jsm = await nc.jetstreamManager()
  await jsm.streams.add({ name: stream, subjects: [`${subject}.>`] })
})
afterAll(async () => {
  for (const w of ctx.workers.splice(0)) await w.close()
  const jsm = await nc.jetstreamManager()
  await jsm.streams.delete(stream).catch(() => undefined)
  await nc.close()
  await own?.dispose()
})

const trigger = (params: Record<string, unknown>) => ({ type: 'nats-trigger', params: { credential: 'local', stream, ...params } })
const publish = (subj: string, body: unknown) => nc.jetstream().publish(subj, typeof body === 'string' ? body : JSON.stringify(body))

describe('nats trigger', () => {
  it('waits out the lease of a worker that died, then runs once per message with two workers', async () => {
    const workflowId = await ctx.activate(trigger({ consumer: `orders-${run}`, subject: `${subject}.orders.>` }))
    // A worker that held the consumer and died: its lease stays until it expires.
    const redis = createRedis(testRedisUrl())
    const leaseKey = `${ctx.t.redis.prefix}:broker-lease:${workflowId}:trigger`
    await redis.set(leaseKey, 'a-dead-worker', 'PX', 4 * LEASE_MS)
    for (let i = 0; i < 20; i++) await publish(`${subject}.orders.created`, { n: i })
    const [a, b] = [await ctx.startWorker(), await ctx.startWorker()]
    await new Promise((r) => setTimeout(r, LEASE_MS))
    // Checked while the dead worker's lease is still there: nobody consumes.
    const runsMeanwhile = (await ctx.runs(workflowId)).length
    const heldMeanwhile = holders([a, b], workflowId).length
    expect(await redis.get(leaseKey)).toBe('a-dead-worker')
    expect([runsMeanwhile, heldMeanwhile]).toEqual([0, 0])
    redis.disconnect()
    const runs = await expectRuns(ctx, workflowId, 20)
    expect(contents(runs).map((c) => (c as { n: number }).n).sort((x, y) => x - y)).toEqual([...Array(20).keys()])
    expect((runs[0].input as Record<string, unknown>[])[0]).toMatchObject({ subject: `${subject}.orders.created`, deliveryCount: 1, seq: expect.any(Number) })
    expect(runs.every((r) => r.mode === 'broker' && r.startNodeId === 'trigger')).toBe(true)
    expect(holders([a, b], workflowId).length).toBe(1)
    const info = await (await nc.jetstreamManager()).consumers.info(stream, `orders-${run}`)
    expect(info.num_ack_pending + info.num_pending).toBe(0)
  })

  it('gives up a body that is not JSON at once: terminated and published to the dead-letter subject', async () => {
    const dead = nc.subscribe(`${subject}dead.poison`, { max: 1 })
    const workflowId = await ctx.activate(trigger({ consumer: `poison-${run}`, subject: `${subject}.poison`, deadLetterSubject: `${subject}dead.poison`, maxDeliver: 3 }))
    await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'consuming', 'a consumer')
    await publish(`${subject}.poison`, 'not json {')
    for await (const m of dead) {
      expect(m.string()).toBe('not json {')
      expect(m.headers?.get('Auterity-Dead-Letter')).toContain('not JSON')
      expect(m.headers?.get('Auterity-Original-Subject')).toBe(`${subject}.poison`)
    }
    await new Promise((r) => setTimeout(r, 300))
    expect(await ctx.runs(workflowId)).toHaveLength(0)
    const info = await (await nc.jetstreamManager()).consumers.info(stream, `poison-${run}`)
    expect(info.num_ack_pending + info.num_pending).toBe(0)
  })

  it('retries a stopped server with its error visible, and resumes the durable consumer after it restarts', async () => {
    own = await startOwnNats()
    await own.start()
    const workflowId = await ctx.activate({ type: 'nats-trigger', params: { credential: 'own', stream: 'OWN', consumer: 'studio', subject: 'own.>', createStream: true } })
    await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'consuming', 'a consumer')
    const producer = await connect({ servers: `127.0.0.1:${own.port}` })
    await producer.jetstream().publish('own.a', JSON.stringify({ n: 1 }))
    await expectRuns(ctx, workflowId, 1, 200)
    await producer.close()

    await own.stop()
    const lost = await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'waiting' && /ECONNREFUSED|CONNECTION_REFUSED/.test(s.lastError ?? ''), 'the refused reconnect')
    expect(lost.lastError).toContain(`127.0.0.1:${own.port}`)
    await own.start()
    await waitForStatus(ctx.workers, workflowId, (s) => s.state === 'consuming', 'the consumer to reconnect')
    const again = await connect({ servers: `127.0.0.1:${own.port}` })
    await again.jetstream().publish('own.b', JSON.stringify({ n: 2 }))
    const runs = await expectRuns(ctx, workflowId, 2, 300)
    expect(contents(runs)).toEqual([{ n: 1 }, { n: 2 }])
    await again.close()
  }, 60_000)
  it('leaves a message whose run was not recorded to the next worker: delivered again after ackWait, run once', async () => {
    const item = await expectHandover(ctx, trigger({ consumer: `handover-${run}`, subject: `${subject}.handover`, ackWaitSeconds: 1 }), () =>
      publish(`${subject}.handover`, { n: 'once' }),
    )
    expect(item).toMatchObject({ content: { n: 'once' }, deliveryCount: 2 })
  })
  it('gives up a message whose run cannot start after maxDeliver deliveries, with the reason', async () => {
    const workflowId = await ctx.activate(trigger({ consumer: `anchor-${run}`, subject: `${subject}.anchor` }))
    const dead = nc.subscribe(`${subject}dead.ghost`, { max: 1 })
    const remove = await ghostRegistration(ctx, workflowId, 'nats-trigger', {
      credential: 'local', stream, consumer: `ghost-${run}`, subject: `${subject}.ghost`, createStream: false, ackWaitSeconds: 30, maxDeliver: 3, deadLetterSubject: `${subject}dead.ghost`, content: 'json',
    })
    await waitForStatus(ctx.workers, workflowId, (s) => s.nodeId === 'ghost' && s.state === 'consuming', 'the ghost consumer')
    await publish(`${subject}.ghost`, { n: 1 })
    for await (const m of dead) {
      expect(m.json()).toEqual({ n: 1 })
      expect(m.headers?.get('Auterity-Dead-Letter')).toMatch(/could not start a run: .*\(delivery 3 of 3\)/)
    }
    expect(await ctx.runs(workflowId)).toHaveLength(0)
    await remove()
  })
})
