import { afterAll, describe, expect, it } from 'vitest'
import { codeNode } from '@/lib/nodes/code/definition'
import { normaliseCodeResult } from '@/lib/nodes/code/execute'
import type { CodeRunner } from '@/lib/engine/types'
import { createSandbox } from '@/lib/sandbox/isolate'
import { numbered, runFlow } from './flow'
import { runNode } from './harness'

const sandbox = createSandbox({ poolSize: 1 })
afterAll(() => sandbox.dispose())

const run = (params: Record<string, unknown>, items: Record<string, unknown>[] = [{ n: 1 }, { n: 2 }]) =>
  runNode(codeNode, { params, items, services: { sandbox } })

describe('code node', () => {
  it('runs once for all items with `items`', async () => {
    const { output } = await run({ source: 'return items.map((i) => ({ n: i.n * 10 }))' })
    expect(output.main).toEqual([{ n: 10 }, { n: 20 }])
  })

  it('runs once per item with item / $json / index', async () => {
    const { output } = await run({ mode: 'runOnceForEachItem', source: 'return { n: $json.n, index, same: item === $json }' })
    expect(output.main).toEqual([
      { n: 1, index: 0, same: true },
      { n: 2, index: 1, same: true },
    ])
  })

  it('sees the execution, workflow and node', async () => {
    const { output } = await run({ source: 'return { e: $execution.id, w: $workflow.id, node: $node.id }' })
    expect(output.main).toEqual([{ e: 'exec-1', w: 'wf-1', node: 'node-1' }])
  })

  it('can await inside the code', async () => {
    const { output } = await run({ source: 'const v = await Promise.resolve(5); return [{ v }]' })
    expect(output.main).toEqual([{ v: 5 }])
  })

  it('logs console output through the step logger', async () => {
    const { logs } = await run({ source: 'console.log("hi", { a: 1 }); console.warn("careful"); return items' })
    expect(logs).toEqual([
      expect.objectContaining({ level: 'info', msg: 'hi {"a":1}' }),
      expect.objectContaining({ level: 'warn', msg: 'careful' }),
    ])
  })

  it('keeps the console lines of code that throws, in order, and still fails with its error', async () => {
    const lines: [string, string][] = []
    const running = sandbox.runCode('console.log("before"); console.error("about to fail"); throw new TypeError("bad input")', { items: [] }, {
      onLog: (level, line) => lines.push([level, line]),
    })
    await expect(running).rejects.toThrow('TypeError: bad input')
    expect(lines).toEqual([
      ['log', 'before'],
      ['error', 'about to fail'],
    ])
  })

  it.each([
    ['one object', { a: 1 }, [{ a: 1 }]],
    ['n8n items', [{ json: { a: 1 } }, { json: { a: 2 }, pairedItem: 0 }], [{ a: 1 }, { a: 2 }]],
    ['one n8n item', { json: { a: 1 } }, [{ a: 1 }]],
    ['an object with a json field among others', { json: { a: 1 }, b: 2 }, [{ json: { a: 1 }, b: 2 }]],
    ['empty array', [], []],
  ])('normalises %s', (_name, value, expected) => {
    expect(normaliseCodeResult(value, '')).toEqual(expected)
  })

  it.each([
    ['return 42', /returned a number \(42\)/],
    ['return "x"', /returned a string/],
    ['return', /returned nothing \(did you forget `return items`\?\)/],
    ['return [1, 2]', /element 0 is a number/],
    ['return [{}, [1]]', /element 1 is an array/],
  ])('refuses `%s` naming what came back', async (source, message) => {
    await expect(run({ source })).rejects.toMatchObject({ code: 'CODE_INVALID_OUTPUT', retryable: false, message: expect.stringMatching(message) })
  })

  it('lets per-item code declare item, $json and index again', async () => {
    const { output } = await run({ mode: 'runOnceForEachItem', source: 'const item = { m: $json.n }; let index = 7; return item' })
    expect(output.main).toEqual([{ m: 1 }, { m: 2 }])
  })

  it('names the item in per-item mode', async () => {
    await expect(run({ mode: 'runOnceForEachItem', source: 'return index === 1 ? 7 : $json' })).rejects.toThrow(/Code for item 1 must return/)
  })

  it.each([
    ['throw new Error("boom")', 'SANDBOX_RUNTIME_ERROR', /boom/],
    ['return (', 'SANDBOX_SYNTAX_ERROR', /Syntax error/],
    ['while (true) {}', 'SANDBOX_TIMEOUT', /50 ms/],
    ['return require("fs")', 'SANDBOX_RUNTIME_ERROR', /require is not defined/],
    ['return process.env', 'SANDBOX_RUNTIME_ERROR', /process is not defined/],
  ])('fails `%s` with %s', async (source, code, message) => {
    await expect(run({ source, timeoutMs: 50 })).rejects.toMatchObject({ code, retryable: false, message: expect.stringMatching(message) })
  })

  it('enforces the memory limit', async () => {
    const source = 'const a = []; while (true) a.push(new Array(100000).fill("x".repeat(10))); return []'
    await expect(run({ source, memoryMb: 16, timeoutMs: 10_000 })).rejects.toMatchObject({ retryable: false })
  })

  it('validates its limits', () => {
    expect(codeNode.params.safeParse({ timeoutMs: 0 }).error?.issues[0].path).toEqual(['timeoutMs'])
    expect(codeNode.params.safeParse({ memoryMb: 4096 }).error?.issues[0].path).toEqual(['memoryMb'])
  })

  describe('page by page', () => {
    const flow = (params: Record<string, unknown>, pageSize: number, runner: CodeRunner = sandbox) =>
      runFlow([{ id: 'code', type: 'code', params }], numbered(35, 10, (i) => ({ i, customer: `c${i % 3}` })), { pageSize, sandbox: runner })
    const totals = [
      'for (const o of items) $state[o.customer] = ($state[o.customer] ?? 0) + o.i',
      'if (!$page.isLast) return []',
      'return Object.entries($state).map(([customer, total]) => ({ customer, total }))',
    ].join('\n')

    it('all items: runs once per page with $page, and $state carries a digest to the last page', async () => {
      const paged = await flow({ source: totals }, 10)
      const whole = await flow({ source: totals }, 1000)
      expect(paged.calls('code')).toBe(4)
      expect(whole.calls('code')).toBe(1)
      expect(await paged.output('code')).toEqual([
        { customer: 'c0', total: 198 },
        { customer: 'c1', total: 210 },
        { customer: 'c2', total: 187 },
      ])
      expect(await paged.output('code')).toEqual(await whole.output('code'))
    })

    it('all items: $page tells each run where its page sits', async () => {
      const { output } = await flow({ source: 'return [$page]' }, 10)
      expect(await output('code')).toEqual([
        { index: 0, offset: 0, count: 10, total: 35, isFirst: true, isLast: false },
        { index: 1, offset: 10, count: 10, total: 35, isFirst: false, isLast: false },
        { index: 2, offset: 20, count: 10, total: 35, isFirst: false, isLast: false },
        { index: 3, offset: 30, count: 5, total: 35, isFirst: false, isLast: true },
      ])
    })

    it('all items: gets full pages even when the node before it wrote partial ones', async () => {
      const flow = await runFlow(
        [
          { id: 'even', type: 'filter', params: { conditions: [{ left: '{{ $json.even }}', operator: 'isTrue' }] } },
          { id: 'code', type: 'code', params: { source: 'return [{ n: items.length, offset: $page.offset }]' } },
        ],
        numbered(30, 10, (i) => ({ i, even: i % 2 === 0 })),
        { pageSize: 10, sandbox },
      )
      // The filter wrote three pages of 5; the code runs on 10, then 5.
      expect(await flow.output('code')).toEqual([{ n: 10, offset: 0 }, { n: 5, offset: 10 }])
    })

    it('each item: index counts through the whole input, one sandbox call per page', async () => {
      let runs = 0
      const counting: CodeRunner = { ...sandbox, runCode: (...args) => (runs++, sandbox.runCode(...args)) }
      const paged = await flow({ mode: 'runOnceForEachItem', source: 'return index % 7 === 0 ? [] : { i: $json.i, index }' }, 10, counting)
      expect(runs).toBe(4)
      const whole = await flow({ mode: 'runOnceForEachItem', source: 'return index % 7 === 0 ? [] : { i: $json.i, index }' }, 1000)
      const out = await paged.output('code')
      expect(out).toHaveLength(30)
      expect(out.every((o) => o.i === o.index)).toBe(true)
      expect(out).toEqual(await whole.output('code'))
    })

    it('each item: slow items are spread over several sandbox calls, each item keeping its own time limit', async () => {
      let runs = 0
      const counting: CodeRunner = { ...sandbox, runCode: (...args) => (runs++, sandbox.runCode(...args)) }
      const source = 'const until = Date.now() + 40; while (Date.now() < until) {} return { i: $json.i }'
      const result = await flow({ mode: 'runOnceForEachItem', source, timeoutMs: 1000 }, 1000, counting)
      expect(result.result.status).toBe('succeeded')
      expect((await result.output('code')).map((o) => o.i)).toEqual(Array.from({ length: 35 }, (_, i) => i))
      expect(runs).toBeGreaterThan(1)
    })

    it('each item: an item over the limit fails naming the limit per item', async () => {
      await expect(run({ mode: 'runOnceForEachItem', source: 'if (index === 1) while (true) {} return $json', timeoutMs: 50 })).rejects.toMatchObject({
        code: 'SANDBOX_TIMEOUT',
        message: expect.stringMatching(/an item ran longer than the limit of 50 ms/),
      })
    })
  })
})
