import { execFileSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { createProcessSandbox } from '@/lib/sandbox/process'

const sandbox = createProcessSandbox({ poolSize: 1, timeoutMs: 300, memoryMb: 32 })
afterAll(() => sandbox.dispose())

describe('sandbox in a child process', () => {
  it('evaluates expressions and runs code with console capture', async () => {
    expect(await sandbox.evaluateExpression('$json.a * 3', { $json: { a: 2 } })).toBe(6)
    const logs: string[] = []
    expect(await sandbox.runCode('console.warn("w", 1); await null; return items', { items: [{ x: 1 }] }, { onLog: (l, m) => logs.push(`${l}:${m}`) })).toEqual([{ x: 1 }])
    expect(logs).toEqual(['warn:w 1'])
  })

  it.each<[string, string, string]>([
    ['syntax', '1 +', 'SANDBOX_SYNTAX_ERROR'],
    ['process', 'process.pid', 'SANDBOX_RUNTIME_ERROR'],
    ['loop', '(() => { while (true) {} })()', 'SANDBOX_TIMEOUT'],
  ])('%s keeps its typed error across the process boundary', async (_l, expression, code) => {
    await expect(sandbox.evaluateExpression(expression, {})).rejects.toMatchObject({ code, retryable: false })
    expect(await sandbox.evaluateExpression('1 + 1', {})).toBe(2)
  })

  it('survives a catastrophic out-of-memory by replacing the child', async () => {
    const before = sandbox.restarts()
    await expect(sandbox.evaluateExpression('new Array(1e9).fill(1)', {}, { timeoutMs: 10_000 })).rejects.toMatchObject({ code: 'SANDBOX_MEMORY_LIMIT' })
    expect(await sandbox.evaluateExpression('[1, 2].length', {})).toBe(2)
    expect(sandbox.restarts()).toBe(before + 1)
  })
})

describe('the child-process pool', () => {
  const OOM = 'new Array(1e9).fill(1); return items'
  const SLOW = 'let x = 0; for (let i = 0; i < 4e8; i++) x += i % 7; return [{ x }]'

  it('answers the calls a child had in flight when another call took one of its isolates down', async () => {
    const pool = createProcessSandbox({ processes: 1, poolSize: 2, memoryMb: 16 })
    try {
      const slow = pool.runCode(SLOW, { items: [] }, { timeoutMs: 20_000 })
      await new Promise((r) => setTimeout(r, 200))
      await expect(pool.runCode(OOM, { items: [] }, { timeoutMs: 10_000 })).rejects.toMatchObject({ code: 'SANDBOX_MEMORY_LIMIT' })
      expect(await slow).toEqual([{ x: expect.any(Number) }])
      expect(await pool.runCode('return items', { items: [{ a: 1 }] })).toEqual([{ a: 1 }])
      expect(pool.health()).toMatchObject({ processes: 1, restarts: 1, pending: 0 })
    } finally {
      pool.dispose()
    }
  })

  it('moves the calls of a child that died to another child', async () => {
    const pool = createProcessSandbox({ processes: 1 })
    try {
      const slow = pool.runCode(SLOW, { items: [] }, { timeoutMs: 20_000 })
      await new Promise((r) => setTimeout(r, 300))
      const pids = execFileSync('pgrep', ['-P', String(process.pid)]).toString().trim().split('\n').map(Number)
      for (const pid of pids) process.kill(pid, 'SIGKILL')
      expect(await slow).toEqual([{ x: expect.any(Number) }])
      expect(pool.health()).toMatchObject({ processes: 1, restarts: 1, pending: 0 })
    } finally {
      pool.dispose()
    }
  })

  it('spreads calls over its children and replaces a child that outgrew its memory bound', async () => {
    const pool = createProcessSandbox({ processes: 2, maxRssMb: 1 })
    try {
      const values = await Promise.all([1, 2, 3, 4].map((n) => pool.runCode('return [{ n }]', { n })))
      expect(values).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }], [{ n: 4 }]])
      // Every child is over a 1 MB bound after its first answer: both were replaced, and replaced eagerly.
      expect(pool.health()).toMatchObject({ processes: 2, restarts: 2, pending: 0 })
      expect(await pool.runCode('return [{ ok: true }]', {})).toEqual([{ ok: true }])
    } finally {
      pool.dispose()
    }
  })

  it('starts its children before the first call when asked to', async () => {
    const pool = createProcessSandbox({ processes: 2, prestart: true })
    try {
      expect(pool.health()).toMatchObject({ processes: 2, restarts: 0 })
      expect(await pool.runCode('return [{ ok: 1 }]', {})).toEqual([{ ok: 1 }])
      expect(pool.restarts()).toBe(2)
    } finally {
      pool.dispose()
    }
  })

  it('refuses calls beyond its bound with a retryable SANDBOX_BUSY', async () => {
    const pool = createProcessSandbox({ processes: 1, maxPending: 2 })
    try {
      const first = pool.runCode('return [{ a: 1 }]', {})
      const second = pool.runCode('return [{ a: 2 }]', {})
      await expect(pool.runCode('return []', {})).rejects.toMatchObject({ code: 'SANDBOX_BUSY', retryable: true })
      expect(await Promise.all([first, second])).toEqual([[{ a: 1 }], [{ a: 2 }]])
      expect(await pool.runCode('return [{ a: 3 }]', {})).toEqual([{ a: 3 }])
    } finally {
      pool.dispose()
    }
  })
})
