// What tracing costs per step: the engine running a 200-step chain of passthrough nodes (in-memory store, no
// database), with tracing off as a process without OTEL_EXPORTER_OTLP_ENDPOINT runs it (no provider registered, the
// worker passes no StepTracer), then on (a span per step attempt under a run span, batched and exported over
// OTLP/HTTP to a local receiver that reads and drops them). Also the off-path helpers alone, and a step's log cost.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { WorkflowGraph } from '../lib/engine/graph-schema'
import { createRegistry } from '../lib/engine/registry'
import { runWorkflow } from '../lib/engine/run'
import type { NodeServices } from '../lib/engine/types'
import { injectTraceContext } from '../lib/telemetry/propagation'
import { stepTracer, traceExecution } from '../lib/telemetry/runs'
import { startTracing } from '../lib/telemetry/tracing'
import { def } from '../tests/unit/engine/builders'
import type { BenchRow } from './types'

const STEPS = 200
const RUNS = 200

const registry = createRegistry([
  def('trigger', async () => ({ main: [] }), { trigger: { kind: 'manual' }, inputs: [] }),
  def('pass', async (ctx) => ({ main: ctx.items })),
  def('chatty', async (ctx) => {
    ctx.log.info('handled the page', { items: ctx.items.length })
    return { main: ctx.items }
  }),
])
const services: NodeServices = {
  http: { request: () => Promise.reject(new Error('no http in this bench')) },
  sandbox: { evaluateExpression: async () => undefined, runCode: async () => undefined },
  sleep: async () => {},
}

function chain(type: string): WorkflowGraph {
  const node = (id: string, t: string) => ({ id, type: t, typeVersion: 1, name: id, params: {}, settings: {}, position: { x: 0, y: 0 } })
  const nodes = [node('t', 'trigger'), ...Array.from({ length: STEPS }, (_, i) => node(`n${i}`, type))]
  return { nodes, edges: nodes.slice(1).map((n, i) => ({ source: nodes[i].id, sourcePort: 'main', target: n.id, targetPort: 'main' })), notes: [] }
}

/** µs per step over RUNS runs; each run as the worker runs it: inside the run's span, with the tracer it would pass. */
async function perStep(graph: WorkflowGraph): Promise<number> {
  const once = (i: number) =>
    traceExecution({ executionId: `bench-${i}`, attempt: 1 }, () =>
      runWorkflow({ graph, registry, executionId: `bench-${i}`, workflowId: 'w', tenantId: 't', input: [{ i }], services, getCredential: () => Promise.reject(new Error('none')), tracer: stepTracer() }),
    )
  for (let i = 0; i < 20; i++) await once(i)
  const start = performance.now()
  for (let i = 0; i < RUNS; i++) {
    const r = await once(i)
    if (r.status !== 'succeeded') throw new Error(`bench run ${r.status}: ${r.error?.message}`)
  }
  return ((performance.now() - start) * 1000) / (RUNS * STEPS)
}

/** ns per call of the helpers every enqueue and outbound request goes through, with tracing off. */
function offHelpersNs(): number {
  const n = 2_000_000
  let hits = 0
  const start = performance.now()
  for (let i = 0; i < n; i++) if (injectTraceContext() !== undefined || stepTracer() !== undefined) hits++
  if (hits) throw new Error('tracing is on')
  return ((performance.now() - start) * 1e6) / n
}

export default async function tracesBench(): Promise<BenchRow[]> {
  const plain = chain('pass')
  const chatty = chain('chatty')
  const off = await perStep(plain)
  const offLogging = await perStep(chatty)
  const helpers = offHelpersNs()

  let spans = 0
  const receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      spans += (body.match(/"spanId"/g) ?? []).length
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const tracing = await startTracing({ tracesUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`, serviceName: 'bench', batch: { maxQueueSize: 65_536, maxExportBatchSize: 2048, scheduledDelayMillis: 200 } })
  const on = await perStep(plain)
  await tracing.stop()
  receiver.close()

  return [
    { name: `engine per step, ${STEPS}-step chain, tracing off (no provider, no StepTracer)`, value: off, unit: 'µs' },
    { name: `engine per step, ${STEPS}-step chain, tracing on (span per step, OTLP/HTTP export)`, value: on, unit: 'µs' },
    { name: 'tracing on: extra per step', value: on - off, unit: 'µs' },
    { name: 'spans received by the local OTLP receiver', value: spans, unit: 'spans', notes: `${(RUNS + 20) * (STEPS + 1)} made; a full queue drops, it never blocks the run` },
    { name: 'off-path helpers (injectTraceContext + stepTracer) with tracing off', value: helpers, unit: 'ns/call' },
    { name: `engine per step, each step logging one line (step log kept on the event), tracing off`, value: offLogging, unit: 'µs' },
  ]
}
