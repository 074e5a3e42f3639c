import { afterAll, describe, expect, it } from 'vitest'
import { createSandbox } from '@/lib/sandbox/isolate'

const sandbox = createSandbox({ poolSize: 1, timeoutMs: 200, memoryMb: 32 })
afterAll(() => sandbox.dispose())

const stillWorks = async () => expect(await sandbox.evaluateExpression('$json.a + 1', { $json: { a: 1 } })).toBe(2)

describe('sandbox escapes fail cleanly and the sandbox lives on', () => {
  it.each<[string, string, string, RegExp]>([
    ['constructor chain', `this.constructor.constructor('return process')()`, 'SANDBOX_RUNTIME_ERROR', /TypeError/],
    ['function constructor', `[].constructor.constructor('return process')()`, 'SANDBOX_RUNTIME_ERROR', /process is not defined/],
    ['process', 'process.exit(1)', 'SANDBOX_RUNTIME_ERROR', /process is not defined/],
    ['require', `require('fs')`, 'SANDBOX_RUNTIME_ERROR', /require is not defined/],
    ['globalThis.process', 'globalThis.process.env', 'SANDBOX_RUNTIME_ERROR', /Cannot read properties of undefined/],
    ['dynamic import', `import('fs')`, 'SANDBOX_RUNTIME_ERROR', /not supported/i],
    ['infinite loop', '(() => { while (true) {} })()', 'SANDBOX_TIMEOUT', /longer than the limit of 200 ms/],
    ['deep recursion', '(() => { const f = (n) => f(n + 1) + 1; return f(0) })()', 'SANDBOX_RUNTIME_ERROR', /Maximum call stack/],
    ['string doubling', `(() => { let s = 'x'; while (true) s += s })()`, 'SANDBOX_RUNTIME_ERROR', /Invalid string length/],
    ['growing heap', '(() => { const a = []; while (true) a.push({ x: Math.random() }) })()', 'SANDBOX_MEMORY_LIMIT', /memory limit of 32 MB/],
    ['global write', '(globalThis.leak = 1)', 'SANDBOX_RUNTIME_ERROR', /not extensible/],
    ['prototype pollution', '(Object.prototype.polluted = 1)', 'SANDBOX_RUNTIME_ERROR', /not extensible/],
    ['syntax error', '1 +', 'SANDBOX_SYNTAX_ERROR', /Syntax error/],
  ])('%s', async (_label, expression, code, message) => {
    const err = (await sandbox.evaluateExpression(expression, {}, { timeoutMs: expression.includes('push') ? 10_000 : undefined }).catch((e: unknown) => e)) as Error
    expect(err).toMatchObject({ name: 'NodeError', code, retryable: false })
    expect(err.message).toMatch(message)
    await stillWorks()
  })

  it('a 1 GB allocation fails with a memory error (the isolate is quarantined and replaced)', async () => {
    const err = await sandbox.evaluateExpression('new Array(1e9).fill(1)', {}, { timeoutMs: 10_000 }).catch((e) => e)
    expect(err).toMatchObject({ code: 'SANDBOX_MEMORY_LIMIT', retryable: false })
    await stillWorks()
    expect(sandbox.health()).toEqual({ catastrophicErrors: expect.any(Number), quarantinedIsolates: expect.any(Number), liveIsolates: expect.any(Number) })
  })

  it('leaves no state behind between evaluations', async () => {
    await sandbox.evaluateExpression('(() => { try { Array.prototype.map = () => "hacked" } catch {} return 1 })()', {})
    expect(await sandbox.evaluateExpression('[1, 2].map((x) => x * 2)', {})).toEqual([2, 4])
  })
})

describe('evaluateExpression', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['$json.a.b', { $json: { a: { b: 'x' } } }, 'x'],
    ['[$json.n, typeof $json]', { $json: { n: 1 } }, [1, 'object']],
    ['({ ...$json, extra: true })', { $json: { n: 1 } }, { n: 1, extra: true }],
    ['undefined', {}, undefined],
    ['null', {}, null],
    ['new Date(0).toISOString()', {}, '1970-01-01T00:00:00.000Z'],
  ])('%s', async (expression, scope, expected) => {
    expect(await sandbox.evaluateExpression(expression, scope)).toEqual(expected)
  })

  it('copies data in: changes inside do not touch the caller', async () => {
    const item = { list: [1] }
    await sandbox.evaluateExpression('($json.list.push(2), $json.list.length)', { $json: item })
    expect(item.list).toEqual([1])
  })

  it('refuses scope names that are not identifiers', async () => {
    await expect(sandbox.evaluateExpression('1', { 'a b': 1 })).rejects.toThrow(/Invalid scope variable name/)
  })
})

describe('runCode', () => {
  it('runs an async body with items in scope, captures console and returns JSON data', async () => {
    const logs: string[] = []
    const out = await sandbox.runCode('console.log("count", items.length, { a: 1 }); await null; return items.map((i) => ({ ...i, b: i.a * 2 }))', { items: [{ a: 1 }, { a: 2 }] }, { onLog: (level, m) => logs.push(`${level}:${m}`) })
    expect(out).toEqual([{ a: 1, b: 2 }, { a: 2, b: 4 }])
    expect(logs).toEqual(['log:count 2 {"a":1}'])
  })

  it('offers $input helpers derived from items', async () => {
    expect(await sandbox.runCode('return [$input.first(), $input.last(), { n: $input.all().length }]', { items: [{ a: 1 }, { a: 2 }] })).toEqual([{ a: 1 }, { a: 2 }, { n: 2 }])
  })

  it.each<[string, string, string]>([
    ['sync loop', 'while (true) {}', 'SANDBOX_TIMEOUT'],
    ['loop after await', 'await null; while (true) {}', 'SANDBOX_TIMEOUT'],
    ['promise that never settles', 'await new Promise(() => {})', 'SANDBOX_TIMEOUT'],
    ['thrown error', 'throw new RangeError("bad input")', 'SANDBOX_RUNTIME_ERROR'],
    ['syntax error', 'return )', 'SANDBOX_SYNTAX_ERROR'],
    ['process', 'return process.env', 'SANDBOX_RUNTIME_ERROR'],
    ['growing heap', 'const a = []; while (true) a.push({ x: Math.random() })', 'SANDBOX_MEMORY_LIMIT'],
  ])('%s → %s, and the sandbox lives on', async (_label, source, code) => {
    const err = await sandbox.runCode(source, { items: [] }, { timeoutMs: source.includes('push') ? 10_000 : 200 }).catch((e) => e)
    expect(err).toMatchObject({ code, retryable: false })
    expect(await sandbox.runCode('return items', { items: [{ ok: true }] })).toEqual([{ ok: true }])
  })

  it('gives every run a fresh context', async () => {
    await sandbox.runCode('globalThis.leak = 42; return []', { items: [] })
    expect(await sandbox.runCode('return [{ leak: typeof globalThis.leak }]', { items: [] })).toEqual([{ leak: 'undefined' }])
  })

  it('a warm context (one partition) keeps nothing of one run for the next', async () => {
    const t = { partition: 'tenant-a' }
    const tries = [
      'globalThis.leak = 42',
      'Array.prototype.map = () => "hacked"',
      'Object.prototype.polluted = 1',
      'JSON.parse = () => ({ hacked: true })',
      'Object.defineProperty(globalThis, "leak2", { value: 1 })',
    ]
    for (const attempt of tries) {
      const err = await sandbox.runCode(`${attempt}; return []`, { items: [] }, t).catch((e) => e)
      expect(err).toMatchObject({ code: 'SANDBOX_RUNTIME_ERROR' })
    }
    // A regular expression run by one tenant's code is not readable through RegExp's legacy statics.
    await sandbox.runCode('/secret-(\\d+)/.exec("secret-42"); return []', { items: [] }, { partition: 'tenant-b' })
    const seen = await sandbox.runCode('return [{ input: typeof RegExp.input, last: typeof RegExp.lastMatch, one: typeof RegExp.$1 }]', { items: [] }, t)
    expect(seen).toEqual([{ input: 'undefined', last: 'undefined', one: 'undefined' }])
    expect(await sandbox.runCode('return [{ leak: typeof leak, map: [1].map((x) => x + 1)[0], p: ({}).polluted ?? null, j: JSON.parse("1") }]', { items: [] }, t)).toEqual([
      { leak: 'undefined', map: 2, p: null, j: 1 },
    ])
  })

  it('a warm context runs many times without growing the isolate heap past its limit', async () => {
    const small = createSandbox({ poolSize: 1, memoryMb: 16 })
    try {
      const items = [{ text: 'x'.repeat(2000) }]
      for (let i = 0; i < 3000; i++) await small.runCode(`return items.map((i) => ({ ...i, n: ${i % 7} }))`, { items }, { partition: 't' })
      for (let i = 0; i < 300; i++) await small.runCode('return items', { items }) // fresh contexts are released too
      expect(await small.runCode('return [{ ok: true }]', { items: [] }, { partition: 't' })).toEqual([{ ok: true }])
    } finally {
      small.dispose()
    }
  })
})

describe('pooling', () => {
  it('spreads parallel evaluations over the pool and honours a per-call memory size', async () => {
    const pooled = createSandbox({ poolSize: 2, timeoutMs: 500 })
    try {
      const values = await Promise.all(Array.from({ length: 50 }, (_, i) => pooled.evaluateExpression('$json.i * 2', { $json: { i } })))
      expect(values).toEqual(Array.from({ length: 50 }, (_, i) => i * 2))
      expect(await pooled.runCode('return [{ ok: true }]', { items: [] }, { memoryMb: 16 })).toEqual([{ ok: true }])
    } finally {
      pooled.dispose()
    }
    await expect(pooled.evaluateExpression('1', {})).rejects.toThrow(/disposed/)
  })
})

describe('idle isolates', () => {
  it('disposes a memory size\'s isolates once they sit unused, and makes them again on the next call', async () => {
    const idle = createSandbox({ poolSize: 2, idleDisposeMs: 300 })
    try {
      expect(idle.health().liveIsolates).toBe(0)
      expect(await idle.runCode('return [{ n: items.length }]', { items: [1, 2] })).toEqual([{ n: 2 }])
      expect(await idle.evaluateExpression('$json.a', { $json: { a: 1 } }, { memoryMb: 16 })).toBe(1)
      expect(idle.health().liveIsolates).toBe(4)
      // Kept busy past the idle time: a pool in use stays.
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 150))
        expect(await idle.runCode('return [{ i }]', { items: [], i })).toEqual([{ i }])
      }
      expect(idle.health().liveIsolates).toBe(2) // the 16 MB pool went idle meanwhile
      await new Promise((r) => setTimeout(r, 900))
      expect(idle.health().liveIsolates).toBe(0)
      expect(await idle.evaluateExpression('$json.a * 3', { $json: { a: 2 } })).toBe(6)
      expect(idle.health().liveIsolates).toBe(2)
    } finally {
      idle.dispose()
    }
  })
})
