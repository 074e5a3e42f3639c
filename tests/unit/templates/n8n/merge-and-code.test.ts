// Merge v1, v2, v2.1, v3, v3.1, v3.2 modes and input ports; Code v1/v2 (both modes), Python, Function and Function
// Item: exact params and report entries, and the imported code runs in our sandbox with n8n's results.
import { afterAll, describe, expect, it } from 'vitest'
import { codeNode } from '@/lib/nodes/code/definition'
import { createSandbox } from '@/lib/sandbox/isolate'
import { runNode } from '../../nodes/harness'
import { expectValidGraph, importFixture } from './fixtures'

describe('Merge across versions', () => {
  const imported = importFixture('merge-versions.json')
  const { node, entry } = imported

  it('produces a graph our API accepts; n8n input indexes 0, 1, 2 → input1, input2, input3', () => {
    expectValidGraph(imported.graph)
    const into = (name: string) => imported.edges().filter((e) => e.includes(`-> ${name}:`))
    expect(into('Merge v3 append')).toEqual(['Orders:main -> Merge v3 append:input1', 'Customers:main -> Merge v3 append:input2', 'Customers:main -> Merge v3 append:input3'])
    expect(into('Merge v1 by key')).toEqual(['Orders:main -> Merge v1 by key:input1', 'Customers:main -> Merge v1 by key:input2'])
  })

  it.each([
    ['Merge v1 by key', { mode: 'byKey', joinKind: 'left', field1: 'customerId', field2: 'id', preferOnClash: 'input2' }],
    ['Merge v1 by index', { mode: 'byPosition', includeUnpaired: true }],
    ['Merge v1 pass-through', { mode: 'waitForAll', output: 'input2' }],
    ['Merge v2 fields', { mode: 'byKey', joinKind: 'inner', field1: 'customerId', field2: 'id', preferOnClash: 'input1' }],
    ['Merge v2 position', { mode: 'byPosition', includeUnpaired: true, preferOnClash: 'input2' }],
    ['Merge v2.1 choose', { mode: 'waitForAll', output: 'input2' }],
    ['Merge v3 append', { mode: 'append' }],
    ['Merge v3 position', { mode: 'byPosition', includeUnpaired: false, preferOnClash: 'input2' }],
    ['Merge v3 choose', { mode: 'waitForAll', output: 'input2' }],
  ])('%s maps exactly, with nothing to report', (name, params) => {
    expect(node(name).params).toEqual(params)
    expect(entry(name).unmapped).toEqual([])
  })

  it.each([
    ['Merge v1 multiplex', { mode: 'append' }, [['parameters.mode', `merge mode "multiplex" has no equivalent here; imported as append (input 1's items, then input 2's)`]]],
    ['Merge v2.1 enrich', { mode: 'byKey', joinKind: 'left', field1: 'a', field2: 'b', preferOnClash: 'input2' }, [['parameters.mergeByFields.values', 'matching on several field pairs has no equivalent here: only a = b is used']]],
    ['Merge v3 fields', { mode: 'byKey', joinKind: 'outer', field1: 'email', field2: 'email', preferOnClash: 'input2' }, [['parameters.options.clashHandling.values.resolveClash', 'adding a suffix to clashing fields has no equivalent here: input 2 wins']]],
    ['Merge v3 advanced', { mode: 'byKey', joinKind: 'inner', field1: 'sku', field2: 'code', preferOnClash: 'input2' }, [['parameters.outputDataFrom', "keeping only input1's fields has no equivalent here: matched items hold both inputs' fields"]]],
    [
      'Merge v3 SQL',
      { mode: 'append' },
      [
        ['parameters.mode', `merge mode "combineBySql" has no equivalent here; imported as append (input 1's items, then input 2's)`],
        ['parameters.query', 'not supported here'],
      ],
    ],
  ])('%s maps what it can and reports the rest', (name, params, unmapped) => {
    expect(node(name).params).toEqual(params)
    expect(entry(name).unmapped.map((u) => [u.path, u.reason])).toEqual(unmapped)
  })
})

describe('Code, Function and Function Item', () => {
  const imported = importFixture('code-versions.json')
  const { node, entry } = imported
  const sandbox = createSandbox({ poolSize: 1 })
  afterAll(() => sandbox.dispose())
  const run = (name: string, items: Record<string, unknown>[]) => runNode(codeNode, { params: node(name).params, items, services: { sandbox } })

  it('produces a graph our API accepts; Python becomes a placeholder', () => {
    expectValidGraph(imported.graph)
    expect(node('Python')).toMatchObject({ type: 'no-op', params: {} })
    expect(entry('Python')).toMatchObject({
      status: 'placeholder',
      unmapped: [
        { path: 'parameters.pythonCode', reason: 'python code has no equivalent here (the Code node runs JavaScript)', original: 'return _input.all()' },
        { path: 'type', reason: 'this configuration has no equivalent here (see the entries below): kept as a No-op placeholder; replace it' },
      ],
    })
  })

  it("Code v1 without jsCode runs n8n's default code: every item gets myNewField = 1", async () => {
    expect(node('Code v1 default').params).toMatchObject({ mode: 'runOnceForAllItems' })
    expect((await run('Code v1 default', [{ a: 1 }, { a: 2 }])).output).toEqual({ main: [{ a: 1, myNewField: 1 }, { a: 2, myNewField: 1 }] })
  })

  it('Code v2 per item: $input.item.json and $json as in n8n', async () => {
    expect(node('Code v2 each item').params).toMatchObject({ mode: 'runOnceForEachItem' })
    expect((await run('Code v2 each item', [{ n: 2 }, { n: 5 }])).output).toEqual({ main: [{ n: 2, double: 4 }, { n: 5, double: 10 }] })
  })

  it('Function: items as { json }, returned { json } items unwrapped', async () => {
    expect((await run('Function', [{ id: 1 }])).output).toEqual({ main: [{ id: 1, seen: true }] })
  })

  it('Function Item: item is the JSON itself, as in our per-item mode (no wrapper)', async () => {
    expect(node('Function Item').params).toEqual({ source: 'item.upper = String(item.name).toUpperCase();\nreturn item;', mode: 'runOnceForEachItem' })
    expect((await run('Function Item', [{ name: 'ada' }])).output).toEqual({ main: [{ name: 'ada', upper: 'ADA' }] })
  })

  it('code that reaches for $env, other nodes or require() is imported as written and reported once per feature', () => {
    expect(node('Code reaching out').params.source).toContain("const token = $env.API_TOKEN;\nconst first = $('Start').first().json;")
    expect(entry('Code reaching out').unmapped).toEqual([
      {
        path: 'parameters.jsCode',
        reason: 'uses environment variables or secrets ($env, $vars, $secrets): not imported, put them in a credential; the code was imported as written and will fail where it uses "$env"',
        original: '$env',
      },
      {
        path: 'parameters.jsCode',
        reason: 'uses other nodes\' output ($(), $node, $items): the Code node sees only its own input here; the code was imported as written and will fail where it uses "$("',
        original: '$(',
      },
      { path: 'parameters.jsCode', reason: 'uses require(): the sandbox has no modules; the code was imported as written and will fail where it uses "require("', original: 'require(' },
    ])
  })
})
