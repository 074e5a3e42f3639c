// 1,000,000 items through Code (both modes), HTTP Request and Merge with a store that drops each page once it is
// read: every execute() call of a batch node sees one page and every store write is at most one page. (The store
// still holds a step's whole output until the next step reads it, so memory is measured by the bench instead:
// bench/nodes-rss.ts streams the input and drops the output.)
import { afterAll, describe, expect, it } from 'vitest'
import type { HttpClient, Item } from '@/lib/engine/types'
import { createSandbox } from '@/lib/sandbox/isolate'
import { DiscardingStore } from '../../helpers/discarding-store'
import { numbered, runFlow, type FlowNode } from './flow'

const sandbox = createSandbox({ poolSize: 1 })
afterAll(() => sandbox.dispose())

const MILLION = 1_000_000

/** An HTTP client answering in process (a stub of the network, not of our code): one JSON body per request. */
const answering: HttpClient = {
  request: async (spec) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(`{"ok":true,"url":${JSON.stringify(spec.url)}}`), url: spec.url }),
}

async function million(nodes: FlowNode[], edges?: [string, string, string?, string?][], make: (i: number) => Item = (i) => ({ i })) {
  const appendSizes = new Set<number>()
  const store = new DiscardingStore((items) => appendSizes.add(items.length))
  const flow = await runFlow(nodes, numbered(MILLION, 1000, make), { pageSize: 1000, store, sandbox, http: answering, edges })
  expect(flow.result.error).toBeUndefined()
  expect(Math.max(...appendSizes)).toBeLessThanOrEqual(1000)
  const counts = Object.fromEntries(Object.entries(flow.result.steps).map(([id, s]) => [id, s.outputCounts.main ?? 0]))
  return { flow, counts }
}

describe('1,000,000 items page by page', { timeout: 180_000 }, () => {
  it('Code, once for all items: one run per page, $state sums to the last page', async () => {
    const source = '$state.n = ($state.n ?? 0) + items.length; $state.sum = ($state.sum ?? 0) + items.reduce((s, x) => s + x.i, 0); return $page.isLast ? [{ ...$state, pages: $page.index + 1 }] : []'
    const { flow, counts } = await million([{ id: 'code', type: 'code', params: { source } }])
    expect(counts.code).toBe(1)
    expect(await flow.output('code')).toEqual([{ n: MILLION, sum: (MILLION * (MILLION - 1)) / 2, pages: 1000 }])
    expect(flow.largestPage('code')).toBe(1000)
  })

  it('Code, once for each item', async () => {
    const { flow, counts } = await million([{ id: 'code', type: 'code', params: { mode: 'runOnceForEachItem', source: 'return { i: $json.i, twice: index * 2 }' } }])
    expect(counts.code).toBe(MILLION)
    expect(flow.largestPage('code')).toBe(1000)
  })

  it('HTTP Request, one request per item', async () => {
    const { flow, counts } = await million([{ id: 'http', type: 'http-request', params: { url: 'https://api.example.test/items/{{ $json.i }}', concurrency: 10 } }])
    expect(counts.http).toBe(MILLION)
    expect(flow.largestPage('http-request')).toBe(1000)
  })

  const route = (matching: string, rules: string[]) => ({
    id: 'route',
    type: 'switch',
    params: { matching, rules: rules.map((field) => ({ left: `{{ $json.${field} }}`, operator: 'isTrue' })) },
  })
  const mergeEdges: [string, string, string?, string?][] = [['start', 'route'], ['route', 'merge', 'out0', 'input1'], ['route', 'merge', 'out1', 'input2']]
  const make = (i: number) => ({ i, even: i % 2 === 0, odd: i % 2 === 1, all: true, lookup: i < 1000, key: i % 1000 })

  it.each<[string, Record<string, unknown>, ReturnType<typeof route>, number]>([
    ['append', { mode: 'append' }, route('firstMatch', ['even', 'odd']), MILLION],
    ['byPosition', { mode: 'byPosition' }, route('firstMatch', ['even', 'odd']), MILLION / 2],
    ['byKey against 1,000 items', { mode: 'byKey', field1: 'key', field2: 'i' }, route('allMatches', ['all', 'lookup']), MILLION],
  ])('Merge %s', async (_name, params, switchNode, expected) => {
    const { counts } = await million([switchNode, { id: 'merge', type: 'merge', params }], mergeEdges, make)
    expect(counts.merge).toBe(expected)
  })
})
