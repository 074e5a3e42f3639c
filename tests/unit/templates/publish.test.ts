// Publishing: content checks (graph, $param uses, credential slots, parameters, test cases), each problem naming its
// field, and making template content from a workflow graph.
import { describe, expect, it } from 'vitest'
import { workflowGraphSchema, type WorkflowGraph } from '@/lib/engine/graph-schema'
import { ValidationError } from '@/lib/errors'
import { checkTemplateContent, makeTemplateFromWorkflow } from '@/lib/templates/publish'

type NodeIn = { id: string; type: string; name: string; params?: Record<string, unknown>; settings?: Record<string, unknown> }

const trigger: NodeIn = { id: 'trigger', type: 'manual-trigger', name: 'Start', params: {} }
const set = (fields: Record<string, unknown>): NodeIn => ({
  id: 's', type: 'set', name: 'Set', params: { fields: Object.entries(fields).map(([name, value]) => ({ name, value, type: 'auto' })), keepOtherFields: true },
})
const mail = (credential: unknown): NodeIn => ({ id: 'mail', type: 'send-email', name: 'Mail', params: { credential, to: 'ops@example.com' } })

function graph(...nodes: NodeIn[]): WorkflowGraph {
  return workflowGraphSchema.parse({ nodes, edges: nodes.slice(1).map((n, i) => ({ source: nodes[i].id, target: n.id })) })
}

function content(over: Record<string, unknown> = {}) {
  return {
    name: 'Greeter',
    category: 'productivity',
    graph: graph(trigger, set({ greeting: '{{ $param.greeting }}' }), mail({ $credentialRef: 'smtp' })),
    parameters: [{ name: 'greeting', type: 'string', default: 'Hello' }],
    credentials: [{ ref: 'smtp', kinds: ['smtp'] }],
    testCases: [{ name: 'greets', params: { greeting: 'Hi' }, input: [{ who: 'Ada' }], expect: [{ node: 'Set', equals: [{ who: 'Ada', greeting: 'Hi' }] }] }],
    ...over,
  }
}

/** Every field a ValidationError names (with its message), or null when the content passes. */
function problems(input: unknown): Record<string, string> | null {
  try {
    checkTemplateContent(input)
    return null
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    return err.fields ?? {}
  }
}

describe('checkTemplateContent', () => {
  it('passes sound content and derives its node types, sorted and distinct', () => {
    const { content: out, nodeTypes } = checkTemplateContent(content({ graph: graph(trigger, set({ a: '{{ $param.greeting }}' }), { ...set({ b: 1 }), id: 's2', name: 'Set 2' }, mail({ $credentialRef: 'smtp' })) }))
    expect(nodeTypes).toEqual(['manual-trigger', 'send-email', 'set'])
    expect(out.parameters[0]).toMatchObject({ name: 'greeting', required: false, description: '' })
  })

  it.each([
    ['an unknown node type', { graph: graph(trigger, { id: 'x', type: 'quantum', name: 'Q' }) , parameters: [], credentials: [], testCases: [] }, 'graph.nodes.x.type'],
    ['a graph without a trigger', { graph: graph(set({ greeting: '{{ $param.greeting }}' })), credentials: [], testCases: [] }, 'graph.nodes'],
    ['a $param that is not declared', { graph: graph(trigger, set({ greeting: '{{ $param.greeting }}', other: 'x {{ $param.nope }}' }), mail({ $credentialRef: 'smtp' })) }, 'graph.nodes.s.params.fields.1.value'],
    ['a declared parameter no node uses', { parameters: [{ name: 'greeting', type: 'string' }, { name: 'spare', type: 'number' }] }, 'parameters.1.name'],
    ['an unsupported $param form', { graph: graph(trigger, set({ greeting: '{{ $param.greeting }}', other: '{{ $param["greeting"] }}' }), mail({ $credentialRef: 'smtp' })) }, 'graph.nodes.s.params.fields.1.value'],
    ['a parameter declared twice', { parameters: [{ name: 'greeting', type: 'string' }, { name: 'greeting', type: 'text' }] }, 'parameters.1.name'],
    ['a select without options', { parameters: [{ name: 'greeting', type: 'select' }] }, 'parameters.0.options'],
    ['a default that is an expression', { parameters: [{ name: 'greeting', type: 'string', default: '{{ $credentials.smtp.password }}' }] }, 'parameters.0.default'],
    ['a default of the wrong type', { parameters: [{ name: 'greeting', type: 'number', default: 'many' }] }, 'parameters.0.default'],
    ['a concrete credential id', { graph: graph(trigger, set({ greeting: '{{ $param.greeting }}' }), mail('cred_123')), credentials: [] }, 'graph.nodes.mail.params.credential'],
    ['a credential given by expression', { graph: graph(trigger, set({ greeting: '{{ $param.greeting }}' }), mail('{{ $json.cred }}')), credentials: [] }, 'graph.nodes.mail.params.credential'],
    ['a slot that is not declared', { credentials: [] }, 'graph.nodes.mail.params.credential'],
    ['a slot of a kind the node does not take', { credentials: [{ ref: 'smtp', kinds: ['smtp', 'bearer'] }] }, 'credentials.0.kinds'],
    ['a declared slot no node uses', { credentials: [{ ref: 'smtp', kinds: ['smtp'] }, { ref: 'spare', kinds: ['smtp'] }] }, 'credentials.1.ref'],
    ['a slot declared twice', { credentials: [{ ref: 'smtp', kinds: ['smtp'] }, { ref: 'smtp', kinds: ['smtp'] }] }, 'credentials.1.ref'],
    ['a slot outside the credential param', { graph: graph(trigger, set({ greeting: '{{ $param.greeting }}' }), { ...mail({ $credentialRef: 'smtp' }), params: { credential: { $credentialRef: 'smtp' }, to: { $credentialRef: 'smtp' } } }) }, 'graph.nodes.mail.params.to'],
    ['a test case expecting an unknown node', { testCases: [{ name: 't', expect: [{ node: 'Nope', equals: [] }] }] }, 'testCases.0.expect.0.node'],
    ['a test case whose schema nests quantifiers', { testCases: [{ name: 't', expect: [{ node: 'Set', schema: { items: { properties: { who: { pattern: '^(a+)+$' } } } } }] }] }, 'testCases.0.expect.0.schema'],
    ['a test case whose schema is not a schema', { testCases: [{ name: 't', expect: [{ node: 'Set', schema: { type: 'nonsense' } }] }] }, 'testCases.0.expect.0.schema'],
    ['a test case recording an unknown node', { testCases: [{ name: 't', recorded: { Ghost: [] }, expect: [{ node: 'Set', equals: [] }] }] }, 'testCases.0.recorded.Ghost'],
    ['a test case with an undeclared parameter', { testCases: [{ name: 't', params: { nope: 1 }, expect: [{ node: 'Set', equals: [] }] }] }, 'testCases.0.params.nope'],
    ['a test case with an expression as a value', { testCases: [{ name: 't', params: { greeting: '{{ $env.X }}' }, expect: [{ node: 'Set', equals: [] }] }] }, 'testCases.0.params.greeting'],
    ['a missing name', { name: '' }, 'name'],
    ['a prototype key', JSON.parse('{"testCases":[{"name":"t","params":{"__proto__":{"x":1}},"expect":[{"node":"Set","equals":[]}]}]}'), 'testCases.0.params.__proto__'],
  ])('refuses %s, naming the field', (_, over, field) => {
    const found = problems(content(over as Record<string, unknown>))
    expect(found, 'expected a ValidationError').not.toBeNull()
    expect(Object.keys(found!)).toContain(field)
  })

  it('names the node in the message and reports every problem at once', () => {
    const found = problems(content({
      graph: graph(trigger, set({ greeting: '{{ $param.nope }}' }), mail('cred_1')),
      parameters: [{ name: 'greeting', type: 'string' }],
    }))!
    expect(found['graph.nodes.s.params.fields.0.value']).toBe('Set: $param.nope is not a declared parameter')
    expect(found['parameters.0.name']).toMatch(/"greeting" is declared but no node uses/)
    expect(found['graph.nodes.mail.params.credential']).toMatch(/^Mail: holds a concrete credential/)
    expect(found['credentials.0.ref']).toMatch(/no node uses it/)
  })

  it('lets a $param stand where the node wants a number or an enum', () => {
    const g = graph(trigger, { id: 'w', type: 'wait', name: 'Wait', params: { amount: '{{ $param.ms }}', unit: '{{ $param.unit }}' } })
    expect(problems({ name: 'W', category: 'other', graph: g, parameters: [{ name: 'ms', type: 'number' }, { name: 'unit', type: 'select', options: [{ value: 'ms' }] }] })).toBeNull()
  })
})

describe('makeTemplateFromWorkflow', () => {
  const source = () => graph(trigger, set({ greeting: 'Hello', count: 3, flags: { a: true } }), mail('cred_smtp'), { id: 'h', type: 'http-request', name: 'HTTP', params: { method: 'GET', url: 'https://x.example', credential: 'cred_gone' } })

  it('turns bound values into placeholders with their current values as defaults, and credential ids into slots', () => {
    const input = source()
    const before = structuredClone(input)
    const made = makeTemplateFromWorkflow(input, {
      parameters: [{ name: 'greeting' }, { name: 'count', default: 10, label: 'How many' }, { name: 'flags' }],
      bindings: [
        { nodeId: 's', path: 'fields.0.value', param: 'greeting' },
        { nodeId: 's', path: 'fields.1.value', param: 'count' },
        { nodeId: 's', path: 'fields.2.value', param: 'flags' },
        { nodeId: 'h', path: 'url', param: 'greeting' },
      ],
      credentialKinds: new Map([['cred_smtp', 'smtp']]),
    })
    expect(input).toEqual(before)
    expect(made.graph.nodes[1].params.fields).toEqual([
      { name: 'greeting', value: '{{ $param.greeting }}', type: 'auto' },
      { name: 'count', value: '{{ $param.count }}', type: 'auto' },
      { name: 'flags', value: '{{ $param.flags }}', type: 'auto' },
    ])
    expect(made.graph.nodes[3].params.url).toBe('{{ $param.greeting }}')
    expect(made.parameters).toMatchObject([
      { name: 'greeting', type: 'string', default: 'Hello' },
      { name: 'count', type: 'number', default: 10, label: 'How many' },
      { name: 'flags', type: 'json', default: { a: true } },
    ])
    expect(made.graph.nodes[2].params.credential).toEqual({ $credentialRef: 'credential-1' })
    expect(made.graph.nodes[3].params.credential).toEqual({ $credentialRef: 'credential-2' })
    expect(made.credentials).toEqual([
      { ref: 'credential-1', kinds: ['smtp'], required: true },
      { ref: 'credential-2', kinds: ['apiKey', 'bearer', 'basicAuth', 'customHeaders', 'oauth2ClientCredentials', 'oauth2AuthorizationCode'], required: true },
    ])
    expect(checkTemplateContent({ name: 'T', category: 'other', ...made }).nodeTypes).toEqual(['http-request', 'manual-trigger', 'send-email', 'set'])
  })

  it.each([
    ['an unknown node', [{ nodeId: 'zz', path: 'url', param: 'p' }], 'bindings.0.nodeId'],
    ['an undeclared parameter', [{ nodeId: 'h', path: 'url', param: 'other' }], 'bindings.0.param'],
    ['a path with no value', [{ nodeId: 's', path: 'fields.7.value', param: 'p' }], 'bindings.0.path'],
    ['a reserved path', [{ nodeId: 's', path: '__proto__.x', param: 'p' }], 'bindings.0.path'],
    ['the credential param', [{ nodeId: 'h', path: 'credential', param: 'p' }], 'bindings.0.path'],
  ])('refuses a binding to %s, naming the field', (_, bindings, field) => {
    expect(() => makeTemplateFromWorkflow(source(), { parameters: [{ name: 'p' }], bindings, credentialKinds: new Map() })).toThrow(
      expect.objectContaining({ fields: { [field]: expect.any(String) } }),
    )
  })

  it('refuses binding a value that is an expression', () => {
    const g = graph(trigger, set({ greeting: '{{ $json.name }}' }))
    expect(() => makeTemplateFromWorkflow(g, { parameters: [{ name: 'p' }], bindings: [{ nodeId: 's', path: 'fields.0.value', param: 'p' }], credentialKinds: new Map() })).toThrow(
      expect.objectContaining({ fields: { 'bindings.0.path': expect.stringMatching(/expression/) } }),
    )
  })

  it('names a parameter that does not fit its schema', () => {
    expect(() => makeTemplateFromWorkflow(source(), { parameters: [{ name: '1bad' }], bindings: [], credentialKinds: new Map() })).toThrow(
      expect.objectContaining({ fields: { 'parameters.0.name': expect.any(String) } }),
    )
  })
})
