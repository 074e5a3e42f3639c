// Runs one node type without the engine: builds an ExecuteContext from raw params, items and services.
import type { CredentialData, ExecuteContext, Item, Logger, NodeDefinition, NodeOutput, NodeServices } from '@/lib/engine/types'

export interface LogLine {
  level: keyof Logger
  msg: string
  data?: Record<string, unknown>
}

interface BaseOptions {
  /** Raw params, validated and defaulted through the node's schema (as the engine does after resolving expressions). */
  params?: Record<string, unknown>
  /** Stand-in for per-item expression resolution: raw params for item `index`. Defaults to `params`. */
  paramsFor?: (item: Item, index: number) => Record<string, unknown>
  items?: Item[]
  inputs?: Record<string, Item[]>
  credential?: CredentialData
  signal?: AbortSignal
  /** Page size of `ctx.inputPages` (stream nodes such as Merge read their ports that way). Default 1000. */
  pageSize?: number
}

/** A node type that declares host services (`S`) cannot run here without them: that is a type error. */
export type HarnessOptions<S extends object = {}> = BaseOptions &
  ({} extends S ? { services?: Partial<NodeServices> } : { services: Partial<NodeServices> & S })

export function cancellableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

const unavailable = (what: string) => () => {
  throw new Error(`${what} is not available in this test`)
}

export async function runNode<P, S extends object = {}>(
  def: NodeDefinition<P, S>,
  ...[opts = {} as HarnessOptions<S>]: {} extends S ? [opts?: HarnessOptions<S>] : [opts: HarnessOptions<S>]
): Promise<{ output: NodeOutput; logs: LogLine[] }> {
  const items = opts.items ?? opts.inputs?.[def.inputs[0]?.name ?? 'main'] ?? []
  const raw = opts.params ?? {}
  const logs: LogLine[] = []
  const log = Object.fromEntries(
    (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (msg: string, data?: Record<string, unknown>) => logs.push({ level, msg, data })]),
  ) as unknown as Logger
  const services = {
    http: { request: unavailable('HTTP') },
    sandbox: { evaluateExpression: unavailable('The sandbox'), runCode: unavailable('The sandbox') },
    sleep: cancellableSleep,
    ...opts.services,
  } as NodeServices & S
  const inputs = opts.inputs ?? { [def.inputs[0]?.name ?? 'main']: items }
  const written: NodeOutput = {}
  const ctx: ExecuteContext<P, S> = {
    executionId: 'exec-1',
    workflowId: 'wf-1',
    tenantId: 'tenant-1',
    node: { id: 'node-1', name: def.label, type: def.type },
    attempt: 1,
    idempotencyKey: 'exec-1:node-1',
    params: def.params.parse(items[0] && opts.paramsFor ? opts.paramsFor(items[0], 0) : raw),
    paramsFor: async (i) => def.params.parse(opts.paramsFor ? opts.paramsFor(items[i], i) : raw),
    items,
    inputOffset: 0,
    inputCount: items.length,
    pageState: new Map(),
    inputs,
    inputCounts: Object.fromEntries(def.inputs.map((port) => [port.name, inputs[port.name]?.length ?? 0])),
    inputPages: async function* (port) {
      const all = inputs[port] ?? []
      for (let at = 0; at < all.length; at += opts.pageSize ?? 1000) yield all.slice(at, at + (opts.pageSize ?? 1000))
    },
    write: async (output) => {
      for (const [port, list] of Object.entries(output)) (written[port] ??= []).push(...list)
    },
    credential: async () => opts.credential,
    signal: opts.signal ?? new AbortController().signal,
    log,
    emit: () => undefined,
    services,
  }
  const { execute } = await def.load()
  const returned = await execute(ctx)
  await ctx.write(returned)
  return { output: written, logs }
}
