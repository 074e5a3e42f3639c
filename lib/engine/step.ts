// Running one node: attempts with retries and backoff, per-attempt timeouts, continueOnFail, batch paging.
import { ERROR_PORT, MAIN_PORT, type GraphEdge, type GraphNode, type NodeSettings } from './graph-schema'
import { isRetryable, serializeError } from './errors'
import { hasExpression, resolveParams, type ExpressionData } from './expressions'
import { isRunLimit, itemLimitError } from './limits'
import { inputPortNames } from './ports'
import { abortPromise, backoffDelay, pagesOf, rechunk } from './util'
import {
  NodeError,
  type CredentialData,
  type EngineEvent,
  type ExecuteContext,
  type Item,
  type ItemStore,
  type Logger,
  type NodeDefinition,
  type NodeExecutor,
  type NodeOutput,
  type NodeServices,
  type StepSpan,
  type StepState,
  type StepTracer,
} from './types'
import { StepLog } from './step-log'

export interface NodeRuntime {
  node: GraphNode
  def: NodeDefinition
  settings: NodeSettings
  /** Edges from nodes that take part in this run, in graph order. */
  inEdges: GraphEdge[]
  outEdges: GraphEdge[]
  /** In-edges whose source has not settled yet. */
  waiting: number
  state: StepState
  /** Set on the nodes of a loop's body while the loop runs: the current iteration (1-based). */
  iteration?: number
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
  /** Items arriving on an input port, from the settled sources' output counts (no store round trip). */
  inputCount(rt: NodeRuntime, port: string): number
}

export type StepOutcome = { status: 'succeeded' } | { status: 'failed'; error: unknown } | { status: 'canceled' }

export const CANCELED = 'CANCELED'
export const TIMEOUT = 'TIMEOUT'

export async function runStep(rt: NodeRuntime, env: StepEnv): Promise<StepOutcome> {
  const { node } = rt
  const { execute } = await rt.def.load()
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
async function runAttempt(rt: NodeRuntime, env: StepEnv, execute: NodeExecutor, attempt: number, retry: number, span?: StepSpan): Promise<StepOutcome | { status: 'retry'; delayMs: number }> {
  const { node, settings } = rt
  const tag = iterationOf(rt)
  const log = new StepLog(env.forwardLog)
  const scope: AttemptScope = { log, span }
  const logs = () => log.lines()
  await env.store.clear(node.id)
  rt.state = { ...rt.state, status: 'running', attempts: attempt, startedAt: rt.state.startedAt ?? Date.now(), outputCounts: {} }
  const started = Date.now()
  try {
    if (rt.def.sideEffects && env.services.beforeSideEffect) await env.services.beforeSideEffect({ nodeId: node.id, attempt })
    const output = await attemptWithTimeout(rt, env, execute, attempt, retry, scope)
    rt.state = { ...rt.state, status: 'succeeded', finishedAt: Date.now(), outputCounts: output.counts }
    const lines = logs()
    span?.settled({ status: 'succeeded', outputCounts: output.counts, logLines: lines?.length })
    await env.emit({ type: 'step.succeeded', nodeId: node.id, attempt, at: Date.now(), durationMs: Date.now() - started, outputCounts: output.counts, output: output.preview, ...tag, ...(lines && { logs: lines }) })
    return { status: 'succeeded' }
  } catch (err) {
    if (env.runSignal.aborted) {
      // The run's time cap aborts the run too, but that is a failure of the step that was running, not a cancel.
      const limit = isRunLimit(env.runSignal.reason) ? env.runSignal.reason : undefined
      const error = serializeError(limit ?? new NodeError('The execution was canceled', { code: CANCELED }), node.id)
      rt.state = { ...rt.state, status: limit ? 'failed' : 'canceled', finishedAt: Date.now(), error }
      const lines = logs()
      span?.settled({ status: limit ? 'failed' : 'canceled', error, logLines: lines?.length })
      await env.emit({ type: 'step.failed', nodeId: node.id, attempt, at: Date.now(), durationMs: Date.now() - started, error, willRetry: false, ...tag, ...(lines && { logs: lines }) })
      return limit ? { status: 'failed', error: limit } : { status: 'canceled' }
    }
    const error = serializeError(err, node.id)
    const willRetry = retry < settings.maxAttempts && isRetryable(err)
    if (!willRetry && settings.continueOnFail && !isRunLimit(err)) {
      const output = await routeError(rt, env, error)
      rt.state = { ...rt.state, status: 'succeeded', finishedAt: Date.now(), outputCounts: output.counts, error }
      log.warn(`Failed, continuing (continueOnFail): ${error.message}`, { code: error.code })
      const lines = logs()
      span?.settled({ status: 'succeeded', outputCounts: output.counts, error, logLines: lines?.length })
      await env.emit({ type: 'step.succeeded', nodeId: node.id, attempt, at: Date.now(), durationMs: Date.now() - started, outputCounts: output.counts, output: output.preview, ...tag, ...(lines && { logs: lines }) })
      return { status: 'succeeded' }
    }
    rt.state = { ...rt.state, status: willRetry ? 'running' : 'failed', error, ...(!willRetry && { finishedAt: Date.now() }) }
    // The retry's wait is known before this attempt's record is written, so the record says when the next one starts.
    const delayMs = willRetry ? backoffDelay(retry, settings.backoffMs, settings.maxBackoffMs, env.random) : 0
    if (willRetry) log.warn(`Attempt ${retry} of ${settings.maxAttempts} failed: ${error.message} — retrying in ${delayMs} ms`, { attempt: retry, maxAttempts: settings.maxAttempts, ...(error.code && { code: error.code }), delayMs })
    const lines = logs()
    span?.settled({ status: 'failed', error, willRetry, logLines: lines?.length })
    await env.emit({ type: 'step.failed', nodeId: node.id, attempt, at: Date.now(), durationMs: Date.now() - started, error, willRetry, ...tag, ...(lines && { logs: lines }) })
    if (!willRetry) return { status: 'failed', error: err }
    await env.emit({ type: 'step.retrying', nodeId: node.id, attempt, nextAttempt: attempt + 1, delayMs, error })
    return { status: 'retry', delayMs }
  }
}

/** What one attempt carries down to its execute() calls: its log and the host's span, if it traces. */
interface AttemptScope {
  log: StepLog
  span?: StepSpan
}

interface WrittenOutput {
  counts: Record<string, number>
  preview: NodeOutput
}

/** Races the attempt against its timeout and the run's cancellation: a node that ignores its signal is abandoned.
 * `attempt` is the recorded number (events), `retry` the node's own (ctx.attempt: 1 is the first try). */
async function attemptWithTimeout(rt: NodeRuntime, env: StepEnv, execute: NodeExecutor, attempt: number, retry: number, scope: AttemptScope): Promise<WrittenOutput> {
  if (rt.settings.timeoutMs <= 0) {
    // No timeout: the node shares the run's signal (no per-attempt controller on the hot path).
    const running = executeAttempt(rt, env, execute, attempt, retry, env.runSignal, scope)
    running.catch(() => {})
    return Promise.race([running, env.runAborted])
  }
  const ctl = new AbortController()
  const onRunAbort = () => ctl.abort(env.runSignal.reason)
  env.runSignal.addEventListener('abort', onRunAbort, { once: true })
  const timer = setTimeout(() => {
    ctl.abort(new NodeError(`Step "${rt.node.name}" timed out after ${rt.settings.timeoutMs} ms`, { code: TIMEOUT, retryable: true }))
  }, rt.settings.timeoutMs)
  try {
    const running = executeAttempt(rt, env, execute, attempt, retry, ctl.signal, scope)
    running.catch(() => {})
    return await Promise.race([running, abortPromise(ctl.signal)])
  } finally {
    clearTimeout(timer)
    env.runSignal.removeEventListener('abort', onRunAbort)
  }
}

async function executeAttempt(rt: NodeRuntime, env: StepEnv, execute: NodeExecutor, attempt: number, retry: number, signal: AbortSignal, scope: AttemptScope): Promise<WrittenOutput> {
  const ports = inputPortNames(rt.def)
  const firstPort = ports[0] ?? MAIN_PORT
  const out = new OutputWriter(rt.node, env, signal)
  const counts = Object.fromEntries(ports.map((port) => [port, env.inputCount(rt, port)]))
  const context = (inputs: Record<string, Item[]>, page: PagePosition, pages?: PageSource) =>
    buildContext(rt, env, { attempt: retry, signal, out, firstPort, inputs, counts, pages, log: scope.log }, page)
  if (rt.def.mode === 'stream') {
    // Nothing is loaded: the node reads its ports page by page. The first page of the first port is read here for the
    // started event's preview and for resolving params, then handed to the node as the start of that port.
    const head = await peekFirstPage(env.inputPages(rt, firstPort))
    await emitStarted(rt, env, attempt, head.page, counts[firstPort] ?? 0, scope)
    const pages: PageSource = (port) => (port === firstPort ? head.replay() : undefined) ?? env.inputPages(rt, port)
    await out.write(await execute(await context({}, { offset: 0, count: counts[firstPort] ?? 0, pageState: new Map(), scopeItems: head.page }, pages)))
    return out.result()
  }
  if (rt.def.mode === 'batch' && ports.length <= 1) {
    const count = counts[firstPort] ?? 0
    const pageState = new Map<string, unknown>()
    let offset = 0
    let first = true
    // Full pages even when the sources wrote partial ones (a Filter's page keeps a third of its input): fewer calls,
    // and an input that fits in one page is one call (Code's once-for-all-items depends on it).
    for await (const page of rechunk(env.inputPages(rt, firstPort), env.pageSize)) {
      if (signal.aborted) throw signal.reason
      if (first) await emitStarted(rt, env, attempt, page, count, scope)
      first = false
      await out.write(await execute(await context({ [firstPort]: page }, { offset, count, pageState })))
      offset += page.length
    }
    if (first) {
      await emitStarted(rt, env, attempt, [], 0, scope)
      await out.write(await execute(await context({ [firstPort]: [] }, { offset: 0, count: 0, pageState })))
    }
    return out.result()
  }
  const incoming = ports.reduce((n, port) => n + (counts[port] ?? 0), 0)
  if (incoming > env.maxItemsPerStep) throw itemLimitError(rt.node.name, env.maxItemsPerStep, 'in')
  const inputs: Record<string, Item[]> = {}
  for (const port of ports) {
    const items: Item[] = []
    for await (const page of env.inputPages(rt, port)) for (const item of page) items.push(item)
    inputs[port] = items
  }
  const items = inputs[firstPort] ?? []
  await emitStarted(rt, env, attempt, items, items.length, scope)
  await out.write(await execute(await context(inputs, { offset: 0, count: items.length, pageState: new Map() })))
  return out.result()
}

/** Where a call's items sit in the step's input. `scopeItems`: what expressions in params see when `items` is empty. */
export interface PagePosition {
  offset: number
  count: number
  pageState: Map<string, unknown>
  scopeItems?: Item[]
}

type PageSource = (port: string) => AsyncIterable<Item[]>

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

async function* heldPages(items: Item[] | undefined): AsyncGenerator<Item[]> {
  if (items && items.length > 0) yield items
}

async function emitStarted(rt: NodeRuntime, env: StepEnv, attempt: number, items: Item[], inputCount: number, scope: AttemptScope): Promise<void> {
  const { node } = rt
  scope.span?.started(inputCount)
  await env.emit({ type: 'step.started', nodeId: node.id, nodeName: node.name, nodeType: node.type, attempt, at: Date.now(), inputCount, input: items.slice(0, env.previewItems), ...iterationOf(rt) })
}

export interface AttemptParts {
  attempt: number
  signal: AbortSignal
  out: Pick<OutputWriter, 'write'>
  firstPort: string
  inputs: Record<string, Item[]>
  counts: Record<string, number>
  /** Stream nodes read their ports from the store; the others see what `inputs` holds. */
  pages?: PageSource
  /** The attempt's log (ctx.log); without one (a loop node planning its batches), lines go to the run's logger. */
  log?: StepLog
}

/** The context of one execute() call; `parts.attempt` is the node's own try number (1 = first). */
export async function buildContext(rt: NodeRuntime, env: StepEnv, parts: AttemptParts, page: PagePosition): Promise<ExecuteContext> {
  const { node, def } = rt
  const { attempt, signal, inputs } = parts
  const items = inputs[parts.firstPort] ?? []
  const scopeItems = page.scopeItems ?? items
  const { offset } = page
  const dynamic = hasExpression(node.params)
  const paramsFor = async (index: number) => {
    const raw = dynamic ? await resolveParams(node.params, env.expressionData(scopeItems[index], offset + index, scopeItems)) : node.params
    const parsed = def.params.safeParse(raw)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = issue.path.map(String).join('.')
      throw new NodeError(`Parameter "${field || 'params'}" of "${node.name}": ${issue.message}`, { code: 'INVALID_PARAMS', retryable: false, field: field || 'params' })
    }
    return parsed.data as Record<string, unknown>
  }
  const params = await paramsFor(0)
  return {
    executionId: env.executionId,
    workflowId: env.workflowId,
    tenantId: env.tenantId,
    node: { id: node.id, name: node.name, type: node.type },
    attempt,
    // Each iteration of a loop's body does other work: its key names the iteration (stable on a resumed loop,
    // which hands out the same batches in the same order).
    idempotencyKey: rt.iteration === undefined ? `${env.executionId}:${node.id}` : `${env.executionId}:${node.id}#${rt.iteration}`,
    params,
    paramsFor: (index) => (dynamic ? paramsFor(index) : Promise.resolve(params)),
    items,
    inputOffset: offset,
    inputCount: page.count,
    pageState: page.pageState,
    inputs,
    inputCounts: parts.counts,
    inputPages: (port) => (parts.pages ? parts.pages(port) : heldPages(inputs[port])),
    write: (output) => parts.out.write(output),
    credential: async () => {
      const credential = await loadCredential(def, node, params, env)
      // What the step may send is what its log must never show.
      if (credential) parts.log?.redact(Object.values(credential.data))
      return credential
    },
    signal,
    log: parts.log ?? env.log,
    emit: (event, data) => {
      if (!signal.aborted) void env.emit({ type: 'step.progress', nodeId: node.id, event, data })
    },
    services: env.services,
  }
}

async function loadCredential(def: NodeDefinition, node: GraphNode, params: Record<string, unknown>, env: StepEnv): Promise<CredentialData | undefined> {
  if (!def.credential) return undefined
  const id = params[def.credential.param]
  if (typeof id !== 'string' || id === '') {
    if (def.credential.optional) return undefined
    throw new NodeError(`Node "${node.name}" needs a credential in "${def.credential.param}"`, { code: 'CREDENTIAL_MISSING', field: def.credential.param })
  }
  const credential = await env.getCredential(id)
  if (!def.credential.kinds.includes(credential.kind)) {
    throw new NodeError(`Credential "${id}" is a ${credential.kind} credential; "${node.name}" accepts ${def.credential.kinds.join(', ')}`, {
      code: 'CREDENTIAL_KIND',
      field: def.credential.param,
    })
  }
  return credential
}

/** With continueOnFail, each input item comes out on the error port with an `error` field added. */
async function routeError(rt: NodeRuntime, env: StepEnv, error: ReturnType<typeof serializeError>): Promise<WrittenOutput> {
  await env.store.clear(rt.node.id)
  const out = new OutputWriter(rt.node, env, env.runSignal)
  const errorField = { message: error.message, code: error.code, name: error.name, ...(error.details !== undefined && { details: error.details }) }
  const port = inputPortNames(rt.def)[0]
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

/** Writes node output to the store page by page and keeps counts and a preview for events. */
class OutputWriter {
  private readonly counts: Record<string, number> = {}
  private readonly preview: NodeOutput = {}
  private total = 0
  constructor(
    private readonly node: Pick<GraphNode, 'id' | 'name'>,
    private readonly env: StepEnv,
    private readonly signal: AbortSignal,
  ) {}

  async write(output: NodeOutput): Promise<void> {
    if (output === null || typeof output !== 'object' || Array.isArray(output)) {
      throw new NodeError('A node must return an object of item arrays per output port', { code: 'INVALID_OUTPUT' })
    }
    for (const [port, items] of Object.entries(output)) {
      if (!Array.isArray(items)) throw new NodeError(`Output "${port}" must be an array of items`, { code: 'INVALID_OUTPUT' })
      // An attempt abandoned by a timeout may still return later: it must not write into the retry's output.
      if (this.signal.aborted) throw this.signal.reason
      // Checked before anything is stored: a step over the cap writes nothing more.
      this.total += items.length
      if (this.total > this.env.maxItemsPerStep) throw itemLimitError(this.node.name, this.env.maxItemsPerStep)
      for (const page of pagesOf(items, this.env.pageSize)) await this.env.store.append(this.node.id, port, page)
      this.counts[port] = (this.counts[port] ?? 0) + items.length
      const shown = (this.preview[port] ??= [])
      if (shown.length < this.env.previewItems) shown.push(...items.slice(0, this.env.previewItems - shown.length))
    }
  }

  result(): WrittenOutput {
    return { counts: this.counts, preview: this.preview }
  }
}
