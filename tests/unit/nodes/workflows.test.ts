// The built-in nodes through the real engine: expressions resolved per item, ports, skips and merges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WorkflowGraphInput } from '@/lib/engine/graph-schema'
import { workflowGraphSchema } from '@/lib/engine/graph-schema'
import { runWorkflow } from '@/lib/engine/run'
import type { EngineEvent, NodeOutput, NodeServices, WebhookResponse } from '@/lib/engine/types'
import { createSafeHttpClient, type SafeHttpClient } from '@/lib/net/ssrf'
import { nodeRegistry } from '@/lib/nodes/registry'
import { createSandbox } from '@/lib/sandbox/isolate'
import { sendJson, startLocalServer, type LocalServer } from '../net/local-server'
import { offlineHostServices } from '../../helpers/host-services'
import { cancellableSleep } from './harness'

let server: LocalServer
let http: SafeHttpClient
const sandbox = createSandbox({ poolSize: 1 })

beforeAll(async () => {
  server = await startLocalServer((req, res) => sendJson(res, 200, { got: JSON.parse(req.body || 'null'), path: req.url }))
  http = createSafeHttpClient({ allowList: [server.hostPort] })
})
afterAll(async () => {
  sandbox.dispose()
  await http.close()
  await server.close()
})

type N = { id: string; type: string; params?: Record<string, unknown> }
function graph(nodes: N[], edges: [string, string, string?, string?][]): WorkflowGraphInput {
  return {
    nodes: nodes.map((n) => ({ ...n, name: n.id, params: n.params ?? {} })),
    edges: edges.map(([source, target, sourcePort = 'main', targetPort = 'main']) => ({ source, target, sourcePort, targetPort })),
  }
}

async function run(g: WorkflowGraphInput, input: Record<string, unknown>[], extra: Partial<NodeServices> = {}) {
  const outputs: Record<string, NodeOutput> = {}
  const failures: Record<string, string> = {}
  const result = await runWorkflow({
    graph: workflowGraphSchema.parse(g),
    registry: nodeRegistry,
    executionId: 'exec-1',
    workflowId: 'wf-1',
    tenantId: 't-1',
    input,
    services: { ...offlineHostServices(), http, sandbox, sleep: cancellableSleep, ...extra },
    getCredential: async (id) => ({ id, kind: 'bearer', data: { token: 'tok' } }),
    onEvent: (e: EngineEvent) => {
      if (e.type === 'step.succeeded') outputs[e.nodeId] = e.output
      if (e.type === 'step.failed') failures[e.nodeId] = e.error.message
    },
  })
  return { result, outputs, failures }
}

describe('built-in nodes in the engine', () => {
  it('manual → set → if → http / code → merge', async () => {
    const g = graph(
      [
        { id: 'start', type: 'manual-trigger' },
        { id: 'set', type: 'set', params: { fields: [{ name: 'total', value: '{{ $json.price * $json.qty }}' }, { name: 'label', value: 'Order {{ $json.id }}' }] } },
        { id: 'big', type: 'if', params: { conditions: [{ left: '{{ $json.total }}', operator: 'gte', right: 100 }] } },
        { id: 'post', type: 'http-request', params: { method: 'POST', url: `${server.origin}/orders/{{ $json.id }}`, bodyType: 'json', jsonBody: { label: '{{ $json.label }}' } } },
        { id: 'tag', type: 'code', params: { source: 'return items.map((i) => ({ id: i.id, small: true }))' } },
        { id: 'merge', type: 'merge', params: { mode: 'append' } },
      ],
      [
        ['start', 'set'],
        ['set', 'big'],
        ['big', 'post', 'true'],
        ['big', 'tag', 'false'],
        ['post', 'merge', 'main', 'input1'],
        ['tag', 'merge', 'main', 'input2'],
      ],
    )
    const { result, outputs, failures } = await run(g, [{ id: 1, price: 50, qty: 3 }, { id: 2, price: 5, qty: 1 }])
    expect(failures).toEqual({})
    expect(result.status).toBe('succeeded')
    expect(outputs.set.main[0]).toMatchObject({ total: 150, label: 'Order 1' })
    expect(outputs.merge.main).toEqual([
      expect.objectContaining({ status: 200, body: { got: { label: 'Order 1' }, path: '/orders/1' } }),
      { id: 2, small: true },
    ])
  })

  it('switch routes to dynamic outputs and skips the branches nothing reached', async () => {
    const g = graph(
      [
        { id: 'start', type: 'manual-trigger' },
        {
          id: 'route',
          type: 'switch',
          params: { rules: [{ left: '{{ $json.kind }}', operator: 'equals', right: 'a' }, { left: '{{ $json.kind }}', operator: 'equals', right: 'b' }] },
        },
        { id: 'a', type: 'set', params: { fields: [{ name: 'branch', value: 'a' }] } },
        { id: 'b', type: 'set', params: { fields: [{ name: 'branch', value: 'b' }] } },
        { id: 'other', type: 'set', params: { fields: [{ name: 'branch', value: 'fallback' }] } },
      ],
      [
        ['start', 'route'],
        ['route', 'a', 'out0'],
        ['route', 'b', 'out1'],
        ['route', 'other', 'fallback'],
      ],
    )
    const { result, outputs } = await run(g, [{ kind: 'a' }, { kind: 'z' }])
    expect(result.status).toBe('succeeded')
    expect(outputs.a.main).toEqual([{ kind: 'a', branch: 'a' }])
    expect(outputs.other.main).toEqual([{ kind: 'z', branch: 'fallback' }])
    expect(result.steps.b.status).toBe('skipped')
  })

  it('webhook → wait → respond answers through services.respond', async () => {
    const sent: WebhookResponse[] = []
    const g = graph(
      [
        { id: 'hook', type: 'webhook-trigger', params: { path: 'orders', responseMode: 'lastNode' } },
        { id: 'pause', type: 'wait', params: { amount: 5, unit: 'ms' } },
        { id: 'answer', type: 'respond-to-webhook', params: { respondWith: 'json', statusCode: 201, json: { received: '{{ $json.body.order }}' } } },
      ],
      [
        ['hook', 'pause'],
        ['pause', 'answer'],
      ],
    )
    const request = { body: { order: 7 }, headers: {}, query: {}, method: 'POST', path: 'orders' }
    const { result } = await run(g, [request], { respond: async (r) => void sent.push(r) })
    expect(result.status).toBe('succeeded')
    expect(sent).toEqual([{ status: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { received: 7 } }])
  })

  it('an expression-valued number param is validated after resolution', async () => {
    const g = graph(
      [
        { id: 'start', type: 'manual-trigger' },
        { id: 'pause', type: 'wait', params: { amount: '{{ $json.delay }}', unit: 'ms' } },
      ],
      [['start', 'pause']],
    )
    expect((await run(g, [{ delay: 1 }])).result.status).toBe('succeeded')
    const bad = await run(g, [{ delay: 'soon' }])
    expect(bad.result.status).toBe('failed')
    expect(bad.failures.pause).toMatch(/amount/)
  })
})
