// The bounded step log (lib/engine/step-log.ts) and how the engine fills it: per attempt, retry notes, redaction,
// and the StepTracer hook the worker's spans hang on.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { StepLog, STEP_LOG_MAX_BYTES, STEP_LOG_MAX_LINES, STEP_LOG_MAX_LINE_BYTES, utf8Length } from '@/lib/engine/step-log'
import { createRegistry } from '@/lib/engine/registry'
import { runWorkflow } from '@/lib/engine/run'
import { NodeError, type EngineEvent, type StepLogLine, type StepTracer } from '@/lib/engine/types'
import { def, graph } from './builders'

const clock = () => {
  let t = 1_000
  return () => t++
}

describe('StepLog', () => {
  it('keeps lines in order with their level, time and data', () => {
    const log = new StepLog(undefined, clock())
    log.info('one')
    log.warn('two', { attempt: 1 })
    log.error('three')
    log.debug('four')
    expect(log.lines()).toEqual([
      { at: 1000, level: 'info', message: 'one' },
      { at: 1001, level: 'warn', message: 'two', data: { attempt: 1 } },
      { at: 1002, level: 'error', message: 'three' },
      { at: 1003, level: 'debug', message: 'four' },
    ])
  })

  it('is undefined when nothing was logged (no column written, no allocation kept)', () => {
    expect(new StepLog().lines()).toBeUndefined()
  })

  it.each([
    ['lines', 250, 'x', STEP_LOG_MAX_LINES, 50],
    ['bytes', 100, 'y'.repeat(1000), Math.floor(STEP_LOG_MAX_BYTES / 1000), 100 - Math.floor(STEP_LOG_MAX_BYTES / 1000)],
  ])('stops at the %s limit and says how many lines it dropped', (_what, count, text, kept, dropped) => {
    const log = new StepLog()
    for (let i = 0; i < count; i++) log.info(`${i} ${text}`)
    const lines = log.lines()!
    expect(lines).toHaveLength(kept + 1)
    expect(lines.slice(0, kept).map((l) => l.message.split(' ')[0])).toEqual(Array.from({ length: kept }, (_, i) => String(i)))
    expect(lines.at(-1)).toMatchObject({ level: 'warn', message: expect.stringContaining(`… ${dropped} more lines dropped`) })
    const total = lines.slice(0, kept).reduce((n, l) => n + utf8Length(l.message), 0)
    expect(total).toBeLessThanOrEqual(STEP_LOG_MAX_BYTES)
  })

  it('cuts one huge line to its share and says how much it cut, without splitting a character', () => {
    const log = new StepLog()
    log.info('€'.repeat(10_000)) // 3 bytes each
    log.info('after')
    const [huge, after] = log.lines()!
    expect(utf8Length(huge.message)).toBeLessThanOrEqual(STEP_LOG_MAX_LINE_BYTES + 40)
    expect(huge.message).toMatch(/^€+ … \(\d+ more bytes cut\)$/)
    expect(huge.message).toContain(`(${30_000 - Math.floor(STEP_LOG_MAX_LINE_BYTES / 3) * 3} more bytes cut)`)
    expect(after.message).toBe('after')
  })

  it('redacts credential values in messages and data, longest first, and ignores values too short to be secrets', () => {
    const log = new StepLog()
    log.redact(['s3cr3t-token', 's3cr3t-token-long', 'ab'])
    log.info('sending s3cr3t-token-long and s3cr3t-token to ab', { header: 'Bearer s3cr3t-token' })
    expect(log.lines()![0]).toMatchObject({ message: 'sending [redacted] and [redacted] to ab', data: { header: 'Bearer [redacted]' } })
  })

  it('replaces data that is too big or not JSON with a note', () => {
    const log = new StepLog()
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    log.info('big', { blob: 'z'.repeat(10_000) })
    log.info('cyclic', cyclic)
    const [big, cyc] = log.lines()!
    expect(big.data).toEqual({ omitted: expect.stringContaining('data of 10011 bytes') })
    expect(cyc.data).toEqual({ omitted: expect.stringContaining('not JSON') })
  })

  it('forwards every kept line to the host logger', () => {
    const heard: string[] = []
    const log = new StepLog({ debug: () => {}, info: (m) => heard.push(`info ${m}`), warn: (m) => heard.push(`warn ${m}`), error: () => {} })
    log.info('a')
    log.warn('b')
    expect(heard).toEqual(['info a', 'warn b'])
  })
})

describe('step logs in a run', () => {
  const flaky = (failures: number) => {
    let calls = 0
    return def('flaky', async (ctx) => {
      calls++
      ctx.log.info(`call ${calls}`, { attempt: ctx.attempt })
      if (calls <= failures) throw new NodeError(`upstream answered 503 (call ${calls})`, { code: 'HTTP_STATUS', retryable: true })
      return { main: ctx.items }
    })
  }
  const trigger = def('trigger', async (ctx) => ({ main: ctx.items }), { trigger: { kind: 'manual' }, inputs: [] })
  const secretive = def('secretive', async (ctx) => {
    const cred = await ctx.credential()
    ctx.log.info(`using ${cred?.data.token}`)
    return { main: [] }
  }, { params: z.object({ cred: z.string() }), credential: { param: 'cred', kinds: ['bearer'] } })

  /** The trigger `t`, then `node` after it. */
  async function run(node: Parameters<typeof graph>[0][number], types: ReturnType<typeof def>[], tracer?: StepTracer) {
    const events: EngineEvent[] = []
    const delays: number[] = []
    const result = await runWorkflow({
      graph: graph(['t:trigger', node], [`t>${typeof node === 'string' ? node.split(':')[0] : node.id}`]),
      registry: createRegistry([trigger, ...types]),
      executionId: 'e1',
      workflowId: 'w1',
      tenantId: 't1',
      input: [{ n: 1 }],
      services: { http: { request: async () => { throw new Error('no http') } }, sandbox: { evaluateExpression: async () => undefined, runCode: async () => undefined }, sleep: async (ms) => void delays.push(ms) },
      getCredential: async (id) => ({ id, kind: 'bearer', data: { token: 'tok-very-secret' } }),
      onEvent: (e) => void events.push(e),
      random: () => 1,
      tracer,
    })
    const logsOf = (type: 'step.succeeded' | 'step.failed') => events.filter((e) => e.type === type).map((e) => (e as { logs?: StepLogLine[] }).logs)
    return { result, events, delays, logsOf }
  }

  it('gives each attempt its own log, with the engine noting the failure and the wait before the next one', async () => {
    const { result, logsOf, delays } = await run({ id: 'f', type: 'flaky', settings: { maxAttempts: 3, backoffMs: 100 } }, [flaky(2)])
    expect(result.status).toBe('succeeded')
    expect(delays).toEqual([100, 200])
    const failed = logsOf('step.failed')
    expect(failed.map((lines) => lines?.map((l) => `${l.level} ${l.message}`))).toEqual([
      ['info call 1', 'warn Attempt 1 of 3 failed: upstream answered 503 (call 1) — retrying in 100 ms'],
      ['info call 2', 'warn Attempt 2 of 3 failed: upstream answered 503 (call 2) — retrying in 200 ms'],
    ])
    expect(failed[0]?.[1].data).toEqual({ attempt: 1, maxAttempts: 3, code: 'HTTP_STATUS', delayMs: 100 })
    expect(logsOf('step.succeeded')).toEqual([undefined, [expect.objectContaining({ level: 'info', message: 'call 3', data: { attempt: 3 } })]])
  })

  it('redacts the values of the credential the step loaded', async () => {
    const { logsOf } = await run({ id: 's', type: 'secretive', params: { cred: 'c1' } }, [secretive])
    expect(logsOf('step.succeeded')[1]).toEqual([expect.objectContaining({ message: 'using [redacted]' })])
  })

  it('wraps each attempt in the host tracer and tells it the counts and how the attempt ended', async () => {
    const seen: unknown[] = []
    const tracer: StepTracer = {
      async attempt(step, fn) {
        seen.push({ open: `${step.nodeId}#${step.attempt}` })
        const out = await fn({ started: (n) => void seen.push({ input: n }), settled: (o) => void seen.push({ status: o.status, willRetry: o.willRetry, outputCounts: o.outputCounts, code: o.error?.code, logLines: o.logLines }) })
        seen.push({ close: `${step.nodeId}#${step.attempt}` })
        return out
      },
    }
    await run({ id: 'f', type: 'flaky', settings: { maxAttempts: 2 } }, [flaky(1)], tracer)
    expect(seen).toEqual([
      { open: 'f#1' }, { input: 1 }, { status: 'failed', willRetry: true, outputCounts: undefined, code: 'HTTP_STATUS', logLines: 2 }, { close: 'f#1' },
      { open: 'f#2' }, { input: 1 }, { status: 'succeeded', willRetry: undefined, outputCounts: { main: 1 }, code: undefined, logLines: 1 }, { close: 'f#2' },
    ])
  })
})
