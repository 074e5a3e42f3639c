import { describe, expect, it } from 'vitest'
import { switchNode, switchOutputs } from '@/lib/nodes/switch/definition'
import { runNode } from './harness'

const items = [{ kind: 'a', p: 0 }, { kind: 'b', p: 1 }, { kind: 'ab', p: 7 }, { kind: 'z', p: 'x' }]

describe('switch node', () => {
  it('derives outputs from params', () => {
    expect(switchOutputs({ rules: [{ left: 1, operator: 'equals', label: 'Big' }, { left: 1, operator: 'equals' }] })).toEqual([
      { name: 'out0', label: 'Big' },
      { name: 'out1', label: 'Rule 2' },
      { name: 'fallback', label: 'Fallback' },
    ])
    expect(switchOutputs({ mode: 'expression', outputCount: 3 }).map((p) => p.name)).toEqual(['out0', 'out1', 'out2', 'fallback'])
  })

  const rules = (item: Record<string, unknown>) => [
    { left: item.kind, operator: 'startsWith', right: 'a' },
    { left: item.kind, operator: 'contains', right: 'b' },
  ]

  it.each([
    ['firstMatch', { out0: [items[0], items[2]], out1: [items[1]], fallback: [items[3]] }],
    ['allMatches', { out0: [items[0], items[2]], out1: [items[1], items[2]], fallback: [items[3]] }],
  ])('rules mode with %s', async (matching, expected) => {
    const { output } = await runNode(switchNode, { items, paramsFor: (item) => ({ matching, rules: rules(item) }) })
    expect(output).toEqual(expected)
  })

  it('expression mode routes by index; out of range goes to fallback', async () => {
    const { output } = await runNode(switchNode, {
      items: items.slice(0, 3),
      paramsFor: (item) => ({ mode: 'expression', outputCount: 2, outputIndex: item.p }),
    })
    expect(output).toEqual({ out0: [items[0]], out1: [items[1]], fallback: [items[2]] })
  })

  it('accepts a numeric string index', async () => {
    const { output } = await runNode(switchNode, { items: [{}], params: { mode: 'expression', outputIndex: ' 1 ' } })
    expect(output.out1).toHaveLength(1)
  })

  it('names the item whose index is not a number', async () => {
    const promise = runNode(switchNode, { items, paramsFor: (item) => ({ mode: 'expression', outputIndex: item.p }) })
    await expect(promise).rejects.toMatchObject({ field: 'outputIndex', message: expect.stringContaining('item 3') })
  })
})
