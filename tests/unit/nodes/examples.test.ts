// Every node type documents itself with worked examples; this keeps them true. Examples of node types that run
// with this process's services go through the real engine (expressions in the sandbox) and must give their output.
import { afterAll, describe, expect, it } from 'vitest'
import { workflowGraphSchema, type WorkflowGraphInput } from '@/lib/engine/graph-schema'
import { runWorkflow } from '@/lib/engine/run'
import type { Item, NodeExample, NodeOutput, PortDef } from '@/lib/engine/types'
import type { RegisteredNodeType } from '@/lib/nodes/define'
import { nodeDefinitions, nodeRegistry } from '@/lib/nodes/registry'
import { createSandbox } from '@/lib/sandbox/isolate'
import { findFileRefs, isFileRef, type FileRef } from '@/lib/files/ref'
import { fileText, seedFile } from '../../helpers/files'
import { memoryFilesPerTest, type MemoryFiles } from '../../helpers/files-per-test'
import { offlineHostServices } from '../../helpers/host-services'
import { cancellableSleep } from './harness'

/** Node types whose examples need what a unit test does not have: the network, a model, PostgreSQL, an HTTP caller. */
const NOT_RUN: Record<string, string> = {
  'http-request': 'calls an API',
  'webhook-trigger': 'its items come from the HTTP request',
  'llm-chat': 'calls a model',
  agent: 'calls a model',
  classify: 'calls a model',
  extract: 'calls a model',
  'conversation-memory': 'reads PostgreSQL',
  compression: 'its input files must be in the file store first',
  redis: 'needs a Redis server',
  'send-email': 'needs an SMTP server',
  postgres: 'needs a PostgreSQL server',
  mysql: 'needs a MySQL or MariaDB server',
  'execute-workflow': 'runs a saved workflow on a worker',
  'event-trigger': 'its item comes from a published event',
  'publish-event': 'publishes through the event bus (PostgreSQL): its event ids and subscriber counts come from there',
  rabbitmq: 'needs a RabbitMQ server',
  'rabbitmq-trigger': 'its items come from a RabbitMQ message',
  nats: 'needs a NATS server',
  'nats-trigger': 'its items come from a NATS message',
  mqtt: 'needs an MQTT broker',
  'mqtt-trigger': 'its items come from an MQTT message',
  'twilio-send-sms': 'sends through Twilio (tests/integration/messaging/sms.test.ts)',
  'twilio-bulk-sms': 'sends through Twilio (tests/integration/messaging/sms-bulk.test.ts)',
  'twilio-sms-trigger': 'its item comes from an inbound SMS webhook',
  'whatsapp-send': 'calls the WhatsApp Cloud API',
  'whatsapp-trigger': 'its items come from a WhatsApp webhook',
  'whatsapp-download-media': 'calls the WhatsApp Cloud API',
}
// Browser nodes drive a real browser against pages on the web: tests/integration/browser/ runs them against local pages.
// Retrieval nodes need a vector store and embeddings: tests/integration/retrieval/ runs them.
const notRun = (type: string) =>
  NOT_RUN[type] ??
  (type.startsWith('browser-') ? 'drives a browser (tests/integration/browser/)' : undefined) ??
  (type.startsWith('vector-') || type === 'rag-answer' ? 'reads and writes a vector collection (tests/integration/retrieval/)' : undefined)

const sandbox = createSandbox({ poolSize: 1 })
afterAll(() => sandbox.dispose())
const fileStore = memoryFilesPerTest()

function exampleGraph(def: RegisteredNodeType, ex: NodeExample): WorkflowGraphInput {
  const node = { id: 'node', type: def.type, name: 'node', params: ex.params ?? {} }
  if (def.trigger) return { nodes: [node], edges: [] }
  const start = { id: 'start', type: 'manual-trigger', name: 'start', params: {} }
  if (def.loop) {
    // A loop's example: its body hands every batch straight back.
    const back = { id: 'back', type: 'no-op', name: 'back', params: {} }
    const edges = [['start', 'main', 'node'], ['node', def.loop.bodyPort, 'back'], ['back', 'main', 'node']]
    return { nodes: [start, node, back], edges: edges.map(([source, sourcePort, target]) => ({ source, sourcePort, target, targetPort: 'main' })) }
  }
  if (!ex.input || Array.isArray(ex.input)) return { nodes: [start, node], edges: [{ source: 'start', target: 'node', sourcePort: 'main', targetPort: def.inputs[0].name }] }
  // Items per input port: one Code node per port hands them over.
  const feeds = Object.entries(ex.input).map(([port, items]) => ({ id: `feed-${port}`, type: 'code', name: port, port, params: { source: `return ${JSON.stringify(items)}` } }))
  return {
    nodes: [start, ...feeds.map(({ port: _, ...n }) => n), node],
    edges: feeds.flatMap((f) => [
      { source: 'start', target: f.id, sourcePort: 'main', targetPort: 'main' },
      { source: f.id, target: 'node', sourcePort: 'main', targetPort: f.port },
    ]),
  }
}

/** Example items name files by made-up ids: the input's are stored under those ids first (with the text the example
 * gives), and file references are compared by name, type, size and text, since a written file gets a new id. */
async function seedExampleFiles(files: MemoryFiles, ex: NodeExample): Promise<void> {
  for (const ref of findFileRefs(ex.input, 1000)) {
    const text = ex.files?.[ref.$file]
    if (text === undefined) throw new Error(`the example's input refers to file ${ref.$file}, which its "files" do not hold`)
    expect(ref.size, `size of ${ref.$file}`).toBe(Buffer.byteLength(text))
    await seedFile(files, 't-1', ref, text)
  }
}

function withFileTexts(value: unknown, textOf: (ref: FileRef) => string | undefined): unknown {
  if (isFileRef(value)) {
    const { $file: _id, sha256: _hash, ...shown } = value
    return { ...shown, text: textOf(value) }
  }
  if (Array.isArray(value)) return value.map((v) => withFileTexts(v, textOf))
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withFileTexts(v, textOf)]))
  return value
}

async function runExample(def: RegisteredNodeType, ex: NodeExample): Promise<NodeOutput> {
  const files = fileStore()
  await seedExampleFiles(files, ex)
  let output: NodeOutput | undefined
  let error: string | undefined
  await runWorkflow({
    graph: workflowGraphSchema.parse(exampleGraph(def, ex)),
    registry: nodeRegistry,
    executionId: 'exec-1',
    workflowId: 'wf-1',
    tenantId: 't-1',
    // As a run started without input (lib/services/executions.ts): one empty item.
    input: Array.isArray(ex.input) ? ex.input : [{}],
    services: { ...offlineHostServices(), files, http: { request: () => Promise.reject(new Error('no network here')) }, sandbox, sleep: cancellableSleep, respond: async () => {} },
    getCredential: () => Promise.reject(new Error('no credentials here')),
    onEvent: (e) => {
      if (e.type === 'step.succeeded' && e.nodeId === 'node') output = e.output
      if (e.type === 'step.failed' && e.nodeId === 'node') error = e.error.message
    },
  })
  if (!output) throw new Error(`the example did not run: ${error ?? 'no output'}`)
  const run = files.forRun({ tenantId: 't-1', executionId: 'exec-1' })
  const texts = new Map<string, string>()
  for (const ref of findFileRefs(output, 1000)) texts.set(ref.$file, await fileText(run, ref))
  return withFileTexts(output, (ref) => texts.get(ref.$file)) as NodeOutput
}

const byPort = (out: NodeOutput, ports: string[]) => Object.fromEntries(ports.map((p) => [p, out[p] ?? []])) as Record<string, Item[]>

const examples = nodeDefinitions.flatMap((def) => (def.docs?.examples ?? []).map((ex) => [`${def.type}: ${ex.title}`, def, ex] as const))

describe('node docs', () => {
  it.each(nodeDefinitions.map((d) => [d.type, d] as const))('%s has a description and at least one example', (_type, def) => {
    expect(def.docs?.description.length).toBeGreaterThan(20)
    expect(def.docs?.examples.length).toBeGreaterThan(0)
  })

  it.each(examples)('%s: params are valid and output ports exist', (_name, def, ex) => {
    const params = def.params.parse(ex.params ?? {})
    const ports: PortDef[] = typeof def.outputs === 'function' ? def.outputs(params) : def.outputs
    for (const port of Object.keys(ex.output ?? {})) expect(ports.map((p) => p.name)).toContain(port)
    if (ex.input && !Array.isArray(ex.input)) for (const port of Object.keys(ex.input)) expect(def.inputs.map((p) => p.name)).toContain(port)
  })

  it.each(examples.filter(([, def, ex]) => ex.output && !notRun(def.type)))('%s: gives its output', async (_name, def, ex) => {
    const output = await runExample(def, ex)
    const expected = withFileTexts(ex.output!, (ref) => ex.files?.[ref.$file]) as NodeOutput
    const ports = [...new Set([...Object.keys(output), ...Object.keys(expected)])]
    expect(byPort(output, ports)).toEqual(byPort(expected, ports))
  })
})
