// Running one node: attempts with retries and backoff, per-attempt timeouts, continueOnFail, batch paging.
// Hot path (once per step): no closures bound to names here. Hosts run this through tsx, whose esbuild keeps function
// names by wrapping every named function expression in a defineProperty call, made each time the closure is created
// (~1 µs apiece on the dev box): helpers are module functions, and context members are methods (docs/engine.md).
import { ERROR_PORT, type GraphEdge, type GraphNode, type NodeSettings } from './graph-schema'
import { buildContext, OutputWriter, type AttemptParts, type WrittenOutput } from './context'
import { isRetryable, serializeError } from './errors'
import type { ExpressionData } from './expressions'
import { isRunLimit, itemLimitError } from './limits'
import { abortPromise, backoffDelay, rechunk, rechunkHeld } from './util'
import {
  NodeError,
  type CredentialData,
  type EngineEvent,
  type Item,
  type ItemStore,
  type Logger,
  type NodeDefinition,
  type NodeExecutor,
  type NodeServices,
  type StepLogLine,
  type StepSpan,
  type StepState,
  type StepTracer,
} from './types'
import { StepLog } from './step-log'
import type { NodePlan } from './wiring'

export { buildContext, type AttemptParts, type PagePosition } from './context'

export interface NodeRuntime {
  node: GraphNode
  def: NodeDefinition
  settings: Readonly<NodeSettings>
  /** Edges from nodes that take part in this run, in graph order. */
  inEdges: GraphEdge[]
  outEdges: GraphEdge[]
  /** In-edges whose source has not settled yet. */
  waiting: number
  state: StepState
  /** Set on the nodes of a loop's body while the loop runs: the current iteration (1-based). */
  iteration?: number
  /** What every run of this graph shares about the node (./wiring.ts). */
  plan: NodePlan
}

/** The iteration tag of a body step's events (nothing outside loops). */
export function iterationOf(rt: NodeRuntime): { iteration?: number } {
  return rt.iteration === undefined ? {} : { iteration: rt.iteration }
}

export interface StepEnv {
  executionId: string
  workflowId: string
  tenantId: string
  store: ItemStore
  pageSize: number
  previewItems: number
  maxItemsPerStep: number
  services: NodeServices
  log: Logger
  /** The run's own logger when the host gave one: it hears every step's lines too. */
  forwardLog?: Logger
  tracer?: StepTracer
  random: () => number
  runSignal: AbortSignal
  /** Rejects when the run is canceled (one shared promise, so steps do not each add a listener). */
  runAborted: Promise<never>
  getCredential(id: string): Promise<CredentialData>
  emit(event: EngineEvent): Promise<void>
  expressionData(item: Item | undefined, itemIndex: number, inputItems: Item[]): ExpressionData
  /** Pages arriving on an input port: every edge's source output, edge after edge. */
  inputPages(rt: NodeRuntime, port: string): AsyncIterable<Item[]>
  /** Every page of an input port at once, when the store holds them in memory (no promise per page); undefined when
   * they must be read with `inputPages`. */
  inputPagesNow(rt: NodeRuntime, port: string): Item[][] | undefined
  /** The same pages as one list (a node that takes all its input at once); a list at once when the store has it. */
  inputItems(rt: NodeRuntime, port: string): Item[] | Promise<Item[]>
  /** Items arriving on an input port, from the settled sources' output counts (no store round trip). */
  inputCount(rt: NodeRuntime, port: string): number
}

export type StepOutcome = { status: 'succeeded' } | { status: 'failed'; error: unknown } | { status: 'canceled' }

export const CANCELED = 'CANCELED'
export const TIMEOUT = 'TIMEOUT'

/** A definition's executor, once loaded: `load()` is a dynamic import, whose resolution is not free on every step. */
const executors = new WeakMap<NodeDefinition, NodeExecutor>()

export async function loadExecutor(def: NodeDefinition): Promise<NodeExecutor> {
  const { execute } = await def.load()
  executors.set(def, execute)
  return execute
}

export async function runStep(rt: NodeRuntime, env: StepEnv): Promise<StepOutcome> {
  const { node } = rt
  const execute = executors.get(rt.def) ?? (await loadExecutor(rt.def))
  // A loop's body runs once per iteration: its recorded attempts go on counting, so (node, attempt) stays unique.
  const base = rt.state.attempts
  for (let retry = 1; ; retry++) {
    const attempt = base + retry
    if (env.runSignal.aborted) return { status: 'canceled' }
    const result = env.tracer
      ? await env.tracer.attempt({ nodeId: node.id, nodeName: node.name, nodeType: node.type, attempt, ...iterationOf(rt) }, (span) => runAttempt(rt, env, execute, attempt, retry, span))
      : await runAttempt(rt, env, execute, attempt, retry)
    if (result.status !== 'retry') return result
    try {
      await env.services.sleep(result.delayMs, env.runSignal)
    } catch {
      if (env.runSignal.aborted) {
        rt.state = { ...rt.state, status: 'canceled', finishedAt: Date.now() }
        return { status: 'canceled' }
      }
    }
  }
}

/** One attempt, its events and its log; `retry`: after how long the next attempt starts. */
async function runAttempt(rt: NodeRuntime, env: StepEnv, execute: NodeExecutor, attempt: number, retry: number, span?: StepSpan): Promise<AttemptOutcome> {
  const { node } = rt
  const log = new StepLog(env.forwardLog)
  const scope: AttemptScope = { log, span }
  await env.store.clear(node.id)
  rt.state = { ...rt.state, status: 'running', attempts: attempt, startedAt: rt.state.startedAt ?? Date.now(), outputCounts: {} }
  const started = Date.now()
  try {
    if (rt.def.sideEffects && env.services.beforeSideEffect) await env.services.beforeSideEffect({ nodeId: node.id, attempt })
    const output = await attemptWithTimeout(rt, env, execute, attempt, retry, scope)
    rt.state = { ...rt.state, status: 'succeeded', finishedAt: Date.now(), outputCounts: output.counts }
    const lines = log.lines()
    span?.settled({ status: 'succeeded', outputCounts: output.counts, logLines: lines?.length })
    await env.emit(tagged({ type: 'step.succeeded', nodeId: node.id, attempt, at: Date.now(), durationMs: Date.now() - started, outputCounts: output.counts, output: output.preview }, rt, lines))
    return SUCCEEDED
  } catch (err) {
    return attemptFailed(rt, env, err, attempt, retry, started, scope)
  }
}

type AttemptOutcome = StepOutcome | { status: 'retry'; delayMs: number }

const SUCCEEDED: StepOutcome = Object.freeze({ status: 'succeeded' })

/** Events of a step in a loop's body carry the iteration; an attempt's events carry its log lines, if any. */
function tagged<E extends EngineEvent>(event: E, rt: NodeRuntime, lines?: StepLogLine[]): E {
  const tags = event as { iteration?: number; logs?: StepLogLine[] }
  if (rt.iteration !== undefined) tags.iteration = rt.iteration
  if (lines) tags.logs = lines
  return event
}

/** A failed attempt: canceled, retried, turned into error items (continueOnFail), or the step's failure. */
async function attemptFailed(rt: NodeRuntime, env: StepEnv, err: unknown, attempt: number, retry: number, started: number, { log, span }: AttemptScope): Promise<AttemptOutcome> {
  const { node, settings } = rt
  if (env.runSignal.aborted) {
    // The run's time cap aborts the run too, but that is a failure of the step that was running, not a cancel.
    const limit = isRunLimit(env.runSignal.reason) ? env.runSignal.reason : undefined
    const error = serializeError(limit ?? new NodeError('The execution was canceled', { code: CANCELED }), node.id)
    rt.state = { ...rt.state, status: limit ? 'failed' : 'canceled', finishedAt: Date.now(), error }
    const lines = log.lines()
    span?.settled({ status: limit ? 'failed' : 'canceled', error, logLines: lines?.length })
    await env.emit(tagged({ type: 'step.failed', nodeId: node.id, attempt, at: Date.now(), durationMs: Date.now() - started, error, willRetry: false }, rt, lines))
    return limit ? { status: 'failed', error: limit } : { status: 'canceled' }
  }
  const error = serializeError(err, node.id)
  const willRetry = retry < settings.maxAttempts && isRetryable(err)
  if (!willRetry && settings.continueOnFail && !isRunLimit(err)) {
    const output = await routeError(rt, env, error)
    rt.state = { ...rt.state, status: 'succeeded', finishedAt: Date.now(), outputCounts: output.counts, error }
    log.warn(`Failed, continuing (continueOnFail): ${error.message}`, { code: error.code })
    const lines = log.lines()
    span?.settled({ status: 'succeeded', outputCounts: output.counts, error, logLines: lines?.length })
    await env.emit(tagged({ type: 'step.succeeded', nodeId: node.id, attempt, at: Date.now(), durationMs: Date.now() - started, outputCounts: output.counts, output: output.preview }, rt, lines))
    return SUCCEEDED
  }
  rt.state = { ...rt.state, status: willRetry ? 'running' : 'failed', error, ...(!willRetry && { finishedAt: Date.now() }) }
  // The retry's wait is known before this attempt's record is written, so the record says when the next one starts.
  const delayMs = willRetry ? backoffDelay(retry, settings.backoffMs, settings.maxBackoffMs, env.random) : 0
  if (willRetry) log.warn(`Attempt ${retry} of ${settings.maxAttempts} failed: ${error.message} — retrying in ${delayMs} ms`, { attempt: retry, maxAttempts: settings.maxAttempts, ...(error.code && { code: error.code }), delayMs })
  const lines = log.lines()
  span?.settled({ status: 'failed', error, willRetry, logLines: lines?.length })
  await env.emit(tagged({ type: 'step.failed', nodeId: node.id, attempt, at: Date.now(), durationMs: Date.now() - started, error, willRetry }, rt, lines))
  if (!willRetry) return { status: 'failed', error: err }
  await env.emit({ type: 'step.retrying', nodeId: node.id, attempt, nextAttempt: attempt + 1, delayMs, error })
  return { status: 'retry', delayMs }
}

/** What one attempt carries down to its execute() calls: its log and the host's span, if it traces. */
interface AttemptScope {
  log: StepLog
  span?: StepSpan
}

/** Races the attempt against its timeout and the run's cancellation: a node that ignores its signal is abandoned.
 * `attempt` is the recorded number (events), `retry` the node's own (ctx.attempt: 1 is the first try). */
function attemptWithTimeout(rt: NodeRuntime, env: StepEnv, execute: NodeExecutor, attempt: number, retry: number, scope: AttemptScope): Promise<WrittenOutput> {
  // No timeout: the node shares the run's signal (no per-attempt controller on the hot path). The race handles a
  // rejection of the abandoned attempt.
  if (rt.settings.timeoutMs <= 0) return Promise.race([executeAttempt(rt, env, execute, attempt, retry, env.runSignal, scope), env.runAborted])
  return attemptWithDeadline(rt, env, execute, attempt, retry, scope)
}

async function attemptWithDeadline(rt: NodeRuntime, env: StepEnv, execute: NodeExecutor, attempt: number, retry: number, scope: AttemptScope): Promise<WrittenOutput> {
  const ctl = new AbortController()
  const onRunAbort = () => ctl.abort(env.runSignal.reason)
  env.runSignal.addEventListener('abort', onRunAbort, { once: true })
  const timer = setTimeout(() => {
    ctl.abort(new NodeError(`Step "${rt.node.name}" timed out after ${rt.settings.timeoutMs} ms`, { code: TIMEOUT, retryable: true }))
  }, rt.settings.timeoutMs)
  try {
    return await Promise.race([executeAttempt(rt, env, execute, attempt, retry, ctl.signal, scope), abortPromise(ctl.signal)])
  } finally {
    clearTimeout(timer)
    env.runSignal.removeEventListener('abort', onRunAbort)
  }
}

/** The node's execute() calls of one attempt, by how the node takes its input (`mode`). */
function executeAttempt(rt: NodeRuntime, env: StepEnv, execute: NodeExecutor, attempt: number, retry: number, signal: AbortSignal, scope: AttemptScope): Promise<WrittenOutput> {
  const { inPorts: ports, firstPort } = rt.plan
  const counts = ports.length === 1 ? { [firstPort]: env.inputCount(rt, firstPort) } : Object.fromEntries(ports.map((port) => [port, env.inputCount(rt, port)]))
  const out = new OutputWriter(rt.node, env, signal)
  const parts: AttemptParts = { attempt: retry, signal, out, firstPort, inputs: {}, counts, log: scope.log }
  if (rt.def.mode === 'stream') return executeStream(rt, env, execute, attempt, parts, out, scope)
  if (rt.def.mode === 'batch' && ports.length <= 1) return executeBatch(rt, env, execute, attempt, parts, out, scope)
  return executeAll(rt, env, execute, attempt, parts, out, scope)
}

/** Nothing is loaded: the node reads its ports page by page. The first page of the first port is read here for the
 * started event's preview and for resolving params, then handed to the node as the start of that port. */
async function executeStream(rt: NodeRuntime, env: StepEnv, execute: NodeExecutor, attempt: number, parts: AttemptParts, out: OutputWriter, scope: AttemptScope): Promise<WrittenOutput> {
  const { firstPort, counts } = parts
  const head = await peekFirstPage(env.inputPages(rt, firstPort))
  await emitStarted(rt, env, attempt, head.page, counts[firstPort] ?? 0, scope)
  parts.pages = (port) => (port === firstPort ? head.replay() : undefined) ?? env.inputPages(rt, port)
  await out.write(await execute(await buildContext(rt, env, parts, { offset: 0, count: counts[firstPort] ?? 0, pageState: new Map(), scopeItems: head.page })))
  return out.result()
}

/** Full pages even when the sources wrote partial ones (a Filter's page keeps a third of its input): fewer calls, and
 * an input that fits in one page is one call (Code's once-for-all-items depends on it). */
async function executeBatch(rt: NodeRuntime, env: StepEnv, execute: NodeExecutor, attempt: number, parts: AttemptParts, out: OutputWriter, scope: AttemptScope): Promise<WrittenOutput> {
  const { firstPort } = parts
  const at: BatchPosition = { offset: 0, first: true, count: parts.counts[firstPort] ?? 0, pageState: new Map() }
  const held = env.inputPagesNow(rt, firstPort)
  if (held) for (const page of rechunkHeld(held, env.pageSize)) await executePage(rt, env, execute, attempt, parts, out, scope, page, at)
  else for await (const page of rechunk(env.inputPages(rt, firstPort), env.pageSize)) await executePage(rt, env, execute, attempt, parts, out, scope, page, at)
  if (at.first) {
    await emitStarted(rt, env, attempt, [], 0, scope)
    await out.write(await execute(await buildContext(rt, env, { ...parts, inputs: { [firstPort]: [] } }, { offset: 0, count: 0, pageState: at.pageState })))
  }
  return out.result()
}

interface BatchPosition {
  offset: number
  first: boolean
  count: number
  pageState: Map<string, unknown>
}

/** One execute() call of a batch node, on one full page. */
async function executePage(rt: NodeRuntime, env: StepEnv, execute: NodeExecutor, attempt: number, parts: AttemptParts, out: OutputWriter, scope: AttemptScope, page: Item[], at: BatchPosition): Promise<void> {
  const { signal } = parts
  if (signal.aborted) throw signal.reason
  if (at.first) await emitStarted(rt, env, attempt, page, at.count, scope)
  at.first = false
  await out.write(await execute(await buildContext(rt, env, { ...parts, inputs: { [parts.firstPort]: page } }, { offset: at.offset, count: at.count, pageState: at.pageState })))
  at.offset += page.length
}

/** Every item of every port at once (refused beforehand when that is more than the step's item cap). */
async function executeAll(rt: NodeRuntime, env: StepEnv, execute: NodeExecutor, attempt: number, parts: AttemptParts, out: OutputWriter, scope: AttemptScope): Promise<WrittenOutput> {
  const { inPorts: ports } = rt.plan
  const { counts, inputs } = parts
  let incoming = 0
  for (const port of ports) incoming += counts[port] ?? 0
  if (incoming > env.maxItemsPerStep) throw itemLimitError(rt.node.name, env.maxItemsPerStep, 'in')
  for (const port of ports) {
    const read = env.inputItems(rt, port)
    inputs[port] = Array.isArray(read) ? read : await read
  }
  const items = inputs[parts.firstPort] ?? []
  await emitStarted(rt, env, attempt, items, items.length, scope)
  await out.write(await execute(await buildContext(rt, env, parts, { offset: 0, count: items.length, pageState: new Map() })))
  return out.result()
}

/** Reads the first page of `pages`; `replay()` then yields it and the rest, once (undefined after that). */
async function peekFirstPage(pages: AsyncIterable<Item[]>): Promise<{ page: Item[]; replay(): AsyncIterable<Item[]> | undefined }> {
  const iterator = pages[Symbol.asyncIterator]()
  const head = await iterator.next()
  let replayed = false
  async function* rest(): AsyncGenerator<Item[]> {
    if (head.done) return
    yield head.value
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
  }
  return {
    page: head.done ? [] : head.value,
    replay: () => {
      if (replayed) return undefined
      replayed = true
      return rest()
    },
  }
}

function emitStarted(rt: NodeRuntime, env: StepEnv, attempt: number, items: Item[], inputCount: number, scope: AttemptScope): Promise<void> {
  const { node } = rt
  scope.span?.started(inputCount)
  return env.emit(tagged({ type: 'step.started', nodeId: node.id, nodeName: node.name, nodeType: node.type, attempt, at: Date.now(), inputCount, input: items.slice(0, env.previewItems) }, rt))
}

/** With continueOnFail, each input item comes out on the error port with an `error` field added. */
async function routeError(rt: NodeRuntime, env: StepEnv, error: ReturnType<typeof serializeError>): Promise<WrittenOutput> {
  await env.store.clear(rt.node.id)
  const out = new OutputWriter(rt.node, env, env.runSignal)
  const errorField = { message: error.message, code: error.code, name: error.name, ...(error.details !== undefined && { details: error.details }) }
  const port = rt.plan.inPorts[0]
  let any = false
  if (port) {
    for await (const page of env.inputPages(rt, port)) {
      any = any || page.length > 0
      await out.write({ [ERROR_PORT]: page.map((item) => ({ ...item, error: errorField })) })
    }
  }
  if (!any) await out.write({ [ERROR_PORT]: [{ error: errorField }] })
  return out.result()
}
