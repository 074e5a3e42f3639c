import { describe, expect, it } from 'vitest'
import { createHostSandbox } from '@/lib/sandbox/host'

const OOM = 'new Array(1e9).fill(1); return items'

describe("the worker's sandbox", () => {
  it.each([
    [1, 1],
    [2, 1],
    [4, 2],
    [16, 4],
  ])('sizes its Code children by the cores: %i cores, %i children', async (cores, children) => {
    const sandbox = createHostSandbox({ concurrency: 100, cores })
    try {
      // Generous: the children start (through tsx, in tests) before the first call is answered.
      expect(await sandbox.runCode('return items', { items: [{ a: 1 }] }, { timeoutMs: 60_000 })).toEqual([{ a: 1 }])
      expect(sandbox.health().code.processes).toBe(children)
    } finally {
      sandbox.dispose()
    }
  })

  it('runs Code in child processes, so an out-of-memory Code run leaves its own isolates intact', async () => {
    const sandbox = createHostSandbox({ concurrency: 4, cores: 4 })
    try {
      await expect(sandbox.runCode(OOM, { items: [] }, { memoryMb: 16, timeoutMs: 10_000 })).rejects.toMatchObject({ code: 'SANDBOX_MEMORY_LIMIT' })
      expect(await sandbox.runCode('return items', { items: [{ a: 1 }] })).toEqual([{ a: 1 }])
      expect(await sandbox.evaluateExpression('$json.a + 1', { $json: { a: 1 } })).toBe(2)
      expect(sandbox.health()).toMatchObject({ catastrophicErrors: 0, code: { processes: 2, restarts: 1, pending: 0 } })
    } finally {
      sandbox.dispose()
    }
  })

  it.each<[string, number | undefined, (s: ReturnType<typeof createHostSandbox>) => Promise<unknown>]>([
    ['an expression', undefined, (s) => s.evaluateExpression('new Array(1e9).fill(1)', {}, { timeoutMs: 10_000 })],
    ['Code with processes: 0', 0, (s) => s.runCode(OOM, { items: [] }, { memoryMb: 16, timeoutMs: 10_000 })],
  ])('counts %s that took an in-process isolate down, and keeps working', async (_label, processes, run) => {
    const sandbox = createHostSandbox({ concurrency: 4, processes })
    try {
      await expect(run(sandbox)).rejects.toMatchObject({ code: 'SANDBOX_MEMORY_LIMIT' })
      expect(sandbox.health().catastrophicErrors).toBe(1)
      expect(await sandbox.evaluateExpression('[1, 2].length', {})).toBe(2)
      expect(await sandbox.runCode('return [{ ok: true }]', {})).toEqual([{ ok: true }])
    } finally {
      sandbox.dispose()
    }
  })
})
