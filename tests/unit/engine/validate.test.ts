import { describe, expect, it } from 'vitest'
import { createRegistry } from '@/lib/engine/registry'
import { validateGraph, type GraphProblemCode } from '@/lib/engine/validate'
import { Probe, registryFor, testDefinitions } from './builders'

const registry = registryFor()
const n = (id: string, type = 'pass', extra: Record<string, unknown> = {}) => ({ id, type, name: id, ...extra })
const e = (source: string, target: string, extra: Record<string, unknown> = {}) => ({ source, target, ...extra })
const base = [n('t', 'trigger'), n('a')]

describe('validateGraph', () => {
  it('accepts a valid graph and applies defaults', () => {
    const r = validateGraph({ nodes: base, edges: [e('t', 'a')] }, registry)
    expect(r.problems).toEqual([])
    expect(r.ok).toBe(true)
    expect(r.graph?.edges[0]).toEqual({ source: 't', sourcePort: 'main', target: 'a', targetPort: 'main' })
    expect(r.graph?.nodes[1]).toMatchObject({ typeVersion: 1, params: {}, settings: {}, position: { x: 0, y: 0 } })
  })

  it.each<[string, unknown, GraphProblemCode, string]>([
    ['not an object', 'nope', 'INVALID_SHAPE', ''],
    ['nodes missing', { edges: [] }, 'INVALID_SHAPE', 'nodes'],
    ['bad node field', { nodes: [n('t', 'trigger'), { id: 'a', type: 'pass', name: '' }] }, 'INVALID_SHAPE', 'nodes.a.name'],
    ['bad edge', { nodes: base, edges: [{ source: 't' }] }, 'INVALID_SHAPE', 'edges.0.target'],
    ['unknown type', { nodes: [n('t', 'trigger'), n('a', 'nope')] }, 'UNKNOWN_NODE_TYPE', 'nodes.a.type'],
    ['newer type version', { nodes: [n('t', 'trigger'), n('a', 'pass', { typeVersion: 7 })] }, 'UNKNOWN_TYPE_VERSION', 'nodes.a.typeVersion'],
    ['duplicate id', { nodes: [n('t', 'trigger'), n('a'), { ...n('a'), name: 'other' }] }, 'DUPLICATE_NODE_ID', 'nodes.2.id'],
    ['duplicate name', { nodes: [n('t', 'trigger'), n('a'), { ...n('b'), name: 'a' }] }, 'DUPLICATE_NODE_NAME', 'nodes.b.name'],
    ['edge from missing node', { nodes: base, edges: [e('x', 'a')] }, 'EDGE_UNKNOWN_SOURCE', 'edges.0.source'],
    ['edge to missing node', { nodes: base, edges: [e('t', 'x')] }, 'EDGE_UNKNOWN_TARGET', 'edges.0.target'],
    ['missing output port', { nodes: base, edges: [e('t', 'a', { sourcePort: 'nope' })] }, 'EDGE_UNKNOWN_SOURCE_PORT', 'edges.0.sourcePort'],
    ['missing input port', { nodes: base, edges: [e('t', 'a', { targetPort: 'nope' })] }, 'EDGE_UNKNOWN_TARGET_PORT', 'edges.0.targetPort'],
    ['edge into a trigger', { nodes: base, edges: [e('a', 't')] }, 'EDGE_UNKNOWN_TARGET_PORT', 'edges.0.targetPort'],
    ['error port without continueOnFail', { nodes: base, edges: [e('t', 'a'), e('a', 't', { sourcePort: 'error' })] }, 'EDGE_UNKNOWN_SOURCE_PORT', 'edges.1.sourcePort'],
    ['port not derived from params', { nodes: [n('t', 'trigger'), n('s', 'switch', { params: { ports: ['x'] } }), n('a')], edges: [e('t', 's'), e('s', 'a', { sourcePort: 'y' })] }, 'EDGE_UNKNOWN_SOURCE_PORT', 'edges.1.sourcePort'],
    ['duplicate edge', { nodes: base, edges: [e('t', 'a'), e('t', 'a')] }, 'DUPLICATE_EDGE', 'edges.1'],
    ['cycle', { nodes: [...base, n('b')], edges: [e('t', 'a'), e('a', 'b'), e('b', 'a')] }, 'CYCLE', 'nodes.a'],
    ['self loop', { nodes: base, edges: [e('t', 'a'), e('a', 'a')] }, 'CYCLE', 'nodes.a'],
    ['no trigger', { nodes: [n('a')] }, 'NO_TRIGGER', 'nodes'],
    ['empty graph', { nodes: [] }, 'NO_TRIGGER', 'nodes'],
    ['param type', { nodes: [n('t', 'trigger'), n('h', 'typed', { params: { url: 'not a url' } })] }, 'INVALID_PARAM', 'nodes.h.params.url'],
    ['missing param', { nodes: [n('t', 'trigger'), n('h', 'typed', { params: {} })] }, 'INVALID_PARAM', 'nodes.h.params.url'],
    ['nested param', { nodes: [n('t', 'trigger'), n('h', 'typed', { params: { url: 'https://x.test', nested: { n: 'x' } } })] }, 'INVALID_PARAM', 'nodes.h.params.nested.n'],
  ])('%s → %s at %s', (_label, input, code, path) => {
    const r = validateGraph(input, registry)
    expect(r.ok).toBe(false)
    expect(r.graph).toBeUndefined()
    expect(r.problems).toContainEqual(expect.objectContaining({ code, path }))
  })

  it('names the nodes of a cycle', () => {
    const r = validateGraph({ nodes: [...base, n('b'), n('c')], edges: [e('t', 'a'), e('a', 'b'), e('b', 'c'), e('c', 'a')] }, registry)
    const cycle = r.problems.find((p) => p.code === 'CYCLE')!
    expect(cycle.message).toContain('"a" → "b" → "c"')
  })

  it('ignores schema issues on expression values', () => {
    const r = validateGraph({ nodes: [n('t', 'trigger'), n('h', 'typed', { params: { url: '{{ $json.url }}', count: '{{ $json.n }}', nested: '{{ $json.obj }}' } })] }, registry)
    expect(r.problems).toEqual([])
  })

  it('accepts the error port of a continueOnFail node', () => {
    const r = validateGraph({ nodes: [...base, n('b')], edges: [e('t', 'a'), e('a', 'b', { sourcePort: 'error' })] }, registry)
    expect(r.problems.map((p) => p.code)).toEqual(['EDGE_UNKNOWN_SOURCE_PORT'])
    const ok = validateGraph({ nodes: [n('t', 'trigger'), n('a', 'pass', { settings: { continueOnFail: true } }), n('b')], edges: [e('t', 'a'), e('a', 'b', { sourcePort: 'error' })] }, registry)
    expect(ok.problems).toEqual([])
  })

  it('reports every problem at once', () => {
    const r = validateGraph(
      { nodes: [n('a', 'nope'), n('a'), { ...n('b'), name: 'a' }, n('c', 'typed', { params: {} })], edges: [e('b', 'zz'), e('b', 'c'), e('c', 'b')] },
      registry,
    )
    expect(new Set(r.problems.map((p) => p.code))).toEqual(
      new Set(['UNKNOWN_NODE_TYPE', 'DUPLICATE_NODE_ID', 'DUPLICATE_NODE_NAME', 'NO_TRIGGER', 'EDGE_UNKNOWN_TARGET', 'CYCLE', 'INVALID_PARAM']),
    )
  })

  it('validates a 10,000-node graph (linear: maps and iterative Tarjan, no recursion limit)', () => {
    const nodes = [n('t', 'trigger'), ...Array.from({ length: 9_999 }, (_, i) => n(`n${i}`))]
    const edges = nodes.slice(1).map((node, i) => e(nodes[i].id, node.id))
    const r = validateGraph({ nodes, edges }, registry)
    expect(r.ok).toBe(true)
    const looped = validateGraph({ nodes, edges: [...edges, e('n9998', 'n0')] }, registry)
    expect(looped.problems.filter((p) => p.code === 'CYCLE')).toHaveLength(1)
  })
})

describe('createRegistry', () => {
  it('throws on a duplicate type', () => {
    const defs = testDefinitions(new Probe())
    expect(() => createRegistry([...defs, defs[1]])).toThrow(/"pass" is registered twice/)
  })
})
