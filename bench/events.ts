// Events: published → subscriber run started, at a target rate (EVENTS_BENCH_RATE, default 1,000 events/s) for
// EVENTS_BENCH_SECONDS (default 10), with at most EVENTS_BENCH_MAX_INFLIGHT publish calls at once. This process
// publishes through the events service (the path POST /api/events takes: the registration look-up and one statement
// inserting the event, its delivery and the subscriber's queued run, each shared by the calls arriving together;
// then the run's job), one event per call, to one subscriber (Event trigger → No-op); a real worker process
// (workers/worker.ts) runs the subscriber. A warm-up at the same rate (EVENTS_BENCH_WARMUP_SECONDS, default 3) comes
// first; its p99 is reported on its own row.
// Latency = the run's startedAt − the event's publishedAt, both PostgreSQL's clock (publishedAt is the insert), so
// the time a call waited in the publisher is reported apart (committed − scheduled). Also counted: deliveries lost
// (an event without a delivered delivery and its run) and duplicated (more deliveries than events, a delivery with
// more than one run, more runs than events). On a 2-core machine the publisher, the worker, PostgreSQL and Redis
// share the same cores. EVENTS_BENCH_DEBUG=1 prints the latencies per second; EVENTS_BENCH_CPU_PROFILE=<dir> writes the
// worker's CPU profile there.
import { performance } from 'node:perf_hooks'
import { createRedis, redisConnection } from '../lib/redis'
import { createEventDeliveryQueue } from '../lib/queue/events'
import { createExecutionQueue } from '../lib/queue'
import { createRealtimeEmitter } from '../lib/realtime/emitter'
import { env as appEnv } from '../lib/env'
import { publishEvents } from '../lib/services/events'
import { eventTriggerParams } from '../lib/nodes/event-trigger/definition'
import { benchStack, processEnv } from './queue'
import { cpuProfileFlags, startProcess, stopProcess, WORKER_READY } from './processes'
import type { BenchRow } from './types'
import { pct } from './stats'

const RATE = Number(process.env.EVENTS_BENCH_RATE ?? 1000)
const SECONDS = Number(process.env.EVENTS_BENCH_SECONDS ?? 10)
/** How long to wait for the backlog after the last publish. */
const DRAIN_S = Number(process.env.EVENTS_BENCH_DRAIN_SECONDS ?? 25)
/** Publish calls in flight at most (a web process's pool would queue the rest too). */
const MAX_INFLIGHT = Number(process.env.EVENTS_BENCH_MAX_INFLIGHT ?? 200)
const TICK_MS = 10
/** Seconds at the target rate before the measured ones (0: none). */
const WARMUP_S = Number(process.env.EVENTS_BENCH_WARMUP_SECONDS ?? 3)


export default async function bench(): Promise<BenchRow[]> {
  const stack = await benchStack('events')
  const env = processEnv(stack, { AUTERITY_WORKER_CONCURRENCY: process.env.EVENTS_BENCH_WORKER_CONCURRENCY ?? '100' })
  const worker = await startProcess(['workers/worker.ts'], env, WORKER_READY, cpuProfileFlags(process.env.EVENTS_BENCH_CPU_PROFILE))
  // What the web process publishes with (lib/services/events-web.ts): the execution producer with the default
  // fairness burst, the realtime emitter, the delivery producer.
  const queue = createEventDeliveryQueue({ connection: redisConnection(stack.redisUrl), prefix: stack.prefix })
  const runQueue = createExecutionQueue({ connection: redisConnection(stack.redisUrl), prefix: stack.prefix, fairBurst: appEnv().fairness.burst })
  const redis = createRedis(stack.redisUrl)
  const runs = { queue: runQueue, emitter: createRealtimeEmitter(redis) }
  const deps = { prisma: stack.prisma, deliveries: queue, runs: () => runs, sandbox: () => { throw new Error('no sandbox: the bench filter has no conditions') } }
  try {
    const wf = await stack.prisma.workflow.create({ data: { tenantId: stack.tenantId, name: 'Event subscriber', active: true, publishedVersion: 1 } })
    const graph = {
      nodes: [
        { id: 'on', type: 'event-trigger', name: 'On event', params: { eventName: 'bench.tick' } },
        { id: 'noop', type: 'no-op', name: 'No-op', params: {} },
      ],
      edges: [{ source: 'on', target: 'noop' }],
      notes: [],
    }
    const version = await stack.prisma.workflowVersion.create({ data: { tenantId: stack.tenantId, workflowId: wf.id, number: 1, graph } })
    await stack.prisma.triggerRegistration.create({
      data: {
        tenantId: stack.tenantId, workflowId: wf.id, nodeId: 'on', kind: 'event', nodeType: 'event-trigger', key: 'bench.tick',
        config: eventTriggerParams.parse({ eventName: 'bench.tick' }) as object, versionId: version.id, versionNumber: 1,
      },
    })
    const publish = (n: number) => publishEvents(deps, stack.tenantId, null, [{ name: 'bench.tick', payload: { n } }])

    // Every tick publishes what the schedule says is due, up to MAX_INFLIGHT calls at once: a machine slower than the
    // target falls behind the schedule (reported) instead of piling up unbounded work; publishing stops at `seconds`.
    const drive = async (seconds: number, first: number) => {
      const inflight = new Set<Promise<unknown>>()
      const lag: number[] = []
      let sent = 0
      let failed = 0
      const t0 = performance.now()
      for (let elapsed = 0; elapsed < seconds * 1000; elapsed = performance.now() - t0) {
        const due = Math.floor((elapsed / 1000) * RATE)
        for (; sent < due && inflight.size < MAX_INFLIGHT; sent++) {
          const scheduled = t0 + (sent / RATE) * 1000
          const p = publish(first + sent).then(() => void lag.push(performance.now() - scheduled), () => void failed++)
          inflight.add(p)
          void p.finally(() => inflight.delete(p))
        }
        await new Promise((r) => setTimeout(r, TICK_MS))
      }
      await Promise.all(inflight)
      return { lag: lag.sort((x, y) => x - y), sent, failed, seconds: (performance.now() - t0) / 1000 }
    }

    // Warm-up at the target rate (pools filled, JIT, the worker's first runs): a cold worker needs a few seconds to
    // keep up (its first second's runs start up to 2-3 s late), reported apart from the steady state measured next.
    const warm = WARMUP_S > 0 ? await drive(WARMUP_S, -1_000_000) : undefined
    const warmDrained = warm ? await waitDelivered(stack.prisma, warm.sent - warm.failed, DRAIN_S * 1000) : true
    const [warmP99] = warm
      ? await stack.prisma.$queryRawUnsafe<{ ms: number }[]>(
          `SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (x."startedAt" - ev."publishedAt")) * 1000) AS ms
           FROM "EventDelivery" d JOIN "Event" ev ON ev."id" = d."eventId" JOIN "Execution" x ON x."id" = d."executionIds"[1]`,
        )
      : [{ ms: NaN }]
    await stack.prisma.$executeRawUnsafe(`DELETE FROM "Event"`)
    await stack.prisma.$executeRawUnsafe(`DELETE FROM "Execution"`)

    const { lag, sent, failed, seconds: publishSeconds } = await drive(SECONDS, 0)
    const published = sent - failed
    const drained = await waitDelivered(stack.prisma, published, DRAIN_S * 1000)

    const rows = await stack.prisma.$queryRawUnsafe<{ ms: number }[]>(
      `SELECT EXTRACT(EPOCH FROM (x."startedAt" - ev."publishedAt")) * 1000 AS ms
       FROM "EventDelivery" d JOIN "Event" ev ON ev."id" = d."eventId" JOIN "Execution" x ON x."id" = d."executionIds"[1]
       WHERE x."startedAt" IS NOT NULL`,
    )
    if (process.env.EVENTS_BENCH_DEBUG) {
      // Per second of publishing: how many events, and their latencies.
      const perSecond = await stack.prisma.$queryRawUnsafe<{ s: number; n: bigint; p50: number; p99: number }[]>(
        `SELECT s, count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
         FROM (SELECT floor(EXTRACT(EPOCH FROM ev."publishedAt" - min(ev."publishedAt") OVER ())) AS s,
                 EXTRACT(EPOCH FROM (x."startedAt" - ev."publishedAt")) * 1000 AS ms
               FROM "EventDelivery" d JOIN "Event" ev ON ev."id" = d."eventId" JOIN "Execution" x ON x."id" = d."executionIds"[1]) q
         GROUP BY s ORDER BY s`,
      )
      console.table(perSecond.map((r) => ({ second: Number(r.s), events: Number(r.n), p50: Math.round(r.p50), p99: Math.round(r.p99) })))
    }
    const latencies = rows.map((r) => Number(r.ms)).sort((a, b) => a - b)
    const [{ events, lost, extraDeliveries, multi, runs }] = await stack.prisma.$queryRawUnsafe<{ events: bigint; lost: bigint; extraDeliveries: bigint; multi: bigint; runs: bigint }[]>(
      `SELECT (SELECT count(*) FROM "Event") AS events,
              (SELECT count(*) FROM "Event" ev WHERE NOT EXISTS (
                 SELECT 1 FROM "EventDelivery" d WHERE d."eventId" = ev."id" AND d."status" = 'delivered' AND cardinality(d."executionIds") > 0)) AS lost,
              (SELECT count(*) FROM "EventDelivery") - (SELECT count(*) FROM "Event") AS "extraDeliveries",
              (SELECT count(*) FROM "EventDelivery" WHERE cardinality("executionIds") > 1) AS multi,
              (SELECT count(*) FROM "Execution" WHERE "mode" = 'event') AS runs`,
    )
    const duplicated = Math.max(0, Number(extraDeliveries)) + Number(multi) + Math.max(0, Number(runs) - Number(events))
    const achieved = published / publishSeconds
    const p99 = pct(latencies, 99)
    const note = `target ${RATE}/s for ${SECONDS} s (${RATE * SECONDS} events); ${published} published (${failed} publish calls failed) in ${publishSeconds.toFixed(1)} s; ${drained ? 'all delivered' : `not all delivered within ${DRAIN_S} s of the last publish`}`
    return [
      { name: 'events published per second (open loop, one event per call)', value: achieved, unit: 'events/s', bar: `>= ${RATE}/s`, pass: achieved >= RATE * 0.95, notes: note },
      { name: 'publish call committed − its scheduled time, p50', value: pct(lag, 50), unit: 'ms', notes: 'how far the publisher fell behind the target schedule' },
      { name: 'publish call committed − its scheduled time, p99', value: pct(lag, 99), unit: 'ms' },
      { name: 'published → subscriber run started, p50', value: pct(latencies, 50), unit: 'ms' },
      { name: 'published → subscriber run started, p99', value: p99, unit: 'ms', notes: note },
      { name: 'published → subscriber run started, max', value: latencies.at(-1) ?? NaN, unit: 'ms' },
      {
        name: 'published → subscriber run started, p99 of the warm-up', value: Number(warmP99.ms), unit: 'ms',
        notes: `the first ${WARMUP_S} s at ${RATE}/s, a cold worker and pools (not in the figures above)${warmDrained ? '' : '; not all delivered'}`,
      },
      { name: 'deliveries lost', value: Number(lost), unit: 'deliveries', bar: '0', pass: Number(lost) === 0 },
      { name: 'deliveries duplicated (runs beyond one per event)', value: duplicated, unit: 'runs', bar: '0', pass: duplicated === 0 },
    ]
  } finally {
    await queue.close()
    await runQueue.close()
    redis.disconnect()
    await stopProcess(worker)
    await stack.drop()
  }
}

async function waitDelivered(prisma: Awaited<ReturnType<typeof benchStack>>['prisma'], n: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    const done = await prisma.eventDelivery.count({ where: { status: 'delivered' } })
    if (done >= n) return true
    await new Promise((r) => setTimeout(r, 250))
  }
  return false
}
