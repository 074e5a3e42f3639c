// Prototype pollution through the built-in nodes, run by the real engine with the real sandbox: no expression
// or path may hand out or write through a host prototype, and a bad path fails the step naming the field.
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { workflowGraphSchema, type WorkflowGraphInput } from '@/lib/engine/graph-schema'
import { runWorkflow } from '@/lib/engine/run'
import type { EngineEvent, SerializedError } from '@/lib/engine/types'
import { getPath, setPath } from '@/lib/nodes/paths'
import { nodeRegistry } from '@/lib/nodes/registry'
import { createSandbox } from '@/lib/sandbox/isolate'
import { offlineHostServices } from '../../helpers/host-services'
import { cancellableSleep } from './harness'

const sandbox = createSandbox({ poolSize: 1 })
afterAll(() => sandbox.dispose())

const probe = () => ({}) as Record<string, unknown>
afterEach(() => {
  // If a case ever pollutes, undo it so one failure does not cascade through the file.
  for (const proto of [Object.prototype, Array.prototype, Function.prototype] as unknown as Record<string, unknown>[]) delete proto.polluted
})

type N = { id: string; type: string; params?: Record<string, unknown> }

async function run(nodes: N[], edges: [string, string, string?][] = []) {
  const g: WorkflowGraphInput = {
    nodes: [{ id: 'start', type: 'manual-trigger', name: 'start' }, ...nodes.map((n) => ({ ...n, name: n.id, params: n.params ?? {} }))],
    edges: edges.map(([source, target, targetPort = 'main']) => ({ source, target, targetPort })),
  }
  const failures: Record<string, SerializedError> = {}
  const result = await runWorkflow({
    graph: workflowGraphSchema.parse(g),
    registry: nodeRegistry,
    executionId: 'exec-1',
    workflowId: 'wf-1',
    tenantId: 't-1',
    input: [{ id: 1 }],
    services: { ...offlineHostServices(), http: { request: () => Promise.reject(new Error('no http')) }, sandbox, sleep: cancellableSleep },
    getCredential: async () => {
      throw new Error('no credentials in this test')
    },
    onEvent: (e: EngineEvent) => {
      if (e.type === 'step.failed') failures[e.nodeId] = e.error
    },
  })
  return { result, failures }
}

const setFields = (...fields: [string, unknown][]) => ({ fields: fields.map(([name, value]) => ({ name, value, type: 'auto' })) })

describe('prototype pollution', () => {
  it.each([
    ['$json.__proto__', '{{ $json.__proto__ }}'],
    ["$json['__proto__']", "{{ $json['__proto__'] }}"],
    ['$json["__proto__"]', '{{ $json["__proto__"] }}'],
    ['$json.constructor.prototype', '{{ $json.constructor.prototype }}'],
    ['$trigger.constructor.prototype', '{{ $trigger.constructor.prototype }}'],
    ["$json['constructor']['prototype']", "{{ $json['constructor']['prototype'] }}"],
  ])('Set with a = %s then a.polluted fails the step and leaves Object.prototype alone', async (_name, expr) => {
    const { result, failures } = await run([{ id: 'set', type: 'set', params: setFields(['a', expr], ['a.polluted', 'x']) }], [['start', 'set']])
    expect(probe().polluted).toBeUndefined()
    expect(result.status).toBe('failed')
    expect(failures.set).toMatchObject({ code: 'RESERVED_KEY', field: 'fields.0.value', message: expect.stringMatching(/reserved name "(__proto__|constructor)"/) })
  })

  it.each([
    ['Object.prototype', Object.prototype],
    ['Array.prototype', Array.prototype],
  ])('setPath replaces a host object (%s) found on the way instead of writing through it', (_name, host) => {
    const item: Record<string, unknown> = { a: host }
    setPath(item, 'a.polluted', 'x')
    expect(item.a).toEqual({ polluted: 'x' })
    expect(probe().polluted).toBeUndefined()
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('getPath reads own data only', () => {
    expect(getPath({ a: {} }, 'a.toString')).toBeUndefined()
    expect(getPath({ a: [1, 2] }, 'a.length')).toBe(2)
  })

  it.each([
    ['If condition', { id: 'check', type: 'if', params: { conditions: [{ left: '{{ $json.constructor }}', operator: 'exists' }] } }, 'conditions.0.left'],
    ['Switch rule', { id: 'check', type: 'switch', params: { rules: [{ left: '{{ $json.__proto__ }}', operator: 'exists' }] } }, 'rules.0.left'],
  ])('%s reading a prototype fails naming the field', async (_name, spec, field) => {
    const { result, failures } = await run([spec], [['start', 'check']])
    expect(result.status).toBe('failed')
    expect(failures.check).toMatchObject({ code: 'RESERVED_KEY', field })
  })

  it.each([['field1'], ['field2']])('Merge by key refuses a reserved %s', async (which) => {
    const params = { mode: 'byKey', field1: 'id', field2: 'id', [which]: '__proto__.polluted' }
    const { result, failures } = await run(
      [{ id: 'merge', type: 'merge', params }],
      [['start', 'merge', 'input1'], ['start', 'merge', 'input2']],
    )
    expect(result.status).toBe('failed')
    expect(failures.merge).toMatchObject({ code: 'RESERVED_KEY', field: which })
  })

  it('a params object with an own __proto__ key (as JSON.parse makes) is refused when its expressions are resolved', async () => {
    const params = JSON.parse('{"fields":[{"name":"a","value":{"__proto__":{"polluted":"{{ $json.id }}"}},"type":"auto"}]}')
    const { result, failures } = await run([{ id: 'set', type: 'set', params }], [['start', 'set']])
    expect(result.status).toBe('failed')
    expect(failures.set).toMatchObject({ code: 'RESERVED_KEY', field: 'fields.0.value.__proto__' })
    expect(probe().polluted).toBeUndefined()
  })

  it('own __proto__ keys in item data stay plain data through Set, Merge and Code', async () => {
    const { result } = await run(
      [
        { id: 'code', type: 'code', params: { mode: 'runOnceForAllItems', source: 'return [JSON.parse(\'{"k":1,"__proto__":{"polluted":"x"}}\')]' } },
        { id: 'set', type: 'set', params: setFields(['b.c', 1]) },
        { id: 'merge', type: 'merge', params: { mode: 'byKey', field1: 'k', field2: 'k' } },
      ],
      [['start', 'code'], ['code', 'set'], ['set', 'merge', 'input1'], ['code', 'merge', 'input2']],
    )
    expect(result.status).toBe('succeeded')
    expect(probe().polluted).toBeUndefined()
  })
})
