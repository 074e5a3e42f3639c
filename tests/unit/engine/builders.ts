// Test fixtures for the engine: inline node definitions, graph builders and a run helper that records events.
import { z } from 'zod'
import type { GraphEdge, WorkflowGraph, WorkflowGraphInput } from '@/lib/engine/graph-schema'
import { createRegistry } from '@/lib/engine/registry'
import { runWorkflow } from '@/lib/engine/run'
import { NodeError, type CodeRunner, type EngineEvent, type Item, type NodeDefinition, type NodeExecutor, type RunOptions } from '@/lib/engine/types'

export function deferred<T = void>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

/** Shared observations of one test: which nodes ran, how many at once, gates to hold nodes. */
export class Probe {
  order: string[] = []
  active = 0
  maxActive = 0
  /** Largest number of items any execute() call received. */
  maxItems = 0
  attempts = new Map<string, number>()
  private started = new Map<string, ReturnType<typeof deferred<void>>>()
  private released = new Map<string, ReturnType<typeof deferred<void>>>()
  gate(id: string, map: 'started' | 'released') {
    const m = map === 'started' ? this.started : this.released
    let d = m.get(id)
    if (!d) m.set(id, (d = deferred()))
    return d
  }
  whenStarted = (id: string) => this.gate(id, 'started').promise
  release = (id: string) => this.gate(id, 'released').resolve()
}

/** A minimal node definition around an executor (tests and bench/engine.ts). */
export const def = (type: string, execute: NodeExecutor, extra: Partial<NodeDefinition> = {}): NodeDefinition => ({
  type,
  version: 1,
  label: type,
  description: type,
  icon: 'Box',
  category: 'core',
  params: z.record(z.string(), z.unknown()),
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  load: async () => ({ execute }),
  ...extra,
})

export function testDefinitions(probe: Probe): NodeDefinition[] {
  const track = (fn: NodeExecutor): NodeExecutor => async (ctx) => {
    probe.order.push(ctx.node.id)
    probe.attempts.set(ctx.node.id, (probe.attempts.get(ctx.node.id) ?? 0) + 1)
    probe.active++
    probe.maxActive = Math.max(probe.maxActive, probe.active)
    probe.maxItems = Math.max(probe.maxItems, ctx.items.length)
    try {
      return await fn(ctx)
    } finally {
      probe.active--
    }
  }
  return [
    def('trigger', async () => ({ main: [] }), { trigger: { kind: 'manual' }, inputs: [], category: 'trigger' }),
    def('pass', track(async (ctx) => ({ main: ctx.items }))),
    def('pass-batch', track(async (ctx) => ({ main: ctx.items })), { mode: 'batch' }),
    def('empty', track(async () => ({ main: [] }))),
    def(
      'branch',
      track(async (ctx) => {
        const field = String(ctx.params.field ?? 'ok')
        return { true: ctx.items.filter((i) => i[field]), false: ctx.items.filter((i) => !i[field]) }
      }),
      { outputs: [{ name: 'true' }, { name: 'false' }] },
    ),
    def(
      'switch',
      track(async (ctx) => ({ [String((ctx.params.ports as string[])[0])]: ctx.items })),
      { params: z.object({ ports: z.array(z.string()).min(1) }), outputs: (p: { ports: string[] }) => p.ports.map((name) => ({ name })) },
    ),
    def('merge', track(async (ctx) => ({ main: [...ctx.inputs.input1, ...ctx.inputs.input2] })), { inputs: [{ name: 'input1' }, { name: 'input2' }] }),
    def(
      'fail',
      track(async (ctx) => {
        const times = Number(ctx.params.times ?? Infinity)
        if (ctx.attempt <= times) throw new NodeError(`boom ${ctx.attempt}`, { code: 'BOOM', retryable: ctx.params.retryable !== false })
        return { main: ctx.items }
      }),
    ),
    def('crash', track(async () => {
      throw new TypeError('plain crash')
    })),
    def(
      'gated',
      track(async (ctx) => {
        probe.gate(ctx.node.id, 'started').resolve()
        for (const other of (ctx.params.waitFor as string[] | undefined) ?? []) await probe.whenStarted(other)
        if (ctx.params.hold) await probe.gate(ctx.node.id, 'released').promise
        return { main: ctx.items }
      }),
    ),
    def('hang', track(async (ctx) => {
      probe.gate(ctx.node.id, 'started').resolve()
      return new Promise(() => {}) // ignores its signal on purpose
    })),
    def('wait-signal', track(async (ctx) => {
      probe.gate(ctx.node.id, 'started').resolve()
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))
      return { main: [] }
    })),
    def('params', track(async (ctx) => {
      const out: Item[] = []
      for (let i = 0; i < ctx.items.length; i++) out.push({ ...(await ctx.paramsFor(i)) })
      return { main: out.length ? out : [{ ...ctx.params }] }
    })),
    def(
      'params-batch',
      track(async (ctx) => ({ main: await Promise.all(ctx.items.map((_, i) => ctx.paramsFor(i))) })),
      { mode: 'batch' },
    ),
    def(
      'typed',
      track(async (ctx) => ({ main: [{ ...ctx.params }] })),
      { params: z.object({ url: z.string().url(), count: z.number().int().default(3), nested: z.object({ n: z.number() }).optional() }) },
    ),
    def(
      'cred',
      track(async (ctx) => ({ main: [{ cred: (await ctx.credential())?.data }] })),
      { params: z.object({ credentialId: z.string().optional() }), credential: { param: 'credentialId', kinds: ['bearer'] } },
    ),
    def('loop', track(async (ctx) => ({ loop: ctx.items })), {
      params: z.object({ batchSize: z.number().int().min(1).default(1), maxIterations: z.number().int().min(1).default(1000) }),
      outputs: [{ name: 'done' }, { name: 'loop' }],
      loop: { bodyPort: 'loop', donePort: 'done', plan: (p: { batchSize: number; maxIterations: number }) => p },
    }),
    def('progress', track(async (ctx) => {
      ctx.emit('tick', { n: 1 })
      return { main: [{ key: ctx.idempotencyKey }] }
    })),
  ]
}

export type NodeSpec = { id: string; type: string; name?: string; params?: Record<string, unknown>; settings?: Record<string, unknown> }

export function graph(nodes: (NodeSpec | string)[], edges: (string | Partial<GraphEdge>)[]): WorkflowGraph {
  const specs = nodes.map((n) => (typeof n === 'string' ? parseNode(n) : n))
  return {
    nodes: specs.map((n) => ({ id: n.id, type: n.type, typeVersion: 1, name: n.name ?? n.id, params: n.params ?? {}, settings: n.settings ?? {}, position: { x: 0, y: 0 } })),
    edges: edges.map((e) => (typeof e === 'string' ? parseEdge(e) : { sourcePort: 'main', targetPort: 'main', ...e }) as GraphEdge),
    notes: [],
  }
}

/** "a:pass" → node a of type pass. */
function parseNode(s: string): NodeSpec {
  const [id, type] = s.split(':')
  return { id, type: type ?? 'pass' }
}

/** "a>b", "a.true>b", "a>m.input2". */
function parseEdge(s: string): GraphEdge {
  const [from, to] = s.split('>')
  const [source, sourcePort = 'main'] = from.split('.')
  const [target, targetPort = 'main'] = to.split('.')
  return { source, sourcePort, target, targetPort }
}

export function rawGraph(g: WorkflowGraphInput): unknown {
  return g
}

export const noSandbox: CodeRunner = {
  evaluateExpression: async () => {
    throw new Error('no sandbox in this test')
  },
  runCode: async () => {
    throw new Error('no sandbox in this test')
  },
}

export interface Harness {
  probe: Probe
  events: EngineEvent[]
  delays: number[]
  run(g: WorkflowGraph, opts?: Partial<RunOptions>): ReturnType<typeof runWorkflow>
}

export function harness(sandbox: CodeRunner = noSandbox): Harness {
  const probe = new Probe()
  const registry = createRegistry(testDefinitions(probe))
  const events: EngineEvent[] = []
  const delays: number[] = []
  return {
    probe,
    events,
    delays,
    run: (g, opts = {}) =>
      runWorkflow({
        graph: g,
        registry,
        executionId: 'ex1',
        workflowId: 'wf1',
        tenantId: 't1',
        input: [{ n: 1 }],
        services: {
          http: { request: async () => Promise.reject(new Error('no http')) },
          sandbox,
          sleep: async (ms, signal) => {
            delays.push(ms)
            if (signal.aborted) throw signal.reason
          },
        },
        getCredential: async (id) => ({ id, kind: 'bearer', data: { token: `secret-${id}` } }),
        onEvent: (e) => void events.push(e),
        ...opts,
      }),
  }
}

export function registryFor(probe = new Probe()) {
  return createRegistry(testDefinitions(probe))
}

/** Event types per node, e.g. ["step.started", "step.succeeded"]. */
export function eventsOf(events: EngineEvent[], nodeId: string): string[] {
  return events.filter((e) => 'nodeId' in e && e.nodeId === nodeId).map((e) => e.type)
}
