import { describe, expect, it } from 'vitest'
import { describeParams, type JsonSchema } from '@/lib/forms/schema'
import { catalogueEntry } from '@/lib/nodes/catalogue'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'
import { removeDuplicatesNode } from './definition'

async function dedupe(params: Record<string, unknown>, input: Record<string, unknown>[]) {
  const flow = await runFlow([{ id: 'dedupe', type: 'remove-duplicates', params }], input)
  return { flow, out: await flow.output('dedupe') }
}

describe('remove-duplicates node', () => {
  it('keeps the first of items equal in every field, ignoring key order', async () => {
    const { flow, out } = await dedupe({}, [{ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, { a: 1, b: { c: [2, 1] } }, { a: '1', b: { c: [1, 2] } }])
    expect(flow.result.status).toBe('succeeded')
    expect(out).toEqual([{ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [2, 1] } }, { a: '1', b: { c: [1, 2] } }])
  })

  it('compares only the selected fields; missing equals null', async () => {
    const input = [
      { email: 'a@x.io', n: 1 },
      { email: 'b@x.io', n: 2 },
      { email: 'a@x.io', n: 3 },
      { n: 4 },
      { email: null, n: 5 },
    ]
    expect((await dedupe({ compare: 'selectedFields', fields: ['email'] }, input)).out.map((x) => x.n)).toEqual([1, 2, 4])
  })

  it('compares several nested fields together', async () => {
    const input = [
      { who: { id: 1 }, day: 'mon' },
      { who: { id: 1 }, day: 'tue' },
      { who: { id: 1 }, day: 'mon', extra: true },
    ]
    expect((await dedupe({ compare: 'selectedFields', fields: ['who.id', 'day'] }, input)).out).toEqual(input.slice(0, 2))
  })

  it('remembers keys across pages: 2,500 items with 100 distinct values', async () => {
    const flow = await runFlow(
      [{ id: 'dedupe', type: 'remove-duplicates', params: { compare: 'selectedFields', fields: ['v'] } }],
      numbered(2500, 1000, (i) => ({ i, v: (i * 7) % 100, long: 'x'.repeat(i % 2 ? 100 : 1) })),
      { pageSize: 1000 },
    )
    const out = await flow.output('dedupe')
    expect(out.map((x) => x.i)).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(flow.calls('remove-duplicates')).toBe(3)
    expect(flow.largestPage('remove-duplicates')).toBe(1000)
  })

  it('tells long items apart by their hash', async () => {
    const long = (tail: string) => ({ text: `${'y'.repeat(500)}${tail}` })
    expect((await dedupe({}, [long('a'), long('b'), long('a')])).out).toEqual([long('a'), long('b')])
  })

  it('fails naming the field when selectedFields has none, or a reserved one', async () => {
    expect((await dedupe({ compare: 'selectedFields' }, [{ a: 1 }])).flow.result.error).toMatchObject({ code: 'INVALID_PARAM', field: 'fields' })
    expect((await dedupe({ compare: 'selectedFields', fields: ['a', '__proto__.x'] }, [{ a: 1 }])).flow.result.error).toMatchObject({ code: 'RESERVED_KEY', field: 'fields.1' })
  })

  it.each([
    [{ compare: 'some' }, ['compare']],
    [{ fields: [''] }, ['fields', 0]],
  ])('refuses %j naming the field', (params, path) => {
    expect(removeDuplicatesNode.params.safeParse(params).error?.issues[0].path).toEqual(path)
  })

  it.each([
    ['fields', { compare: ['selectedFields'] }],
    ['historySize', { history: ['workflow'] }],
  ])('shows %s only when it applies', (key, showIf) => {
    expect(describeParams(catalogueEntry(removeDuplicatesNode).params as JsonSchema).find((f) => f.key === key)?.showIf).toEqual(showIf)
  })
})
