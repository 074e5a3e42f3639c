// The event bus with a real worker: Publish Event steps and POST /api/events deliver to active Event triggers whose
// filters pass; publishing queues the first attempt's run; failed runs are retried then dead-lettered; replay and
// discard through the API; tenants apart; an attempt starts one run however often its job is delivered; lost jobs
// are recovered (a run's by the reconciler, a retry's by the event bus's recovery pass).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { startTestWorker } from '../../helpers/worker'
import { call, chain, node, waitFor, waitForStatus, type NodeSpec } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as deactivate from '../../../app/api/workflows/[id]/deactivate/route'
import * as events from '../../../app/api/events/route'
import * as eventDetail from '../../../app/api/events/[id]/route'
import * as deliveries from '../../../app/api/events/deliveries/route'
import * as replay from '../../../app/api/events/deliveries/[id]/replay/route'
import * as discard from '../../../app/api/events/deliveries/[id]/discard/route'
import * as cancel from '../../../app/api/executions/[id]/cancel/route'
import { closeAppServices } from '../../../lib/services/app'
import { closeWebEventBus } from '../../../lib/services/events-web'
import { publishEvents } from '../../../lib/services/events'
import type { DeliveryJob } from '../../../lib/queue/events'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant
let worker: RunningWorker
const GRACE_MS = 300
const MAX_DEPTH = 2

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma)
  b = await seedTenant(t.db.prisma, { name: 'Other' })
  worker = await startTestWorker(t, {
    events: { recoverEveryMs: 0, graceMs: GRACE_MS, maxDepth: MAX_DEPTH },
    // Passes only when a test asks (runOnce): a run whose job was lost at publish is the reconciler's.
    reconciler: { intervalMs: 3_600_000, queuedAfterMs: GRACE_MS, lookbackHours: 1, maxDeliveries: 10 },
  })
})
afterAll(async () => {
  await worker?.close()
  await closeWebEventBus()
  await closeAppServices()
  await t?.teardown()
})

const onEvent = (eventName: string, extra: Record<string, unknown> = {}): NodeSpec => ({
  id: 'on', type: 'event-trigger', name: 'On event', params: { eventName, retryDelaySeconds: 0, ...extra },
})
const fail = (): NodeSpec => ({ id: 'boom', type: 'stop-and-error', name: 'Boom', params: { message: 'poisoned' } })

async function createActive(tenant: SeededTenant, name: string, ...nodes: NodeSpec[]): Promise<string> {
  const res = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name, graph: chain(...nodes), active: true } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

async function publish(tenant: SeededTenant, name: string, payload: unknown) {
  const res = await call(events.POST, { method: 'POST', headers: tenant.headers, body: { name, payload } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json as { eventId: string; subscribers: number }
}

const runsOf = (workflowId: string) => t.db.prisma.execution.findMany({ where: { workflowId }, orderBy: { createdAt: 'asc' } })
const deliveriesOf = (eventId: string) => t.db.prisma.eventDelivery.findMany({ where: { eventId }, orderBy: { createdAt: 'asc' } })

async function settledDelivery(eventId: string, status: string) {
  return waitFor(`a ${status} delivery of ${eventId}`, async () => (await deliveriesOf(eventId)).find((d) => d.status === status))
}

/** Publishes with queues that drop the jobs: the events, deliveries and queued runs are written, no job reaches the worker. */
function publishWithoutJobs(tenantId: string, name: string, payload: unknown) {
  const runs = { queue: { enqueue: async () => {} }, emitter: { executionUpdated() {} } }
  return publishEvents({ prisma: t.db.prisma, deliveries: { enqueue: async () => {} }, runs: () => runs, sandbox: () => { throw new Error('unused') } }, tenantId, null, [{ name, payload }])
}

/** The first attempt's run (queued at publish, its job dropped) failed: the delivery waits for attempt 2. */
async function firstAttemptFailed(deliveryId: string) {
  const d = await t.db.prisma.eventDelivery.findUniqueOrThrow({ where: { id: deliveryId } })
  expect(d).toMatchObject({ status: 'running', attempts: 1, executionIds: [d.currentExecutionId] })
  await t.db.prisma.execution.update({ where: { id: d.currentExecutionId! }, data: { status: 'failed', finishedAt: new Date() } })
  await t.db.prisma.eventDelivery.update({
    where: { id: deliveryId },
    data: { status: 'pending', nextAttemptAt: new Date(), lastError: { name: 'NodeError', message: 'first attempt failed' } },
  })
}

describe('event bus', () => {
  it('a Publish Event step starts the subscriber with the payload, and the event records who got it', async () => {
    const subscriber = await createActive(a, 'Subscriber', onEvent('order.paid'), node.set('s', { seen: '{{ $json.payload.order }}' }))
    const created = await call(workflows.POST, {
      method: 'POST', headers: a.headers,
      body: { name: 'Publisher', graph: chain(node.manual(), { id: 'pub', type: 'publish-event', name: 'Publish', params: { name: 'order.paid', payload: { order: '{{ $json.order }}' } } }) },
    })
    const publisher = created.json.id as string
    const started = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: publisher }, body: { input: [{ order: 7 }] } })
    expect(started.status, JSON.stringify(started.json)).toBeLessThan(300)
    const source = started.json.executionId as string
    await waitForStatus(t.db.prisma, source, ['succeeded'])
    const [subRun] = await waitFor('the subscriber run', async () => ((await runsOf(subscriber)).length ? runsOf(subscriber) : null))
    const done = await waitForStatus(t.db.prisma, subRun.id, ['succeeded'])
    expect(done).toMatchObject({ mode: 'event', startNodeId: 'on' })
    const input = (done.input as any[])[0]
    expect(input).toMatchObject({ event: { name: 'order.paid', source: { executionId: source, workflowId: publisher } }, payload: { order: 7 } })
    const eventRow = await t.db.prisma.event.findUniqueOrThrow({ where: { id: input.event.id } })
    expect(input.event.publishedAt).toBe(eventRow.publishedAt.toISOString())
    expect(Math.abs(eventRow.publishedAt.getTime() - Date.now())).toBeLessThan(60_000)
    const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: subRun.id, nodeId: 's' } })
    expect(step.output).toEqual({ main: [expect.objectContaining({ seen: 7 })] })

    // The publishing step's output, and the event's record: published → delivered to whom → which runs.
    const pubStep = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: source, nodeId: 'pub' } })
    expect(pubStep.output).toEqual({ main: [{ order: 7, eventId: input.event.id, subscribers: 1 }] })
    await settledDelivery(input.event.id, 'delivered')
    const detail = await call(eventDetail.GET, { headers: a.headers, params: { id: input.event.id } })
    expect(detail.json).toMatchObject({
      name: 'order.paid', payload: { order: 7 }, sourceExecutionId: source, sourceWorkflowName: 'Publisher',
      deliveries: [{ workflowId: subscriber, workflowName: 'Subscriber', status: 'delivered', attempts: 1, runs: [{ id: subRun.id, status: 'succeeded' }] }],
    })
    const list = await call(events.GET, { headers: a.headers, url: '/api/events?name=order.paid' })
    expect(list.json.events[0]).toMatchObject({ id: input.event.id, deliveries: { delivered: 1 } })
    await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id: subscriber } })
  })

  it('a filter excludes events; two subscribers get one delivery and one run each', async () => {
    const big = await createActive(a, 'Big', onEvent('invoice.sent', { conditions: [{ left: '{{ $json.total }}', operator: 'gte', right: 100 }] }), node.set('s', { x: 1 }))
    const all = await createActive(a, 'All', onEvent('invoice.sent'), node.set('s', { x: 1 }))
    const small = await publish(a, 'invoice.sent', { total: 40 })
    expect(small.subscribers).toBe(1)
    const large = await publish(a, 'invoice.sent', { total: 400 })
    expect(large.subscribers).toBe(2)
    await waitFor('both deliveries of the large event', async () => (await deliveriesOf(large.eventId)).every((d) => d.status === 'delivered'))
    await settledDelivery(small.eventId, 'delivered')
    expect((await deliveriesOf(small.eventId)).map((d) => d.workflowId)).toEqual([all])
    expect((await deliveriesOf(large.eventId)).map((d) => d.workflowId).sort()).toEqual([all, big].sort())
    expect(await runsOf(big)).toHaveLength(1)
    expect(await runsOf(all)).toHaveLength(2)
    for (const id of [big, all]) await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id } })
  })

  it('a poisoned subscriber runs maxAttempts times, then the delivery is dead; replay starts a new cycle; discard ends it', async () => {
    const poisoned = await createActive(a, 'Poisoned', onEvent('poison', { maxAttempts: 3 }), fail())
    const { eventId, subscribers } = await publish(a, 'poison', { n: 1 })
    expect(subscribers).toBe(1)
    const dead = await settledDelivery(eventId, 'dead')
    expect(dead).toMatchObject({ attempts: 3, lastError: expect.objectContaining({ message: expect.stringContaining('poisoned') }) })
    expect(dead.executionIds).toHaveLength(3)
    await new Promise((r) => setTimeout(r, 500))
    const runs = await runsOf(poisoned)
    expect(runs.map((r) => r.status)).toEqual(['failed', 'failed', 'failed'])

    const letters = await call(deliveries.GET, { headers: a.headers, url: '/api/events/deliveries?status=dead' })
    expect(letters.json.deliveries).toEqual([expect.objectContaining({ id: dead.id, eventName: 'poison', workflowName: 'Poisoned', attempts: 3 })])

    // A viewer cannot replay.
    const viewer = await seedTenant(t.db.prisma, { role: 'viewer' })
    expect((await call(replay.POST, { method: 'POST', headers: viewer.headers, params: { id: dead.id } })).status).toBe(403)
    const replayed = await call(replay.POST, { method: 'POST', headers: a.headers, params: { id: dead.id } })
    expect(replayed.status).toBe(202)
    const deadAgain = await waitFor('the replayed cycle to die', async () => {
      const d = await t.db.prisma.eventDelivery.findUniqueOrThrow({ where: { id: dead.id } })
      return d.status === 'dead' && d.replays >= 1 ? d : null
    })
    expect(deadAgain.executionIds.length).toBeGreaterThanOrEqual(6)
    expect(await runsOf(poisoned)).toHaveLength(deadAgain.executionIds.length)

    const discarded = await call(discard.POST, { method: 'POST', headers: a.headers, params: { id: dead.id } })
    expect(discarded).toMatchObject({ status: 200, json: { status: 'discarded' } })
    const twice = await call(discard.POST, { method: 'POST', headers: a.headers, params: { id: dead.id } })
    expect(twice).toMatchObject({ status: 409, json: { error: { code: 'CONFLICT' } } })
    expect((await call(discard.POST, { method: 'POST', headers: a.headers, params: { id: 'nope' } })).status).toBe(404)
    await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id: poisoned } })
  })

  it('a subscriber run canceled while it runs moves its delivery on at once (here: dead after its one attempt)', async () => {
    const slow = await createActive(a, 'Slow', onEvent('slow', { maxAttempts: 1 }), node.wait('w', 20_000))
    const { eventId } = await publish(a, 'slow', {})
    const [d] = await deliveriesOf(eventId)
    await waitForStatus(t.db.prisma, d.currentExecutionId!, ['running'])
    const canceled = await call(cancel.POST, { method: 'POST', headers: a.headers, params: { id: d.currentExecutionId! } })
    expect(canceled.status).toBe(202)
    // The recovery pass is off in this suite: only the worker that ran it can have moved the delivery.
    const dead = await settledDelivery(eventId, 'dead')
    expect(dead.lastError).toMatchObject({ executionId: d.currentExecutionId, attempt: 1 })
    expect((await t.db.prisma.execution.findUniqueOrThrow({ where: { id: d.currentExecutionId! } })).status).toBe('canceled')
    await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id: slow } })
  })

  it('an inactive subscriber receives nothing; one deactivated before a retry gets no more runs, and the delivery says why', async () => {
    const sub = await createActive(a, 'Later off', onEvent('late'), node.set('s', { x: 1 }))
    const [queued] = await publishWithoutJobs(a.tenantId, 'late', {})
    expect(queued.subscribers).toBe(1)
    const [d] = await deliveriesOf(queued.eventId)
    await firstAttemptFailed(d.id)
    await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id: sub } })
    await worker.events.deliver({ deliveryId: d.id, replays: 0, attempt: 2 })
    expect(await t.db.prisma.eventDelivery.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      status: 'discarded', attempts: 2, executionIds: [d.currentExecutionId], lastError: { name: 'SubscriberInactive' },
    })
    expect(await publish(a, 'late', {})).toMatchObject({ subscribers: 0 })
    expect(await runsOf(sub)).toHaveLength(1)
  })

  it('tenants never see or receive each other\'s events', async () => {
    const mine = await createActive(a, 'Mine', onEvent('shared.name'), node.set('s', { x: 1 }))
    const theirs = await createActive(b, 'Theirs', onEvent('shared.name'), node.set('s', { x: 1 }))
    const { eventId, subscribers } = await publish(a, 'shared.name', { secret: 1 })
    expect(subscribers).toBe(1)
    await settledDelivery(eventId, 'delivered')
    expect(await runsOf(theirs)).toHaveLength(0)
    expect(await runsOf(mine)).toHaveLength(1)
    const [d] = await deliveriesOf(eventId)
    expect((await call(eventDetail.GET, { headers: b.headers, params: { id: eventId } })).status).toBe(404)
    expect((await call(events.GET, { headers: b.headers })).json.events).toEqual([])
    expect((await call(deliveries.GET, { headers: b.headers, url: '/api/events/deliveries?status=delivered' })).json.deliveries).toEqual([])
    expect((await call(discard.POST, { method: 'POST', headers: b.headers, params: { id: d.id } })).status).toBe(404)
    expect((await call(replay.POST, { method: 'POST', headers: b.headers, params: { id: d.id } })).status).toBe(404)
    // Only dead or discarded deliveries are replayed.
    expect(await call(replay.POST, { method: 'POST', headers: a.headers, params: { id: d.id } })).toMatchObject({ status: 409, json: { error: { details: { status: 'delivered' } } } })
    for (const [tenant, id] of [[a, mine], [b, theirs]] as const) await call(deactivate.POST, { method: 'POST', headers: tenant.headers, params: { id } })
  })

  it('publishing is the first attempt: the run is queued with the delivery, and the reconciler starts it if its job is lost', async () => {
    const sub = await createActive(a, 'Lost at publish', onEvent('lost.job'), node.set('s', { x: 1 }))
    const [e] = await publishWithoutJobs(a.tenantId, 'lost.job', { n: 1 })
    const [d] = await deliveriesOf(e.eventId)
    expect(d).toMatchObject({ status: 'running', attempts: 1, executionIds: [d.currentExecutionId] })
    const queued = await t.db.prisma.execution.findUniqueOrThrow({ where: { id: d.currentExecutionId! } })
    expect(queued).toMatchObject({ status: 'queued', mode: 'event', workflowId: sub, startNodeId: 'on' })
    expect((queued.input as any[])[0]).toMatchObject({ event: { id: e.eventId, name: 'lost.job', source: { executionId: null } }, payload: { n: 1 } })
    await new Promise((r) => setTimeout(r, GRACE_MS + 100))
    expect((await worker.reconciler!.runOnce()).requeued).toContain(queued.id)
    await settledDelivery(e.eventId, 'delivered')
    expect(await runsOf(sub)).toHaveLength(1)
    await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id: sub } })
  })

  it('publish calls arriving together share statements, yet each event gets its own deliveries and runs; a dedupe key publishes once', async () => {
    const big = await createActive(a, 'Many big', onEvent('many', { conditions: [{ left: '{{ $json.n }}', operator: 'gte', right: 100 }] }), node.set('s', { x: 1 }))
    const all = await createActive(a, 'Many all', onEvent('many'), node.set('s', { x: 1 }))
    const theirs = await createActive(b, 'Many theirs', onEvent('many'), node.set('s', { x: 1 }))
    const sent = Array.from({ length: 300 }, (_, n) => ({ tenant: n % 3 === 0 ? b : a, n }))
    const results = await Promise.all(sent.map(({ tenant, n }) => publishWithoutJobs(tenant.tenantId, 'many', { n })))
    const expected = sent.map(({ tenant, n }) => (tenant === b ? [theirs] : n >= 100 ? [big, all] : [all]))
    expect(results.map(([r]) => r.subscribers)).toEqual(expected.map((w) => w.length))
    const ids = results.map(([r]) => r.eventId)
    expect(new Set(ids).size).toBe(300)
    const events = await t.db.prisma.event.findMany({ where: { id: { in: ids } }, include: { deliveries: true } })
    const runs = new Map((await t.db.prisma.execution.findMany({ where: { workflowId: { in: [big, all, theirs] } } })).map((r) => [r.id, r]))
    for (const [i, { tenant, n }] of sent.entries()) {
      const e = events.find((x) => x.id === ids[i])!
      expect(e).toMatchObject({ tenantId: tenant.tenantId, payload: { n } })
      expect(e.deliveries.map((d) => d.workflowId).sort()).toEqual([...expected[i]].sort())
      for (const d of e.deliveries) {
        const run = runs.get(d.currentExecutionId!)!
        expect(run).toMatchObject({ tenantId: tenant.tenantId, workflowId: d.workflowId, status: 'queued', mode: 'event' })
        expect((run.input as any[])[0]).toMatchObject({ event: { id: e.id, publishedAt: e.publishedAt.toISOString() }, payload: { n } })
      }
    }
    expect(runs.size).toBe(expected.flat().length)

    // The same key in calls racing each other, and twice in one call: one event each, every caller told its id.
    const deps = { prisma: t.db.prisma, deliveries: { enqueue: async () => {} }, runs: () => ({ queue: { enqueue: async () => {} }, emitter: { executionUpdated() {} } }), sandbox: () => { throw new Error('unused') } }
    const racing = await Promise.all(Array.from({ length: 8 }, () =>
      publishEvents(deps, a.tenantId, null, [{ name: 'many', payload: { n: 1 }, dedupeKey: 'k1' }, { name: 'many', payload: { n: 2 }, dedupeKey: 'k2' }])))
    const twice = await publishEvents(deps, a.tenantId, null, [{ name: 'many', payload: { n: 3 }, dedupeKey: 'k3' }, { name: 'many', payload: { n: 4 }, dedupeKey: 'k3' }])
    expect(new Set(racing.map((r) => r[0].eventId)).size).toBe(1)
    expect(new Set(racing.map((r) => r[1].eventId)).size).toBe(1)
    expect(racing.every((r) => r[0].subscribers === 1 && r[1].subscribers === 1)).toBe(true)
    expect(twice[0]).toEqual(twice[1])
    const keyed = await t.db.prisma.event.findMany({ where: { tenantId: a.tenantId, dedupeKey: { in: ['k1', 'k2', 'k3'] } }, include: { deliveries: true } })
    expect(keyed.map((e) => [e.dedupeKey, e.deliveries.length]).sort()).toEqual([['k1', 1], ['k2', 1], ['k3', 1]])
    expect(keyed.find((e) => e.dedupeKey === 'k3')!.payload).toEqual({ n: 3 })
    // Another tenant's key is its own.
    const [mine] = await publishEvents(deps, b.tenantId, null, [{ name: 'many', payload: {}, dedupeKey: 'k1' }])
    expect(mine.eventId).not.toBe(racing[0][0].eventId)

    for (const [tenant, id] of [[a, big], [a, all], [b, theirs]] as const) await call(deactivate.POST, { method: 'POST', headers: tenant.headers, params: { id } })
    // The runs whose jobs were dropped: not for the reconciler pass of a later test.
    await t.db.prisma.execution.updateMany({ where: { workflowId: { in: [big, all, theirs] }, status: 'queued' }, data: { status: 'canceled', finishedAt: new Date() } })
  })

  it('a retry starts one run however often its job is delivered, at once or later', async () => {
    const sub = await createActive(a, 'Once', onEvent('once'), node.set('s', { x: 1 }))
    const [e] = await publishWithoutJobs(a.tenantId, 'once', {})
    const [d] = await deliveriesOf(e.eventId)
    await firstAttemptFailed(d.id)
    const job: DeliveryJob = { deliveryId: d.id, replays: 0, attempt: 2 }
    await Promise.all([worker.events.deliver(job), worker.events.deliver(job), worker.events.deliver(job)])
    await settledDelivery(e.eventId, 'delivered')
    await worker.events.deliver(job)
    // An attempt of another cycle or a later attempt does not claim it either; nor does the first attempt again.
    await worker.events.deliver({ ...job, attempt: 3 })
    await worker.events.deliver({ ...job, attempt: 1 })
    await worker.events.deliver({ ...job, replays: 1 })
    await new Promise((r) => setTimeout(r, 300))
    const runs = await runsOf(sub)
    expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded'])
    expect((await t.db.prisma.eventDelivery.findUniqueOrThrow({ where: { id: d.id } })).executionIds).toEqual(runs.map((r) => r.id))
    await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id: sub } })
  })

  it('recovers a lost retry job, a claim whose worker died before the run, and a run whose end was not seen', async () => {
    const sub = await createActive(a, 'Recovered', onEvent('lost'), node.set('s', { x: 1 }))
    const [lost] = await publishWithoutJobs(a.tenantId, 'lost', { n: 1 })
    const [orphan] = await publishWithoutJobs(a.tenantId, 'lost', { n: 2 })
    const [l] = await deliveriesOf(lost.eventId)
    const [o] = await deliveriesOf(orphan.eventId)
    await firstAttemptFailed(l.id)
    await firstAttemptFailed(o.id)
    // A claim of attempt 2 whose worker died before starting the run.
    await t.db.prisma.eventDelivery.update({ where: { id: o.id }, data: { status: 'running', attempts: 2, claimedAt: new Date(), currentExecutionId: null } })
    expect(await worker.events.recover()).toMatchObject({ requeued: 0, reclaimed: 0 })
    await new Promise((r) => setTimeout(r, GRACE_MS + 100))
    expect(await worker.events.recover()).toMatchObject({ requeued: 1, reclaimed: 1 })
    await settledDelivery(lost.eventId, 'delivered')
    await settledDelivery(orphan.eventId, 'delivered')
    expect((await runsOf(sub)).map((r) => r.status)).toEqual(['failed', 'failed', 'succeeded', 'succeeded'])

    // A run that ended while its delivery was not told (the worker died between the two).
    const [unseen] = await publishWithoutJobs(a.tenantId, 'lost', { n: 3 })
    const [u] = await deliveriesOf(unseen.eventId)
    const finished = (await runsOf(sub)).find((r) => r.status === 'succeeded')!
    await t.db.prisma.execution.delete({ where: { id: u.currentExecutionId! } })
    await t.db.prisma.eventDelivery.update({ where: { id: u.id }, data: { status: 'running', attempts: 1, claimedAt: new Date(0), currentExecutionId: finished.id, executionIds: [finished.id] } })
    await new Promise((r) => setTimeout(r, GRACE_MS + 100))
    expect((await worker.events.recover()).settled).toBe(1)
    expect(await t.db.prisma.eventDelivery.findUniqueOrThrow({ where: { id: u.id } })).toMatchObject({ status: 'delivered' })
    await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id: sub } })
  })

  it('a workflow that publishes the event it subscribes to stops at the chain limit, with a dead letter saying why', async () => {
    const loop = await createActive(
      a, 'Loop', onEvent('loop', { maxAttempts: 1 }),
      { id: 'pub', type: 'publish-event', name: 'Publish', params: { name: 'loop' } },
    )
    await publish(a, 'loop', { n: 0 })
    const dead = await waitFor('the last link to die', () => t.db.prisma.eventDelivery.findFirst({ where: { workflowId: loop, status: 'dead' } }))
    expect(dead.lastError).toMatchObject({ code: 'EVENT_CHAIN_TOO_DEEP' })
    const chain = await t.db.prisma.event.findMany({ where: { name: 'loop' }, orderBy: { depth: 'asc' } })
    expect(chain.map((e) => e.depth)).toEqual([0, 1, 2])
    await new Promise((r) => setTimeout(r, 300))
    expect(await runsOf(loop)).toHaveLength(MAX_DEPTH + 1)
    await call(deactivate.POST, { method: 'POST', headers: a.headers, params: { id: loop } })
  })

  it('refuses bad input naming the field', async () => {
    const bad = await call(events.POST, { method: 'POST', headers: a.headers, body: { name: 'has space', payload: {} } })
    expect(bad).toMatchObject({ status: 400, json: { error: { fields: { name: expect.any(String) } } } })
    const missing = await call(events.POST, { method: 'POST', headers: a.headers, body: { payload: {} } })
    expect(missing).toMatchObject({ status: 400, json: { error: { fields: { name: expect.any(String) } } } })
    const viewer = await seedTenant(t.db.prisma, { role: 'viewer' })
    expect((await call(events.POST, { method: 'POST', headers: viewer.headers, body: { name: 'x', payload: {} } })).status).toBe(403)
    const filter = await call(workflows.POST, {
      method: 'POST', headers: a.headers,
      body: { name: 'Bad filter', active: true, graph: chain(onEvent('x', { conditions: [{ left: '{{ $node["A"].json.x }}', operator: 'exists' }] }), node.set('s', { x: 1 })) },
    })
    expect(filter.status).toBe(400)
    expect(filter.json.error.fields).toHaveProperty(['graph.nodes.0.params.conditions.0.left'])
  })
})
