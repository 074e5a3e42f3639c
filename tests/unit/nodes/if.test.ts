import { afterAll, describe, expect, it } from 'vitest'
import { evaluateCondition, type Condition, type Operator } from '@/lib/nodes/conditions'
import { ifNode } from '@/lib/nodes/if/definition'
import { createSandbox } from '@/lib/sandbox/isolate'
import { runNode } from './harness'

const sandbox = createSandbox({ poolSize: 1 })
afterAll(() => sandbox.dispose())

const hostRegex = async (pattern: string, flags: string, value: string) => new RegExp(pattern, flags).test(value)

describe('condition operators', () => {
  it.each<[Operator, unknown, unknown, boolean]>([
    ['equals', 5, '5', true],
    ['equals', '5', 5.0, true],
    ['equals', 'a', 'A', false],
    ['equals', true, 'true', true],
    ['equals', { a: 1, b: [2] }, { b: [2], a: 1 }, true],
    ['equals', null, undefined, true],
    ['equals', null, '', false],
    ['equals', 0, '', false],
    ['notEquals', 1, 2, true],
    ['contains', 'hello world', 'o w', true],
    ['contains', ['a', 2], '2', true],
    ['contains', { key: 1 }, 'key', true],
    ['contains', null, 'x', false],
    ['notContains', 'abc', 'z', true],
    ['startsWith', 'invoice-7', 'invoice', true],
    ['startsWith', 12345, 12, true],
    ['endsWith', 'report.pdf', '.pdf', true],
    ['endsWith', undefined, '', false],
    ['gt', '10', 9, true],
    ['gt', '10', '9', true],
    ['gt', 'b', 'a', true],
    ['gt', '2024-05-01', '2024-04-30T23:00:00Z', true],
    ['gt', 'abc', 5, false],
    ['gte', 5, '5', true],
    ['lt', -1, 0, true],
    ['lte', '2024-01-01', '2024-01-01', true],
    ['isEmpty', '  ', undefined, true],
    ['isEmpty', [], undefined, true],
    ['isEmpty', {}, undefined, true],
    ['isEmpty', 0, undefined, false],
    ['isNotEmpty', 'x', undefined, true],
    ['isTrue', 'TRUE', undefined, true],
    ['isTrue', 1, undefined, true],
    ['isTrue', 'yes', undefined, false],
    ['isFalse', '0', undefined, true],
    ['isFalse', null, undefined, false],
    ['exists', 0, undefined, true],
    ['exists', null, undefined, false],
    ['regex', 'order-123', '^order-\\d+$', true],
    ['regex', 'ORDER-1', '/^order/i', true],
    ['regex', 'abc', '/x/', false],
    ['regex', { a: 1 }, '.', false],
  ])('%s(%j, %j) → %s', async (operator, left, right, expected) => {
    expect(await evaluateCondition({ left, operator, right } as Condition, hostRegex)).toBe(expected)
  })
})

describe('if node', () => {
  const items = [{ status: 'paid', total: 120 }, { status: 'open', total: 80 }, { status: 'paid', total: 10 }]
  const run = (combine: 'all' | 'any') =>
    runNode(ifNode, {
      items,
      services: { sandbox },
      paramsFor: (item) => ({
        combine,
        conditions: [
          { left: item.status, operator: 'equals', right: 'paid' },
          { left: item.total, operator: 'gte', right: 100 },
        ],
      }),
    }).then((r) => r.output)

  it.each([
    ['all', [items[0]], [items[1], items[2]]],
    ['any', [items[0], items[2]], [items[1]]],
  ] as const)('combine %s routes items to true and false', async (combine, yes, no) => {
    expect(await run(combine)).toEqual({ true: yes, false: no })
  })

  it('sends everything to true when there are no conditions', async () => {
    const { output } = await runNode(ifNode, { items, params: {} })
    expect(output.true).toHaveLength(3)
  })

  it('runs regex in the sandbox, so a catastrophic pattern is stopped', async () => {
    const promise = runNode(ifNode, {
      items: [{ s: `${'a'.repeat(40)}!` }],
      services: { sandbox },
      paramsFor: (item) => ({ conditions: [{ left: item.s, operator: 'regex', right: '^(a+)+$' }] }),
    })
    await expect(promise).rejects.toMatchObject({ code: 'INVALID_REGEX', field: 'conditions', message: expect.stringMatching(/limit of 1000 ms/) })
  })

  it('names a broken pattern', async () => {
    const promise = runNode(ifNode, { items: [{}], services: { sandbox }, params: { conditions: [{ left: 'x', operator: 'regex', right: '(' }] } })
    await expect(promise).rejects.toMatchObject({ code: 'INVALID_REGEX', message: expect.stringContaining('/(/') })
  })

  it('rejects an unknown operator at validation', () => {
    const result = ifNode.params.safeParse({ conditions: [{ left: 1, operator: 'almost' }] })
    expect(result.error?.issues[0].path).toEqual(['conditions', 0, 'operator'])
  })
})
