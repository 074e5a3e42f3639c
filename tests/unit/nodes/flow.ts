// Runs built-in nodes as a small workflow through the real engine: a manual trigger feeding the nodes given,
// an in-memory store whose pages the test reads back, and a record of how many items each execute() call saw.
import fs from 'node:fs/promises'
import { workflowGraphSchema } from '@/lib/engine/graph-schema'
import { MemoryItemStore } from '@/lib/engine/memory-store'
import { createRegistry } from '@/lib/engine/registry'
import { runWorkflow } from '@/lib/engine/run'
import type { CodeRunner, CredentialData, HttpClient, Item, ItemStore, NodeDefinition, RunLimits, RunResult } from '@/lib/engine/types'
import { nodeDefinitions } from '@/lib/nodes/registry'
import type { HostServices } from '@/lib/nodes/host-services'
import { offlineHostServices } from '../../helpers/host-services'
import { memoryFiles } from '../../helpers/files'
import { cancellableSleep } from './harness'

export interface FlowNode {
  id: string
  type: string
  params?: Record<string, unknown>
  settings?: Record<string, unknown>
}

export interface FlowRun {
  result: RunResult
  /** Every item a node wrote on `port`, read back from the store. */
  output(nodeId: string, port?: string): Promise<Item[]>
  /** Largest page an execute() call of `type` received. */
  largestPage(type: string): number
  /** How many times execute() of `type` was called. */
  calls(type: string): number
}

const noSandbox: CodeRunner = {
  evaluateExpression: async () => {
    throw new Error('no sandbox in this test')
  },
  runCode: async () => {
    throw new Error('no sandbox in this test')
  },
}

/** `nodes` run in a chain after the trigger unless `edges` ([source, target, sourcePort?, targetPort?]) say otherwise. */
export async function runFlow(
  nodes: FlowNode[],
  input: Item[] | AsyncIterable<Item[]>,
  opts: {
    edges?: [string, string, string?, string?][]
    pageSize?: number
    /** The engine's and the nodes' sleep (default: a real, cancellable one). */
    sleep?: (ms: number, signal: AbortSignal) => Promise<void>
    sandbox?: CodeRunner
    /** Outbound HTTP (default: every request fails). */
    http?: HttpClient
    store?: ItemStore
    /** Host services (offline ones by default: no HTTP, no AI, no sub-workflows, no history, files in a temp folder). */
    services?: Partial<HostServices>
    ids?: { executionId?: string; workflowId?: string; tenantId?: string }
    /** Credentials by id, as the worker would decrypt them (none by default). */
    credentials?: Record<string, Omit<CredentialData, 'id'>>
    /** Per-run caps (the engine's defaults otherwise), e.g. a small maxItemsPerStep. */
    limits?: Partial<RunLimits>
    /** Cancels the run. */
    signal?: AbortSignal
  } = {},
): Promise<FlowRun> {
  const largest = new Map<string, number>()
  const calls = new Map<string, number>()
  const counted: NodeDefinition[] = nodeDefinitions.map((def) => ({
    ...def,
    load: async () => {
      const { execute } = await def.load()
      return {
        execute: async (ctx) => {
          largest.set(def.type, Math.max(largest.get(def.type) ?? 0, ctx.items.length))
          calls.set(def.type, (calls.get(def.type) ?? 0) + 1)
          return execute(ctx)
        },
      }
    },
  }))
  const chain: [string, string, string?][] = nodes.map((n, i) => [i === 0 ? 'start' : nodes[i - 1].id, n.id])
  const graph = workflowGraphSchema.parse({
    nodes: [{ id: 'start', type: 'manual-trigger' }, ...nodes].map((n) => ({ params: {}, ...n, name: n.id })),
    edges: (opts.edges ?? chain).map(([source, target, sourcePort = 'main', targetPort = 'main']) => ({ source, target, sourcePort, targetPort })),
  })
  const store = opts.store ?? new MemoryItemStore()
  // A store of the run's own unless the test brings one; the test cannot reach it, so its folder goes with the run.
  const ownFiles = opts.services?.files ? undefined : memoryFiles()
  const result = await runWorkflow({
    graph,
    registry: createRegistry(counted),
    executionId: 'exec-1',
    workflowId: 'wf-1',
    tenantId: 't-1',
    ...opts.ids,
    input,
    pageSize: opts.pageSize,
    limits: opts.limits,
    signal: opts.signal,
    store,
    services: {
      http: opts.http ?? { request: async () => Promise.reject(new Error('no http in this test')) },
      sandbox: opts.sandbox ?? noSandbox,
      sleep: opts.sleep ?? cancellableSleep,
      ...offlineHostServices(),
      ...(ownFiles && { files: ownFiles }),
      ...opts.services,
    },
    getCredential: async (id) => {
      const credential = opts.credentials?.[id]
      if (!credential) throw new Error(`no credential "${id}" in this test`)
      return { id, ...credential }
    },
  })
  if (ownFiles) await fs.rm(ownFiles.root, { recursive: true, force: true })
  return {
    result,
    output: async (nodeId, port = 'main') => {
      const items: Item[] = []
      for await (const page of store.pages(nodeId, port)) items.push(...page)
      return items
    },
    largestPage: (type) => largest.get(type) ?? 0,
    calls: (type) => calls.get(type) ?? 0,
  }
}

/** `count` items `{ i }` in pages of `pageSize`, generated lazily. */
export async function* numbered(count: number, pageSize = 1000, make: (i: number) => Item = (i) => ({ i })): AsyncIterable<Item[]> {
  for (let start = 0; start < count; start += pageSize) {
    yield Array.from({ length: Math.min(pageSize, count - start) }, (_, k) => make(start + k))
  }
}
