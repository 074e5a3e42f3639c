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
