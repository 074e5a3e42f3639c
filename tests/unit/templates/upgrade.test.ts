// The three-way upgrade merge: every kind of node change, per-key param merges, conflicts and their resolutions,
// edges and notes.
import { describe, expect, it } from 'vitest'
import { workflowGraphSchema, type GraphNode, type WorkflowGraph } from '@/lib/engine/graph-schema'
import { ValidationError } from '@/lib/errors'
import { planUpgrade, sameJson } from '@/lib/templates/upgrade'

const n = (id: string, params: Record<string, unknown> = {}, extra: Partial<GraphNode> = {}) => ({ id, type: 'set', name: id.toUpperCase(), params, ...extra })

function g(nodes: Array<ReturnType<typeof n>>, edges: Array<[string, string]> = [], notes: unknown[] = []): WorkflowGraph {
  return workflowGraphSchema.parse({ nodes, edges: edges.map(([source, target]) => ({ source, target })), notes })
}

const base = () => g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 1, y: 1 }), n('b', { v: 'b' })], [['t', 'a'], ['a', 'b']])

function plan(theirs: WorkflowGraph, ours: WorkflowGraph) {
  const p = planUpgrade(base(), theirs, ours)
  const kinds = Object.fromEntries(p.changes.map((c) => [c.nodeId, `${c.kind}${c.conflict ? '!' : ''}`]))
  return { ...p, kinds, change: (id: string) => p.changes.find((c) => c.nodeId === id)! }
}

const edgesOf = (graph: WorkflowGraph) => graph.edges.map((e) => `${e.source}->${e.target}`).sort()

describe('planUpgrade: node kinds', () => {
  it('unchanged when neither side changed; the merge is the workflow itself', () => {
    const p = plan(base(), base())
    expect(p.kinds).toEqual({ t: 'unchanged', a: 'unchanged', b: 'unchanged' })
    expect(p.conflicts).toEqual([])
    expect(sameJson(p.merged(), base())).toBe(true)
  })

  it('template-changed: the template\'s change is applied', () => {
    const p = plan(g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 2, y: 1 }), n('b', { v: 'b' })], [['t', 'a'], ['a', 'b']]), base())
    expect(p.kinds.a).toBe('template-changed')
    expect(p.change('a').paramsChanged).toEqual(['x'])
    expect(p.merged().nodes[1].params).toEqual({ x: 2, y: 1 })
  })

  it('workflow-edited: the workflow\'s edit is kept', () => {
    const p = plan(base(), g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 1, y: 9 }, { name: 'Renamed' }), n('b', { v: 'b' })], [['t', 'a'], ['a', 'b']]))
    expect(p.kinds.a).toBe('workflow-edited')
    expect(p.change('a').workflowChanged).toEqual(['name', 'y'])
    expect(p.merged().nodes[1]).toMatchObject({ name: 'Renamed', params: { x: 1, y: 9 } })
  })

  it('both changed different keys of one node: merged, no conflict', () => {
    const p = plan(g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 2, y: 1, z: 'new' }), n('b', { v: 'b' })], [['t', 'a'], ['a', 'b']]), g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 1, y: 9 }), n('b', { v: 'b' })], [['t', 'a'], ['a', 'b']]))
    expect(p.kinds.a).toBe('both-changed')
    expect(p.merged().nodes[1].params).toEqual({ x: 2, y: 9, z: 'new' })
  })

  it('both changed the same key the same way: no conflict', () => {
    const same = g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 5, y: 1 }), n('b', { v: 'b' })], [['t', 'a'], ['a', 'b']])
    const p = plan(same, same)
    expect(p.kinds.a).toBe('both-changed')
    expect(p.conflicts).toEqual([])
    expect(p.merged().nodes[1].params.x).toBe(5)
  })

  it('both changed the same key differently: a conflict, resolved either way; other keys still merge', () => {
    const theirs = g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 2, y: 1, z: 1 }), n('b', { v: 'b' })], [['t', 'a'], ['a', 'b']])
    const ours = g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 3, y: 7 }), n('b', { v: 'b' })], [['t', 'a'], ['a', 'b']])
    const p = plan(theirs, ours)
    expect(p.kinds.a).toBe('both-changed!')
    expect(p.conflicts).toEqual(['a'])
    expect(p.change('a').conflictKeys).toEqual(['x'])
    expect(p.merged({ a: 'template' }).nodes[1].params).toEqual({ x: 2, y: 7, z: 1 })
    expect(p.merged({ a: 'workflow' }).nodes[1].params).toEqual({ x: 3, y: 7, z: 1 })
  })

  it('refuses to merge while a conflict has no resolution, naming resolutions.<nodeId>', () => {
    const p = plan(g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 2, y: 1 }), n('b', { v: 'b' })]), g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 3, y: 1 }), n('b', { v: 'b' })]))
    let error: unknown
    try {
      p.merged({ other: 'template' })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ValidationError)
    expect(Object.keys((error as ValidationError).fields!)).toEqual(['resolutions.a'])
  })

  it('added by template: the node and its edges arrive', () => {
    const p = plan(g([...base().nodes, n('c', { v: 'c' })], [['t', 'a'], ['a', 'b'], ['b', 'c']]), base())
    expect(p.kinds.c).toBe('added-by-template')
    expect(p.change('c').paramsChanged).toEqual(['name', 'type', 'typeVersion', 'settings', 'v'])
    const merged = p.merged()
    expect(merged.nodes.map((x) => x.id)).toEqual(['t', 'a', 'b', 'c'])
    expect(edgesOf(merged)).toEqual(['a->b', 'b->c', 't->a'])
  })

  it('removed by template: gone with its edges, unless the workflow edited it (a conflict)', () => {
    const theirs = g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 1, y: 1 })], [['t', 'a']])
    const untouched = plan(theirs, base())
    expect(untouched.kinds.b).toBe('removed-by-template')
    expect(untouched.merged().nodes.map((x) => x.id)).toEqual(['t', 'a'])
    expect(edgesOf(untouched.merged())).toEqual(['t->a'])

    const edited = plan(theirs, g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 1, y: 1 }), n('b', { v: 'mine' })], [['t', 'a'], ['a', 'b']]))
    expect(edited.kinds.b).toBe('removed-by-template!')
    expect(edited.merged({ b: 'template' }).nodes.map((x) => x.id)).toEqual(['t', 'a'])
    const kept = edited.merged({ b: 'workflow' })
    expect(kept.nodes.map((x) => x.id)).toEqual(['t', 'a', 'b'])
    // The edge into it was the template's and the template removed it; the workflow did not add it.
    expect(edgesOf(kept)).toEqual(['t->a'])
  })

  it('added by workflow: kept, with its edges', () => {
    const ours = g([...base().nodes, n('mine')], [['t', 'a'], ['a', 'b'], ['b', 'mine']])
    const p = plan(base(), ours)
    expect(p.kinds.mine).toBe('added-by-workflow')
    expect(edgesOf(p.merged())).toEqual(['a->b', 'b->mine', 't->a'])
  })

  it('removed by workflow: stays removed, unless the template changed it (a conflict)', () => {
    const ours = g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 1, y: 1 })], [['t', 'a']])
    expect(plan(base(), ours).kinds.b).toBe('removed-by-workflow')
    expect(plan(base(), ours).merged().nodes.map((x) => x.id)).toEqual(['t', 'a'])
    const changed = plan(g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 1, y: 1 }), n('b', { v: 'new' })], [['t', 'a'], ['a', 'b']]), ours)
    expect(changed.kinds.b).toBe('removed-by-workflow!')
    expect(changed.merged({ b: 'workflow' }).nodes.map((x) => x.id)).toEqual(['t', 'a'])
    expect(changed.merged({ b: 'template' }).nodes.find((x) => x.id === 'b')?.params).toEqual({ v: 'new' })
  })

  it('a node both added under the same id: a conflict only when they differ', () => {
    const add = (v: string) => g([...base().nodes, n('c', { v })], [['t', 'a'], ['a', 'b']])
    expect(plan(add('same'), add('same')).kinds.c).toBe('added-by-template')
    const p = plan(add('theirs'), add('ours'))
    expect(p.kinds.c).toBe('added-by-template!')
    expect(p.merged({ c: 'workflow' }).nodes[3].params.v).toBe('ours')
    expect(p.merged({ c: 'template' }).nodes[3].params.v).toBe('theirs')
  })
})

describe('planUpgrade: positions, settings, edges, notes', () => {
  it('a node the workflow moved stays put; otherwise it follows the template; moves alone are no change', () => {
    const theirs = g([n('t', {}, { type: 'manual-trigger', position: { x: 50, y: 50 } }), n('a', { x: 1, y: 1 }, { position: { x: 9, y: 9 } }), n('b', { v: 'b' })])
    const ours = g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 1, y: 1 }, { position: { x: 300, y: 0 } }), n('b', { v: 'b' })])
    const p = plan(theirs, ours)
    expect(p.kinds).toMatchObject({ t: 'unchanged', a: 'unchanged' })
    const merged = p.merged()
    expect(merged.nodes[0].position).toEqual({ x: 50, y: 50 })
    expect(merged.nodes[1].position).toEqual({ x: 300, y: 0 })
  })

  it('settings are one key: a template change applies, both changing them differently conflicts', () => {
    const withSettings = (s: Record<string, unknown>) => g([n('t', {}, { type: 'manual-trigger' }), n('a', { x: 1, y: 1 }, { settings: s }), n('b', { v: 'b' })])
    expect(plan(withSettings({ maxAttempts: 3 }), base()).merged().nodes[1].settings).toMatchObject({ maxAttempts: 3 })
    expect(plan(withSettings({ maxAttempts: 3 }), withSettings({ timeoutMs: 5 })).change('a').conflictKeys).toEqual(['settings'])
  })

  it('edges merge as sets: the template\'s additions and removals apply, the workflow\'s own stay; notes are the workflow\'s', () => {
    const theirs = g(base().nodes, [['t', 'a'], ['t', 'b']], [{ id: 'tn', text: 'template note', position: { x: 0, y: 0 } }])
    const ours = g(base().nodes, [['t', 'a'], ['a', 'b'], ['b', 'a']], [{ id: 'on', text: 'my note', position: { x: 0, y: 0 } }])
    const merged = plan(theirs, ours).merged()
    expect(edgesOf(merged)).toEqual(['b->a', 't->a', 't->b'])
    expect(merged.notes.map((x) => x.id)).toEqual(['on'])
  })
})

describe('sameJson', () => {
  it.each([
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [{ a: 1 }, { a: '1' }, false],
    [[1, 2], [2, 1], false],
    [{ a: [] }, { a: {} }, false],
    [null, {}, false],
  ])('%j ~ %j is %s', (x, y, expected) => {
    expect(sameJson(x, y)).toBe(expected)
  })
})
