// Template test cases on the real engine and registry (isolated-vm sandbox, in-memory store): parameters resolved,
// recorded responses replayed on the original ports, outside nodes refused unless recorded, expectations by equality
// (with a readable diff) and by JSON Schema.
import { afterAll, describe, expect, it } from 'vitest'
import type { NodeServices } from '@/lib/engine/types'
import { nodeRegistry } from '@/lib/nodes/registry'
import type { HostServices } from '@/lib/nodes/host-services'
import { createSandbox } from '@/lib/sandbox/isolate'
import { jsonDiff, outsideReason, prepareCase, REPLAY_TYPE, runTemplateCase, validateSchema, type CaseHost } from '@/lib/templates/test-cases'
import { templateContentSchema, type TemplateContentInput } from '@/lib/templates/types'
import { offlineHostServices } from '../../helpers/host-services'
import { cancellableSleep } from '../nodes/harness'

const sandbox = createSandbox({ poolSize: 1 })
afterAll(() => sandbox.dispose())

const services: NodeServices & HostServices = {
  http: { request: () => Promise.reject(new Error('no http in template cases')) },
  sandbox,
  sleep: cancellableSleep,
  ...offlineHostServices(),
}
const host: CaseHost = { registry: nodeRegistry, services, tenantId: 't-1', runId: 'run-1', timeoutMs: 20_000 }

const node = (id: string, type: string, name: string, params: Record<string, unknown> = {}, x = 0) => ({ id, type, name, params, position: { x, y: 0 } })
const edge = (source: string, target: string, sourcePort = 'main', targetPort = 'main') => ({ source, target, sourcePort, targetPort })

/** Webhook → HTTP Request (fetch the order) → If (total over the threshold parameter) → Set on each branch. */
function orderTemplate(cases: TemplateContentInput['testCases']): TemplateContentInput {
  return {
    name: 'Order check',
    category: 'webhooks',
    parameters: [{ name: 'threshold', type: 'number', default: 100 }, { name: 'apiBase', type: 'string', default: 'https://shop.example.com' }],
    credentials: [{ ref: 'credential-1', kinds: ['bearer'] }],
    graph: {
      nodes: [
        node('hook', 'webhook-trigger', 'Order webhook', { path: 'orders' }),
        node('get', 'http-request', 'Fetch order', { url: '{{ $param.apiBase }}/orders/{{ $json.body.id }}', credential: { $credentialRef: 'credential-1' } }, 200),
        node('big', 'if', 'Big order?', { conditions: [{ left: '{{ $json.total }}', operator: 'gt', right: '{{ $param.threshold }}' }] }, 400),
        node('vip', 'set', 'Flag VIP', { fields: [{ name: 'vip', value: true, type: 'boolean' }] }, 600),
        node('std', 'set', 'Flag standard', { fields: [{ name: 'vip', value: false, type: 'boolean' }] }, 600),
      ],
      edges: [edge('hook', 'get'), edge('get', 'big'), edge('big', 'vip', 'true'), edge('big', 'std', 'false')],
    },
    testCases: cases,
  }
}

const content = (input: TemplateContentInput) => templateContentSchema.parse(input)
const run = (input: TemplateContentInput, index = 0) => runTemplateCase(content(input), index, host)

describe('runTemplateCase', () => {
  it('replays the recorded response, resolves parameters and passes when the outputs match', async () => {
    const result = await run(orderTemplate([{
      name: 'big order',
      params: { threshold: 50 },
      input: [{ body: { id: 7 } }],
      recorded: { 'Fetch order': [{ id: 7, total: 80 }] },
      expect: [{ node: 'Flag VIP', equals: [{ id: 7, total: 80, vip: true }] }, { node: 'Big order?', port: 'true', schema: { type: 'array', minItems: 1, items: { required: ['total'] } } }],
    }]))
    expect(result).toMatchObject({ name: 'big order', status: 'passed', checks: [{ node: 'Flag VIP', port: 'main', passed: true }, { node: 'Big order?', port: 'true', passed: true }] })
  })

  it('fails with the diff when an output differs, and says so for a node whose branch was not taken', async () => {
    const result = await run(orderTemplate([{
      name: 'default threshold',
      input: [{ body: { id: 7 } }],
      recorded: { 'Fetch order': [{ id: 7, total: 80 }] },
      expect: [{ node: 'Flag standard', equals: [{ id: 7, total: 81, vip: false }] }, { node: 'Flag VIP', equals: [] }],
    }]))
    expect(result.status).toBe('failed')
    expect(result.checks[0]).toMatchObject({ passed: false, message: 'Output differs: [0].total: expected 81, got 80', actual: [{ id: 7, total: 80, vip: false }] })
    expect(result.checks[1]).toMatchObject({ passed: false, message: '"Flag VIP" did not run: its branch was not taken' })
  })

  it('reports an unrecorded outside node before running, naming it', async () => {
    const result = await run(orderTemplate([{ name: 'nothing recorded', expect: [{ node: 'Flag VIP', equals: [] }] }]))
    expect(result).toMatchObject({ status: 'error', checks: [] })
    expect(result.error).toBe('Node "Fetch order" calls an outside service (it acts outside the run): record its response in the case (recorded["Fetch order"])')
  })

  it.each([
    ['a name that is no node', { Nope: [] }, 'recorded.Nope: the template has no node named "Nope"'],
    ['a port the node does not have', { 'Fetch order': { other: [] } }, 'recorded.Fetch order.other: "Fetch order" has no output "other" (it has: main)'],
    ['items that are not objects', { 'Fetch order': [1, 2] }, 'recorded.Fetch order.main: must be an array of objects (the items the node output)'],
    ['the trigger', { 'Order webhook': [] }, 'recorded.Order webhook: "Order webhook" is the trigger: its output is the case\'s input'],
  ])('refuses a recording of %s', async (_, recorded, error) => {
    const result = await run(orderTemplate([{ name: 'bad', recorded, expect: [{ node: 'Flag VIP', equals: [] }] }]))
    expect(result).toMatchObject({ status: 'error', error })
  })

  it('refuses parameter values the schema refuses, naming the parameter', async () => {
    const result = await run(orderTemplate([{ name: 'bad param', params: { threshold: 'lots' }, recorded: { 'Fetch order': [] }, expect: [{ node: 'Flag VIP', equals: [] }] }]))
    expect(result).toMatchObject({ status: 'error', error: 'params.threshold: must be a number' })
  })

  it('replays on every port of a multi-output node (If recorded as { true, false })', async () => {
    const tpl = orderTemplate([{
      name: 'both branches',
      recorded: { 'Fetch order': [{ id: 1 }], 'Big order?': { true: [{ id: 1, total: 500 }], false: [{ id: 2, total: 5 }] } },
      expect: [{ node: 'Flag VIP', equals: [{ id: 1, total: 500, vip: true }] }, { node: 'Flag standard', equals: [{ id: 2, total: 5, vip: false }] }],
    }])
    expect(await run(tpl)).toMatchObject({ status: 'passed' })
  })

  it('a failing node fails the case with the run error; the nodes before it still count', async () => {
    const tpl: TemplateContentInput = {
      name: 'Boom',
      category: 'other',
      graph: {
        nodes: [node('m', 'manual-trigger', 'Start'), node('c', 'code', 'Explode', { source: 'throw new Error("kaboom")' }, 200)],
        edges: [edge('m', 'c')],
      },
      testCases: [{ name: 'explodes', input: [{ a: 1 }], expect: [{ node: 'Start', equals: [{ a: 1 }] }] }],
    }
    const result = await run(tpl)
    expect(result.status).toBe('failed')
    expect(result.error).toContain('kaboom')
    expect(result.checks).toEqual([{ node: 'Start', port: 'main', passed: true }])
  })

  it('a case that runs longer than its time limit fails with the time limit', async () => {
    const tpl: TemplateContentInput = {
      name: 'Slow',
      category: 'other',
      graph: { nodes: [node('m', 'manual-trigger', 'Start'), node('w', 'wait', 'Wait', { amount: 60 }, 200)], edges: [edge('m', 'w')] },
      testCases: [{ name: 'slow', expect: [{ node: 'Wait', equals: [{}] }] }],
    }
    const result = await runTemplateCase(content(tpl), 0, { ...host, timeoutMs: 200 })
    expect(result.status).toBe('failed')
    expect(result.error).toMatch(/longer than 200 ms/)
  })
})

describe('prepareCase', () => {
  it('swaps recorded nodes for replay nodes in an overlay, keeping ids, names and edges; the real registry is untouched', () => {
    const c = content(orderTemplate([{ name: 'x', recorded: { 'Fetch order': [{ id: 1 }] }, expect: [{ node: 'Flag VIP', equals: [] }] }]))
    const prepared = prepareCase(c, c.testCases[0], nodeRegistry)
    const fetch = prepared.graph.nodes.find((n) => n.id === 'get')!
    expect(fetch).toMatchObject({ name: 'Fetch order', type: REPLAY_TYPE, params: { ports: ['main'], replaying: 'http-request' } })
    expect(prepared.graph.edges).toEqual(c.graph.edges)
    expect(prepared.registry.has(REPLAY_TYPE)).toBe(true)
    expect(nodeRegistry.has(REPLAY_TYPE)).toBe(false)
    expect(prepared.graph.nodes.find((n) => n.id === 'big')!.params).toEqual({ conditions: [{ left: '{{ $json.total }}', operator: 'gt', right: 100 }] })
  })

  it('removes credential slots from nodes that run', () => {
    const tpl = content({
      name: 'Hash',
      category: 'data',
      credentials: [{ ref: 'credential-1', kinds: ['cryptoSecret'], required: false }],
      graph: { nodes: [node('m', 'manual-trigger', 'Start'), node('h', 'crypto', 'Hash', { credential: { $credentialRef: 'credential-1' } })], edges: [edge('m', 'h')] },
      testCases: [{ name: 'x', recorded: { Hash: [] }, expect: [{ node: 'Hash', equals: [] }] }],
    })
    expect(prepareCase(tpl, tpl.testCases[0], nodeRegistry).graph.nodes[1].params).toEqual({ ports: ['main'], replaying: 'crypto' })
  })
})

describe('outsideReason', () => {
  const def = (type: string) => nodeRegistry.get(type)!
  const n = (type: string, params: Record<string, unknown> = {}, disabled = false) => ({ ...node('x', type, 'X', params), typeVersion: 1, settings: { disabled } })
  it.each([
    ['http-request', {}, 'it acts outside the run'],
    ['send-email', {}, 'it acts outside the run'],
    ['llm-chat', {}, 'it acts outside the run'],
    ['conversation-memory', {}, 'it uses the "ai" service'],
    ['crypto', { credential: { $credentialRef: 'c' } }, 'it uses a credential'],
    ['crypto', { credential: 'cred_123' }, 'it uses a credential'],
    ['crypto', {}, null],
    ['set', {}, null],
    ['code', {}, null],
    ['remove-duplicates', {}, null],
    ['convert-to-file', {}, null],
    ['rabbitmq-trigger', { credential: 'cred_1' }, null],
  ])('%s %j → %s', (type, params, reason) => {
    expect(outsideReason(n(type, params), def(type))).toBe(reason)
  })
  it('a disabled node never runs, so it is not outside', () => {
    expect(outsideReason(n('http-request', {}, true), def('http-request'))).toBeNull()
  })
})

describe('expectations', () => {
  it('jsonDiff ignores key order and names paths, counts and missing keys', () => {
    expect(jsonDiff([{ a: 1, b: { c: 2 } }], [{ b: { c: 2 }, a: 1 }], '')).toEqual([])
    expect(jsonDiff([{ a: 1 }], [{ a: 1 }, { a: 2 }], '')).toEqual(['(whole output): expected 1 item, got 2'])
    expect(jsonDiff([{ a: 1, b: 2 }], [{ a: 1, c: 3 }], '')).toEqual(['[0].b: expected 2, missing', '[0].c: not expected, got 3'])
    expect(jsonDiff([{ a: [1, 2] }], [{ a: [1, 3] }], '')).toEqual(['[0].a[1]: expected 2, got 3'])
  })

  it('validateSchema uses a real JSON Schema validator and reports where the output breaks it', () => {
    const schema = { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } }
    expect(validateSchema(schema, [{ id: 1 }])).toEqual([])
    expect(validateSchema(schema, [{ id: 'x' }, {}])).toEqual(['/0/id must be integer', "/1 must have required property 'id'"])
    expect(validateSchema({ type: 'nonsense' }, [])[0]).toMatch(/^the schema is not valid/)
  })

  it('validateSchema runs patterns, refuses ones that nest quantifiers and does not test very long strings', () => {
    const code = (pattern: string) => ({ type: 'array', items: { type: 'object', properties: { code: { type: 'string', pattern } } } })
    expect(validateSchema(code('^[A-Z]{3}-\\d+$'), [{ code: 'ABC-12' }])).toEqual([])
    expect(validateSchema(code('^[A-Z]{3}-\\d+$'), [{ code: 'abc' }])).toEqual(['/0/code must match pattern "^[A-Z]{3}-\\d+$"'])
    for (const evil of ['^(a+)+$', '(\\w*)*x', '^(x{1,}){2,}$', '((ab)*c)+']) {
      expect(validateSchema(code(evil), [{ code: 'a'.repeat(40) + '!' }])[0], evil).toMatch(/^the schema is not valid: pattern .* nests quantifiers/)
    }
    expect(validateSchema(code('^(ab)+(c{2})?[(+*]+\\(x+\\)+$'), [{ code: 'ababcc+(+(xx)' }])).toEqual([])
    expect(validateSchema(code('^a+$'), [{ code: 'a'.repeat(10_001) }])).toEqual(['/0/code must match pattern "^a+$"'])
  })
})
