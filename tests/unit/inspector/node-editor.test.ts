import { describe, expect, it } from 'vitest'
import { fieldExpression, itemSchema, pathExpression } from '@/components/inspector/item-schema'
import { getIn, mappedValue, setIn } from '@/components/inspector/field-drop'
import { makeStore, elementsRemoved, graphLoaded, pinDataSet } from '@/lib/store'
import { toWorkflowGraph } from '@/lib/store/graph-ops'

describe('itemSchema', () => {
  it('merges the fields of the items, nested, with types and a sample value', () => {
    const schema = itemSchema([
      { id: 1, name: 'Ada', address: { city: 'London' }, tags: ['x'] },
      { id: 2, name: null, extra: true, address: { city: 'Paris', zip: '75' } },
    ])
    expect(schema.map((f) => [f.key, f.type, f.sample])).toEqual([
      ['id', 'number', 1],
      ['name', 'string', 'Ada'],
      ['address', 'object', { city: 'London' }],
      ['tags', 'array', ['x']],
      ['extra', 'boolean', true],
    ])
    const address = schema.find((f) => f.key === 'address')!
    expect(address.children.map((c) => [c.path, c.type, c.sample])).toEqual([[['address', 'city'], 'string', 'London'], [['address', 'zip'], 'string', '75']])
    expect(schema.find((f) => f.key === 'tags')!.children[0]).toMatchObject({ path: ['tags', '0'], type: 'string' })
  })

  it('names mixed types', () => {
    expect(itemSchema([{ v: 1 }, { v: 'a' }])[0].type).toBe('number | string')
  })
})

describe('the expression a dragged field maps to', () => {
  it.each<[string[], { name: string; direct: boolean }, string]>([
    [['email'], { name: 'Fetch', direct: true }, '{{ $json.email }}'],
    [['customer', 'address', 'city'], { name: 'Fetch', direct: true }, '{{ $json.customer.address.city }}'],
    [['lines', '0', 'sku'], { name: 'Fetch', direct: true }, '{{ $json.lines[0].sku }}'],
    [['first name'], { name: 'Fetch', direct: true }, '{{ $json["first name"] }}'],
    [['email'], { name: 'Webhook "in"', direct: false }, '{{ $node["Webhook \\"in\\""].json.email }}'],
  ])('%j from %j', (path, source, expected) => {
    expect(fieldExpression(path, source)).toBe(expected)
  })

  it('paths', () => {
    expect(pathExpression(['0', 'a-b'])).toBe('[0]["a-b"]')
  })
})

describe('dropping onto a parameter', () => {
  it('replaces a fixed value and appends to an expression', () => {
    expect(mappedValue('hello', '{{ $json.a }}')).toBe('{{ $json.a }}')
    expect(mappedValue(undefined, '{{ $json.a }}')).toBe('{{ $json.a }}')
    expect(mappedValue('Hi {{ $json.a }} ', '{{ $json.b }}')).toBe('Hi {{ $json.a }} {{ $json.b }}')
  })

  it('sets nested list/object values without touching the rest', () => {
    const fields = [{ name: 'a', value: 1 }, { name: 'b', value: 2 }]
    const next = setIn(fields, ['1', 'value'], '{{ $json.x }}') as typeof fields
    expect(next).toEqual([{ name: 'a', value: 1 }, { name: 'b', value: '{{ $json.x }}' }])
    expect(next[0]).toBe(fields[0])
    expect(fields[1].value).toBe(2)
    expect(getIn({ fields }, ['fields', '1', 'name'])).toBe('b')
    expect(setIn(undefined, ['o', 'k'], 1)).toEqual({ o: { k: 1 } })
  })
})

describe('pinned data in the designer store', () => {
  const graph = {
    nodes: [
      { id: 't', type: 'manual-trigger', name: 'Start', position: { x: 0, y: 0 } },
      { id: 'h', type: 'http-request', name: 'Fetch', position: { x: 300, y: 0 } },
    ],
    edges: [{ source: 't', target: 'h' }],
    pinData: { h: [{ id: 1 }], gone: [{ id: 2 }] },
  }

  it('loads pins of existing nodes, saves them with the graph, and drops them with their node', () => {
    const store = makeStore()
    store.dispatch(graphLoaded(graph))
    expect(store.getState().graph.pinData).toEqual({ h: [{ id: 1 }] })
    store.dispatch(pinDataSet({ id: 't', items: [{ a: 1 }] }))
    expect(toWorkflowGraph(store.getState().graph).pinData).toEqual({ h: [{ id: 1 }], t: [{ a: 1 }] })
    store.dispatch(pinDataSet({ id: 't', items: null }))
    store.dispatch(elementsRemoved({ nodeIds: ['h'] }))
    expect(toWorkflowGraph(store.getState().graph).pinData).toBeUndefined()
  })
})
