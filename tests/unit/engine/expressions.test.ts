import { afterAll, describe, expect, it } from 'vitest'
import { evaluateTemplate, hasExpression, type ExpressionData } from '@/lib/engine/expressions'
import { createSandbox } from '@/lib/sandbox/isolate'
import type { CodeRunner } from '@/lib/engine/types'
import { graph, harness } from './builders'

const sandbox = createSandbox({ poolSize: 1, timeoutMs: 500 })
afterAll(() => sandbox.dispose())

let sandboxCalls = 0
const counting: CodeRunner = {
  evaluateExpression: (e, s, l) => (sandboxCalls++, sandbox.evaluateExpression(e, s, l)),
  runCode: (c, s, l) => sandbox.runCode(c, s, l),
}

const data = (item: Record<string, unknown>, extra: Partial<ExpressionData> = {}): ExpressionData => ({
  item,
  itemIndex: 4,
  inputItems: () => [item, { second: true }],
  trigger: async () => ({ from: 'trigger' }),
  nodeOutput: async (name) => {
    if (name !== 'Fetch') throw new Error(`unknown ${name}`)
    return { json: { v: 7 }, items: [{ v: 7 }, { v: 8 }] }
  },
  allNodeOutputs: async () => ({ Fetch: { json: { v: 7 }, items: [{ v: 7 }, { v: 8 }] } }),
  execution: { id: 'ex9', workflowId: 'wf9' },
  sandbox: counting,
  ...extra,
})

describe('evaluateTemplate', () => {
  it.each<[string, unknown]>([
    ['{{ $json.n }}', 2],
    ['{{$json.obj}}', { a: [1, 2] }],
    ['{{ $json.obj.a[1] }}', 2],
    ["{{ $json['odd key'] }}", 'yes'],
    ['{{ $json.missing }}', undefined],
    ['{{ $json.n * 10 }}', 20],
    ['{{ [$json.n, $itemIndex] }}', [2, 4]],
    ['n={{ $json.n }}, obj={{ $json.obj }}, none={{ $json.missing }}', 'n=2, obj={"a":[1,2]}, none='],
    ['{{ $input.first().n }}/{{ $input.all().length }}/{{ $input.item.n }}', '2/2/2'],
    ['{{ $trigger.from }}', 'trigger'],
    ['{{ $node["Fetch"].json.v }}', 7],
    ["{{ $('Fetch').items.length }}", 2],
    ['{{ $node.Fetch.items[1].v }}', 8],
    ["{{ $(['Fe', 'tch'].join('')).json.v }}", 7],
    ['{{ $execution.id }}-{{ $execution.workflowId }}', 'ex9-wf9'],
    ['{{ typeof $now === "string" && !isNaN(Date.parse($now)) }}', true],
    ['no expression here', 'no expression here'],
    ['{{ $json.s.toUpperCase() }}', 'TEXT'],
  ])('%s → %j', async (template, expected) => {
    expect(await evaluateTemplate(template, data({ n: 2, obj: { a: [1, 2] }, 'odd key': 'yes', s: 'text' }))).toEqual(expected)
  })

  it('reads plain property paths without the sandbox', async () => {
    sandboxCalls = 0
    expect(await evaluateTemplate('{{ $json.a.b }}-{{ $trigger.from }}-{{ $itemIndex }}', data({ a: { b: 'x' } }))).toBe('x-trigger-4')
    expect(sandboxCalls).toBe(0)
    await evaluateTemplate('{{ $json.a.b + 1 }}', data({ a: { b: 1 } }))
    expect(sandboxCalls).toBe(1)
  })

  it.each<[string, RegExp, string]>([
    ['{{ $json.a.b }}', /Cannot read properties of undefined \(reading 'b'\)/, 'EXPRESSION_ERROR'],
    ['{{ $json.a.b.c() }}', /TypeError/, 'SANDBOX_RUNTIME_ERROR'],
    ['{{ 1 + }}', /Syntax error/, 'SANDBOX_SYNTAX_ERROR'],
    ['{{ (() => { while (true) {} })() }}', /longer than the limit/, 'SANDBOX_TIMEOUT'],
  ])('%s fails with a clear, non-retryable error', async (template, message, code) => {
    const err = (await evaluateTemplate(template, data({}), 'params.url').catch((e: unknown) => e)) as Error
    expect(err.message).toMatch(message)
    expect(err.message).toContain('params.url')
    expect(err).toMatchObject({ code, retryable: false, field: 'url' })
  })

  it('detects expressions deep inside params', () => {
    expect(hasExpression({ a: [{ b: 'x {{ 1 }}' }] })).toBe(true)
    expect(hasExpression({ a: [{ b: 'x { 1 }' }], n: 1 })).toBe(false)
  })
})

describe('expressions in a run', () => {
  it('resolves params per item, deep, against $json, $itemIndex, $trigger and earlier nodes', async () => {
    const h = harness(sandbox)
    const g = graph(
      [
        't:trigger',
        { id: 'a', name: 'Source', type: 'pass' },
        {
          id: 'p',
          type: 'params',
          params: { url: 'https://x.test/{{ $json.id }}', n: '{{ $json.id * 2 }}', nested: { list: ['{{ $itemIndex }}', '{{ $node["Source"].items.length }}'] }, first: '{{ $trigger.id }}' },
        },
      ],
      ['t>a', 'a>p'],
    )
    const result = await h.run(g, { input: [{ id: 1 }, { id: 2 }] })
    expect(result.status).toBe('succeeded')
    const out = h.events.find((e) => e.type === 'step.succeeded' && e.nodeId === 'p')
    expect(out).toMatchObject({
      output: {
        main: [
          { url: 'https://x.test/1', n: 2, nested: { list: [0, 2] }, first: 1 },
          { url: 'https://x.test/2', n: 4, nested: { list: [1, 2] }, first: 1 },
        ],
      },
    })
  })

  it.each<[string, string, string]>([
    ['an unknown node', '{{ $node["Nope"].json }}', 'EXPRESSION_UNKNOWN_NODE'],
    ['a node that has not run', '{{ $("Later").json }}', 'EXPRESSION_NODE_NOT_RUN'],
  ])('names %s', async (_label, expr, code) => {
    const h = harness(sandbox)
    const g = graph(['t:trigger', { id: 'p', type: 'params', params: { v: expr } }, { id: 'l', name: 'Later', type: 'pass' }], ['t>p', 'p>l'])
    const result = await h.run(g)
    expect(result.error).toMatchObject({ code, nodeId: 'p' })
    expect(result.error?.message).toMatch(/"(Nope|Later)"/)
  })

  it('resolves params against the trigger item when a node has no input items', async () => {
    const h = harness(sandbox)
    const g = graph(['t:trigger', 'e:empty', { id: 'p', type: 'params', params: { v: '{{ $json.id }}' } }], ['t>e', 'e>p'])
    await h.run(g, { input: [{ id: 'first' }] })
    expect(h.events.find((e) => e.type === 'step.succeeded' && e.nodeId === 'p')).toMatchObject({ output: { main: [{ v: 'first' }] } })
  })
})
