// Files that are not n8n workflows, or that try to reach past plain data, are refused with a ValidationError naming
// the field; names with markup or control characters are cleaned and the report says so.
import { describe, expect, it } from 'vitest'
import { ValidationError } from '@/lib/errors'
import { importN8nWorkflow } from '@/lib/templates/n8n/import'
import { cleanNodeName } from '@/lib/templates/n8n/input'

const trigger = { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }

function refusal(input: unknown): { message: string; fields?: Record<string, string> } {
  try {
    importN8nWorkflow(input)
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError)
    return { message: (err as ValidationError).message, fields: (err as ValidationError).fields }
  }
  throw new Error('expected a ValidationError')
}

describe('importN8nWorkflow refuses', () => {
  it.each([
    ['malformed JSON text', '{"nodes": [', 'file', /^file: not valid JSON/],
    ['a number', 42, 'workflow', /^workflow: an n8n workflow is a JSON object/],
    ['null', null, 'workflow', /^workflow: /],
    ['an array', [trigger], 'workflow', /^workflow: /],
    ['no nodes', { connections: {} }, 'nodes', /^nodes: missing/],
    ['nodes that are not a list', { nodes: { a: trigger }, connections: {} }, 'nodes', /^nodes: missing/],
    ['no connections', { nodes: [trigger] }, 'connections', /^connections: missing/],
    ['a node that is not an object', { nodes: [trigger, 'oops'], connections: {} }, 'nodes.1', /^nodes\.1: each node must be an object/],
    ['a node without a name', { nodes: [{ ...trigger, name: undefined }], connections: {} }, 'nodes.0.name', /a node needs a name/],
    ['a node with a blank name', { nodes: [{ ...trigger, name: '  ' }], connections: {} }, 'nodes.0.name', /a node needs a name/],
    ['a node without a type', { nodes: [{ ...trigger, type: 7 }], connections: {} }, 'nodes.0.type', /a node needs a type/],
    ['a negative typeVersion', { nodes: [{ ...trigger, typeVersion: -1 }], connections: {} }, 'nodes.0.typeVersion', /positive number/],
    ['parameters that are not an object', { nodes: [{ ...trigger, parameters: 'x' }], connections: {} }, 'nodes.0.parameters', /must be an object/],
    ['two nodes with one name', { nodes: [trigger, { ...trigger }], connections: {} }, 'nodes.1.name', /two nodes are named "Start"/],
    ['a node name of 1,001 characters', { nodes: [{ ...trigger, name: 'x'.repeat(1001) }], connections: {} }, 'nodes.0.name', /at most 1,000/],
    ['a non-finite number', { nodes: [{ ...trigger, position: [Number.NaN, 0] }], connections: {} }, 'nodes.0.position.0', /not a JSON number/],
    ['a class instance', { nodes: [{ ...trigger, parameters: { when: new Date() } }], connections: {} }, 'nodes.0.parameters.when', /not a plain JSON object/],
  ])('%s', (_what, input, field, message) => {
    const e = refusal(input)
    expect(e.message).toMatch(message)
    expect(Object.keys(e.fields ?? {})).toEqual([field])
  })

  it.each([
    ['__proto__ in parameters', '{"nodes":[{"name":"Start","type":"n8n-nodes-base.manualTrigger","parameters":{"__proto__":{"polluted":true}}}],"connections":{}}', 'nodes.0.parameters.__proto__'],
    ['constructor in a connection', '{"nodes":[],"connections":{"A":{"main":[[{"node":"B","constructor":{"prototype":{}}}]]}}}', 'connections.A.main.0.0.constructor'],
    ['prototype at the top', '{"nodes":[],"connections":{},"prototype":{"x":1}}', 'prototype'],
    ['__proto__ as a node name key', '{"nodes":[],"connections":{"__proto__":{"main":[]}}}', 'connections.__proto__'],
  ])('prototype-pollution keys anywhere: %s', (_what, text, field) => {
    const e = refusal(text)
    expect(Object.keys(e.fields ?? {})).toEqual([field])
    expect(e.message).toContain('is not allowed')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('more than 10,000 nodes, before reading any of them', () => {
    const nodes = Array.from({ length: 10_001 }, (_, i) => ({ ...trigger, name: `n${i}` }))
    expect(refusal({ nodes, connections: {} })).toEqual({
      message: 'nodes: 10,001 nodes; at most 10,000 can be imported',
      fields: { nodes: '10,001 nodes; at most 10,000 can be imported' },
    })
  })

  it('JSON text over 20,000,000 characters, before parsing it', () => {
    expect(refusal(' '.repeat(20_000_001))).toEqual({ message: 'file: larger than 20,000,000 characters', fields: { file: 'larger than 20,000,000 characters' } })
  })

  it('but imports 10,000 nodes, the limit (a chain of Set nodes referring to the trigger: about a second)', () => {
    const sets = Array.from({ length: 9_999 }, (_, i) => ({ name: `Set ${i}`, type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [i, 0], parameters: { assignments: { assignments: [{ name: 'x', value: `={{ $('Start').item.json.a + ${i} }}`, type: 'number' }] } } }))
    const nodes = [trigger, ...sets]
    const connections = Object.fromEntries(nodes.slice(0, -1).map((n, i) => [n.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }]))
    const { graph, report } = importN8nWorkflow(JSON.stringify({ nodes, connections }))
    expect([graph.nodes.length, graph.edges?.length, report.summary.mapped, report.graphProblems]).toEqual([10_000, 9_999, 10_000, []])
  })

  it('nesting deeper than 64 levels', () => {
    let deep: unknown = 1
    for (let i = 0; i < 70; i++) deep = { a: deep }
    const e = refusal({ nodes: [{ ...trigger, parameters: { deep } }], connections: {} })
    expect(e.message).toMatch(/nested more than 64 levels deep$/)
  })
})

describe('importN8nWorkflow cleans names and reports what it left out', () => {
  it('removes markup, control and invisible characters from names, keeps them unique, and rewrites references to them', () => {
    const { graph, report } = importN8nWorkflow({
      nodes: [
        { ...trigger, name: 'Start\u0000\u202e' },
        { name: '<img src=x onerror=alert(1)>Set <b>total</b>', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0], parameters: { assignments: { assignments: [{ name: 'x', value: "={{ $('Start\u0000\u202e').item.json.a }}", type: 'string' }] } } },
        { name: 'Set total', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, 0], parameters: {} },
      ],
      connections: { 'Start\u0000\u202e': { main: [[{ node: '<img src=x onerror=alert(1)>Set <b>total</b>', type: 'main', index: 0 }]] } },
    })
    expect(graph.nodes.map((n) => n.name)).toEqual(['Start', 'Set total', 'Set total (2)'])
    expect(report.nodes.map((n) => n.notes[0])).toEqual([
      'renamed from "Start\\u0000\u202e": control characters, markup, backslashes, backticks and double braces are removed from names',
      'renamed from "<img src=x onerror=alert(1)>Set <b>total</b>": control characters, markup, backslashes, backticks and double braces are removed from names',
      'renamed from "Set total": another node has this name once control characters and markup are removed',
    ])
    expect(graph.nodes[1].params).toEqual({ fields: [{ name: 'x', value: '{{ ($("Start").items[$itemIndex] ?? $("Start").json).a }}', type: 'string' }], keepOtherFields: false })
    expect(graph.edges).toEqual([{ source: 'n1', sourcePort: 'main', target: 'n2', targetPort: 'main' }])
  })

  it.each([
    ['Plain name', 'Plain name'],
    ['Tab\there\nand there', 'Tab here and there'],
    ['<script>alert(1)</script>Hi', 'alert(1) Hi'],
    ['a {{ $json.x }} b', 'a $json.x b'],
    ['back\\slash `tick`', 'backslash tick'],
    [`both "quotes" and 'apostrophes'`, `both 'quotes' and 'apostrophes'`],
    ['\u202eevil\u200b', 'evil'],
    ['x'.repeat(250), 'x'.repeat(200)],
  ])('cleanNodeName(%j) → %j', (raw, clean) => {
    expect(cleanNodeName(raw)).toBe(clean)
  })

  it('reports connections from or to nodes that do not exist and malformed targets, never crashing', () => {
    const { graph, report } = importN8nWorkflow({
      nodes: [trigger],
      connections: {
        Ghost: { main: [[{ node: 'Start', type: 'main', index: 0 }]] },
        Start: { main: [[{ node: 'Nowhere', type: 'main', index: 0 }, 'junk'], 'not a list'] },
        Odd: 5,
      },
    })
    expect(graph.edges).toEqual([])
    expect(report.workflow).toEqual([
      { path: 'connections.Ghost.main', reason: '"Ghost" is not a node of the workflow: its connections were left out' },
      { path: 'connections.Start.main.0.0', reason: '"Nowhere" is not a node of the workflow: the connection was left out' },
      { path: 'connections.Start.main.0.1', reason: 'not a { node, type, index } target: left out', original: 'junk' },
      { path: 'connections.Start.main.1', reason: 'not a list of targets: left out', original: 'not a list' },
      { path: 'connections.Odd', reason: 'not an object of connection types: left out', original: '5' },
    ])
  })

  it("reports the workflow's error workflow and pinned data, which are not imported", () => {
    const { report } = importN8nWorkflow({ nodes: [trigger], connections: {}, settings: { errorWorkflow: '17', timezone: 'UTC' }, pinData: { Start: [{ json: { a: 1 } }] } })
    expect(report.workflow).toEqual([
      { path: 'settings.errorWorkflow', reason: 'error workflows are not imported: start one with an Error trigger here', original: '17' },
      { path: 'pinData', reason: 'pinned data is not imported (nodes: Start)' },
    ])
    expect(report.summary.unmappedEntries).toBe(2)
  })

  it('accepts JSON text as well as a parsed value', () => {
    expect(importN8nWorkflow(JSON.stringify({ nodes: [trigger], connections: {} })).graph.nodes).toHaveLength(1)
  })
})
