// Bulk SMS against the fake Twilio: the per-sender rate measured at the fake (also across two senders' worth of
// parallel runs sharing one number, each with its own Redis connection as two workers would have), the recipient
// list cleaned (duplicates, opt-outs, invalid numbers reported), per-recipient retries, and a repeated send under
// the same keys sending nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testRedisUrl } from '../../helpers/db'
import { messagingSigningSecret } from '../../../lib/messaging/host'
import { sendBulk, type BulkProgress, type BulkRequest } from '../../../lib/messaging/sms-bulk'
import { createMessagingHost } from '../../../lib/messaging/store'
import { twilioClient } from '../../../lib/messaging/twilio'
import { createTcpGuard } from '../../../lib/net/tcp-guard'
import { createRedis } from '../../../lib/redis'
import { startFakeTwilioProcess, type FakeTwilioProcess } from './sms-fake-process'
import { createWorkflow, manual, runToEnd, startSmsEnv, twilioCredential, type SmsEnv } from './sms-support'

let env: SmsEnv
let credA: string
/** The fake in a process of its own, where arrival times are measured (sms-fake-process.ts says why). */
let timed: FakeTwilioProcess
let credTimed: string

beforeAll(async () => {
  timed = await startFakeTwilioProcess()
  env = await startSmsEnv()
  credA = await twilioCredential(env, env.a)
  credTimed = await twilioCredential(env, env.a, env.fake.authToken, timed.url)
})
afterAll(async () => {
  timed?.close()
  await env?.close()
})

const numbers = (base: number, n: number) => Array.from({ length: n }, (_, i) => `+1555020${String(base + i).padStart(4, '0')}`)
const client = (baseUrl = env.fake.url) => twilioClient({ accountSid: env.fake.accountSid, authToken: env.fake.authToken, baseUrl }, createTcpGuard({ allowList: ['127.0.0.1'] }))
const runFor = (executionId: string) => env.messaging.forRun({ tenantId: env.a.tenantId, executionId: null, nodeId: executionId })
const bulk = async (over: Partial<BulkRequest> & Pick<BulkRequest, 'from' | 'recipients' | 'keyPrefix'>, baseUrl?: string) =>
  sendBulk(await client(baseUrl), runFor(over.keyPrefix), { body: 'Sale today', ratePerSecond: 50, signal: new AbortController().signal, retryDelayMs: 10, ...over })

/**
 * The mean rate of the messages the timed fake got from `from`, from the second on (a bulk send's first message goes
 * alone: its time includes loading what the first send needs), and the smallest gap between two messages.
 */
async function measured(from: string) {
  const received = (await timed.messages()).filter((m) => m.from === from).sort((x, y) => x.receivedAt - y.receivedAt)
  const at = received.map((m) => m.receivedAt)
  const gaps = at.slice(1).map((t, i) => t - at[i])
  // The most messages in any one second: a send woken late on a busy machine can land close to the next one, so a
  // window may hold one more than the rate, never two more.
  const busiestSecond = Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + 1000).length))
  return { count: at.length, rate: (at.length - 2) / ((at.at(-1)! - at[1]) / 1000), minGap: Math.min(...gaps), busiestSecond, to: received.map((m) => m.to) }
}

describe('Bulk SMS', () => {
  let attempt = 0
  it('holds 5 messages a second from one sender for 15 recipients (measured at Twilio)', async () => {
    // A sender of its own per attempt: CI retries a failed test once, and the first attempt's messages stay at the fake.
    const from = `+1555019${String(1 + 10 * attempt++).padStart(4, '0')}`
    const wf = await createWorkflow(env.a, [manual(), {
      id: 'bulk', type: 'twilio-bulk-sms', name: 'Bulk', params: { credential: credTimed, from, recipients: '{{ $json.phones }}', body: 'Hi', ratePerSecond: 5 },
    }])
    const run = await runToEnd(env, env.a, wf, [{ phones: numbers(0, 15) }])
    expect(run.execution.status, JSON.stringify(run.step('bulk')?.error)).toBe('succeeded')
    expect((run.step('bulk')!.output as any).main).toEqual([{ total: 15, sent: 15, skipped: 0, failed: 0, duplicates: 0 }])
    const m = await measured(from)
    expect(m.count).toBe(15)
    expect(m.rate).toBeLessThanOrEqual(5.2)
    expect(m.rate).toBeGreaterThanOrEqual(4)
    // Each send starts a full gap after the one before; what remains is this busy machine's send-path jitter.
    expect(m.busiestSecond).toBeLessThanOrEqual(6)
  })

  it('holds the rate for two bulk sends in parallel on the same sender, each through its own Redis connection', async () => {
    const from = '+15550190002'
    const redis2 = createRedis(testRedisUrl())
    try {
      const second = createMessagingHost({ prisma: env.t.db.prisma, redis: redis2, publicUrl: env.hooks.url, signingSecret: messagingSigningSecret(), keyPrefix: env.t.redis.prefix })
      const [x, y] = await Promise.all([
        bulk({ from, recipients: numbers(100, 8), keyPrefix: 'par-x', ratePerSecond: 5 }, timed.url),
        sendBulk(await client(timed.url), second.forRun({ tenantId: env.a.tenantId, executionId: null }), { from, body: 'Sale', recipients: numbers(200, 8), keyPrefix: 'par-y', ratePerSecond: 5, signal: new AbortController().signal }),
      ])
      expect([x.sent, y.sent]).toEqual([8, 8])
      const m = await measured(from)
      expect(m.count).toBe(16)
      expect(m.rate).toBeLessThanOrEqual(5.2)
      expect(m.rate).toBeGreaterThanOrEqual(4)
      // Between the two calls only the shared slots space the sends: they hold the combined mean rate, while one
      // call's send woken late on a busy machine may land close to the other's next (each call paces its own).
      // Interleaved, not one after the other.
      const order = m.to.map((to) => (numbers(100, 8).includes(to) ? 'x' : 'y')).join('')
      expect(order).not.toMatch(/^(x{8}y{8}|y{8}x{8})$/)
    } finally {
      redis2.disconnect()
    }
  })

  it('sends each number once, skips opt-outs and reports duplicates and invalid numbers', async () => {
    const from = '+15550190003'
    const [p, q, optedOut] = numbers(300, 3)
    await runFor('x').optOut('sms', optedOut, 'keyword')
    const wf = await createWorkflow(env.a, [manual(), {
      id: 'bulk', type: 'twilio-bulk-sms', name: 'Bulk', params: { credential: credA, from, recipients: '{{ $json.phones }}', body: 'Hi', ratePerSecond: 50, outputPerRecipient: true },
    }])
    const run = await runToEnd(env, env.a, wf, [{ phones: [p, q, p] }, { phones: `${optedOut}, 555-01` }, { phones: '+1 555 020 0300' }])
    expect(run.execution.status, JSON.stringify(run.step('bulk')?.error)).toBe('succeeded')
    const [summary, ...each] = (run.step('bulk')!.output as any).main
    expect(summary).toEqual({ total: 4, sent: 2, skipped: 1, failed: 1, duplicates: 2 })
    expect(each.map((r: any) => [r.to, r.outcome, r.errorCode])).toEqual([
      [p, 'sent', null],
      [q, 'sent', null],
      [optedOut, 'skipped', 'OPTED_OUT'],
      ['555-01', 'failed', 'INVALID_PHONE_NUMBER'],
      [p, 'duplicate', null],
      [p, 'duplicate', null],
    ])
    expect(env.fake.messages.filter((m) => m.from === from).map((m) => m.to).sort()).toEqual([p, q].sort())
  })

  it('retries a recipient on 503 until it is sent, reports it after maxAttempts, and reports 21211 and 21610 without retrying', async () => {
    const from = '+15550190004'
    const [a, b, c, d] = numbers(400, 4)
    env.fake.failNext(2, 503, 20503, 'Service unavailable')
    const retried = await bulk({ from, recipients: [a], keyPrefix: 'retry-a', maxAttempts: 3 })
    expect(retried.results[0]).toMatchObject({ to: a, outcome: 'sent', attempts: 3, status: 'queued' })

    env.fake.failNext(2, 503, 20503, 'Service unavailable')
    const progress: BulkProgress[] = []
    const gaveUp = await bulk({ from, recipients: [b], keyPrefix: 'retry-b', maxAttempts: 2, onProgress: (x) => progress.push(x) })
    expect(gaveUp.results[0]).toMatchObject({ to: b, outcome: 'failed', attempts: 2, status: 'failed', errorCode: 'TWILIO_20503' })
    expect(progress).toEqual([{ total: 1, sent: 0, failed: 1, skipped: 0 }])
    const again = await bulk({ from, recipients: [b], keyPrefix: 'retry-b', maxAttempts: 2 })
    expect(again.results[0]).toMatchObject({ outcome: 'failed', attempts: 0 })

    env.fake.failNext(1, 400, 21211, `The 'To' number ${c} is not a valid phone number.`)
    const invalid = await bulk({ from, recipients: [c], keyPrefix: 'retry-c', maxAttempts: 3 })
    expect(invalid.results[0]).toMatchObject({ to: c, outcome: 'failed', attempts: 1, errorCode: '21211' })

    env.fake.unsubscribed.add(d)
    const unsubscribed = await bulk({ from, recipients: [d], keyPrefix: 'retry-d' })
    expect(unsubscribed).toMatchObject({ skipped: 1, results: [{ to: d, outcome: 'skipped', errorCode: '21610' }] })
    expect(await runFor('x').isOptedOut('sms', d)).toBe(true)
    expect(env.fake.messages.filter((m) => m.from === from).map((m) => m.to)).toEqual([a])
  })

  it('stops at a refusal that is the same for every recipient (bad credentials) instead of reporting each', async () => {
    const from = '+15550190006'
    env.fake.failNext(1, 401, 20003, 'Authenticate')
    await expect(bulk({ from, recipients: numbers(600, 3), keyPrefix: 'auth', maxAttempts: 3 })).rejects.toMatchObject({ code: 'TWILIO_20003' })
    expect(env.fake.messages.filter((m) => m.from === from)).toHaveLength(0)
  })

  it('sent again under the same keys (a retried step), sends nothing twice', async () => {
    const from = '+15550190005'
    const list = numbers(500, 5)
    const progress: BulkProgress[] = []
    const first = await bulk({ from, recipients: list, keyPrefix: 'twice', onProgress: (x) => progress.push(x) })
    expect(first).toMatchObject({ total: 5, sent: 5 })
    expect(progress.map((x) => x.sent)).toEqual([1, 2, 3, 4, 5])
    const second = await bulk({ from, recipients: [...list].reverse(), keyPrefix: 'twice' })
    expect(second).toMatchObject({ total: 5, sent: 5 })
    expect(second.results.every((r) => r.attempts === 0)).toBe(true)
    expect(env.fake.messages.filter((m) => m.from === from)).toHaveLength(5)
  })
})
