// The contract between the engine, node types and the hosts that run them (worker, tests, "test this step").
// Browser-safe: types only, plus zod for parameter schemas. Nothing here does I/O.
import type { z } from 'zod'
import type { WorkflowGraph } from './graph-schema'

/** One unit of data flowing along an edge: a plain JSON object (as in n8n, minus the `json` wrapper). */
export type Item = Record<string, unknown>

/** Output of one node run: items per output port name. Ports missing from the object produced no items. */
export type NodeOutput = Record<string, Item[]>

export interface PortDef {
  name: string
  label?: string
}

/** A decrypted credential as a node sees it (only inside the worker, only for the step that uses it). */
export interface CredentialData {
  id: string
  /** Opaque to the engine: the app's kinds are listed in lib/nodes/credential-kinds.ts. */
  kind: string
  data: Record<string, string>
  /** Kinds holding a token that can go stale (OAuth2): the same credential with a fresh token, after an API refused it. */
  renew?(): Promise<CredentialData>
  /** As the user named it, for error messages. */
  name?: string
  /** Hosts the credential may be sent to (lib/credentials/hosts.ts); empty or missing = any. */
  allowedHosts?: string[]
}

export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void
  info(msg: string, data?: Record<string, unknown>): void
  warn(msg: string, data?: Record<string, unknown>): void
  error(msg: string, data?: Record<string, unknown>): void
}

export type StepLogLevel = 'debug' | 'info' | 'warn' | 'error'

/** One line of a step's log (`ctx.log`), as kept with the step record (bounded: lib/engine/step-log.ts). */
export interface StepLogLine {
  /** ms since epoch */
  at: number
  level: StepLogLevel
  message: string
  data?: Record<string, unknown>
}

/**
 * A host's tracing of steps (the worker's OpenTelemetry spans, lib/telemetry): each attempt of a step runs inside
 * `attempt`, so what the node does meanwhile (an HTTP request, an LLM call) is traced as the attempt's child. The
 * engine knows nothing of spans; a host without tracing leaves RunOptions.tracer unset and the engine calls nothing.
 */
export interface StepTracer {
  attempt<T>(step: { nodeId: string; nodeName: string; nodeType: string; attempt: number; iteration?: number }, run: (span: StepSpan) => Promise<T>): Promise<T>
}

/** What the engine tells a host's span about the attempt it wraps. */
export interface StepSpan {
  started(inputCount: number): void
  settled(outcome: { status: 'succeeded' | 'failed' | 'canceled'; outputCounts?: Record<string, number>; error?: SerializedError; willRetry?: boolean; logLines?: number }): void
}

// ---------------------------------------------------------------------------------------------
// Services a host injects. The engine passes them through to nodes untouched; nodes never import
// I/O modules themselves for these concerns, so tests and hosts decide the policy.

export interface HttpRequestSpec {
  method: string
  url: string
  headers?: Record<string, string>
  query?: Record<string, string>
  /** A stream (a file's bytes) is sent as it is read; it cannot be sent again, so a redirect that would repeat it
   * (307/308) fails the request instead. */
  body?: string | Uint8Array | AsyncIterable<Uint8Array>
  timeoutMs?: number
  maxRedirects?: number
  signal?: AbortSignal
}

export interface HttpResponseData {
  status: number
  headers: Record<string, string>
  body: Uint8Array
  url: string // final URL after redirects
}

export interface HttpStreamResponse extends Omit<HttpResponseData, 'body'> {
  /** The decoded body, read as it arrives (bounded by `maxBytes`). Read it to the end, or call `cancel()`. */
  body: AsyncIterable<Uint8Array>
  cancel(): void
}

/** Outbound HTTP through the SSRF guard (blocked targets reject with a non-retryable NodeError). */
export interface HttpClient {
  request(spec: HttpRequestSpec): Promise<HttpResponseData>
  /** The body as a stream, for files: the processes' clients have it; test doubles may leave it out. `maxBytes`
   * replaces the client's response cap (a file may be far bigger than a JSON answer). */
  requestStream?(spec: HttpRequestSpec & { maxBytes?: number }): Promise<HttpStreamResponse>
}

export interface SandboxLimits {
  timeoutMs?: number
  memoryMb?: number
  /** Code runs with the same partition (the tenant) may share a warm context whose globals are frozen; runs of
   * different partitions never do. Without one, each run gets a fresh context. */
  partition?: string
}

/** Runs user JavaScript in an isolate (never on the host). */
export interface CodeRunner {
  /** Evaluate an expression body (the text inside `{{ }}`) against a scope of JSON values. */
  evaluateExpression(expression: string, scope: Record<string, unknown>, limits?: SandboxLimits): Promise<unknown>
  /** Run a Code node's source. `items` in, returned items out (must be an array of objects). */
  runCode(source: string, scope: Record<string, unknown>, limits?: SandboxLimits): Promise<unknown>
}

export interface WebhookResponse {
  status: number
  headers?: Record<string, string>
  body: unknown
  /** Let a browser display active content (HTML, SVG…) instead of downloading it; the answer stays sandboxed. */
  allowInline?: boolean
}

/** What every host gives every node. Anything else a node needs (an AI router, a file store…) it declares by key
 * (`NodeDefinition.services`) and receives next to these, typed: see `S` below. */
export interface NodeServices {
  http: HttpClient
  sandbox: CodeRunner
  /** Set by webhook-started runs: the Respond node answers the waiting HTTP request through it. */
  respond?: (response: WebhookResponse) => Promise<void>
  /** Cancellable sleep (Wait node, retry backoff). */
  sleep(ms: number, signal: AbortSignal): Promise<void>
  /**
   * Called before each attempt of a step whose node declares `sideEffects`: the worker checks here that its delivery
   * still holds the run (a step with outside effects runs at most once per lease). Throwing stops the step.
   */
  beforeSideEffect?: (step: { nodeId: string; attempt: number }) => Promise<void>
}

// ---------------------------------------------------------------------------------------------
// Node types

/**
 * `S` (here and below) is the host services a node type needs beyond NodeServices, as an object type keyed by service
 * name. The engine never looks inside: the app names its services (lib/nodes/host-services.ts), a definition and its
 * executor are typed by the ones it declares, and a registry by what its node types need together, so a host that
 * runs a registry without providing one of them fails to compile.
 */
export interface ExecuteContext<P = Record<string, unknown>, S extends object = {}> {
  executionId: string
  workflowId: string
  tenantId: string
  node: { id: string; name: string; type: string }
  attempt: number
  /** Stable across retries and re-deliveries of the same step: pass it to providers that accept one. */
  idempotencyKey: string
  /** Params resolved against the first input item (or the trigger input when there are no items). */
  params: P
  /** Params resolved against input item `index` — for nodes that work item by item. */
  paramsFor(index: number): Promise<P>
  /** Items on the first input port (all connected edges, in edge order); for a batch node, the current page. */
  items: Item[]
  /** Index of `items[0]` in the step's whole input on the first port (a batch node's later pages start past 0). */
  inputOffset: number
  /** Items on the first input port across every page, so a batch node can place its page (Limit keeps the last N). */
  inputCount: number
  /**
   * Shared by the pages of one attempt of a batch node (empty again on a retry). A node that needs all its input
   * but only a digest of it (Summarize's groups, Remove Duplicates' keys seen) keeps the digest here instead of
   * being handed every item at once; its last page is the one where inputOffset + items.length reaches inputCount.
   */
  pageState: Map<string, unknown>
  /** Items per input port name; for a batch node, the current page on the first port; empty for a stream node. */
  inputs: Record<string, Item[]>
  /** Items arriving on each input port across every page (from the sources' output counts; 0 for unconnected ports). */
  inputCounts: Record<string, number>
  /**
   * The pages of one input port. A stream node (Merge) reads every port this way, as far as it needs, in any
   * interleaving; other nodes get what `inputs[port]` already holds, as one page. Read each port once per attempt:
   * a store may hand a page over only once (the benches' discarding store does).
   */
  inputPages(port: string): AsyncIterable<Item[]>
  /**
   * Stores items on ports now instead of returning them: a node that makes many items from little input (a CSV's
   * rows, an API's pages) or a stream node writes them page by page and keeps memory bounded. They come before the
   * returned items; the step's item cap counts them at once. Await each call (it is the back-pressure).
   */
  write(output: NodeOutput): Promise<void>
  /** Decrypted credential referenced by the node's credential param, if any. */
  credential(): Promise<CredentialData | undefined>
  signal: AbortSignal
  /** The step's log, kept with this attempt's step record and shown in the run view: bounded (200 lines, 64 KB),
   * with the values of the credential the step loaded redacted. Not for item data: that is the output. */
  log: Logger
  /** Progress for the live view (e.g. LLM tokens); not persisted as a step result. */
  emit(event: string, data: unknown): void
  services: NodeServices & S
}

/** One worked example of a node type: what goes in (params, items on the first input or per port), what comes out. */
export interface NodeExample {
  title: string
  params?: Record<string, unknown>
  input?: Item[] | Record<string, Item[]>
  output?: NodeOutput
  /** Text of the files the example's items refer to, by the `$file` id of their reference (input and output alike). */
  files?: Record<string, string>
}

/** Reference text a node type carries: the node reference and the inspector's help come from it. */
export interface NodeDocs {
  /** A paragraph or two, longer than the one-line `description`. */
  description: string
  examples: NodeExample[]
}

export type NodeExecutor<P = Record<string, unknown>, S extends object = {}> = (ctx: ExecuteContext<P, S>) => Promise<NodeOutput>

/** `S` defaults to `any`: code that handles every node type alike (the engine, the catalogue) takes any definition. */
export interface NodeDefinition<P = any, S extends object = any> {
  /** kebab-case, unique: 'http-request' */
  type: string
  version: number
  label: string
  description: string
  /** A lucide icon name (e.g. 'Globe') or an SVG; the app narrows the names (lib/nodes/icons.ts). */
  icon: string | { svg: string }
  /** Palette grouping; opaque to the engine (the app's list: NodeCategory in lib/nodes/define.ts). */
  category: string
  docs?: NodeDocs
  /**
   * Present on trigger nodes: the workflow starts here. `manual` and `webhook` start runs by request; the others
   * listen while the workflow is active (the host registers them when it is published): `schedule`, `event`,
   * `broker` (a message queue consumer), `subworkflow` (another workflow calls it), `error` (another workflow failed),
   * `messaging` (an inbound SMS, call or WhatsApp message, delivered by the provider's webhook), `monitor` (a web
   * page checked on an interval by the workers, started when it changes).
   */
  trigger?: { kind: 'manual' | 'webhook' | 'schedule' | 'event' | 'broker' | 'subworkflow' | 'error' | 'messaging' | 'monitor' }
  /** Parameter schema: validation on save, inspector form (via JSON Schema), defaults at run time. */
  params: z.ZodType<P>
  inputs: PortDef[]
  /** Static ports, or derived from params (Switch has one port per rule plus a fallback). */
  outputs: PortDef[] | ((params: P) => PortDef[])
  /** The param holding a credential id, and which kinds it accepts. */
  credential?: { param: string; kinds: readonly string[]; optional?: boolean }
  /**
   * 'batch': the engine may call execute once per page of input items (Set, If, Code…), keeping memory bounded on
   * big runs; for nodes with one input port. 'stream': execute once without any items loaded; the node reads its
   * ports page by page (`ctx.inputPages`) and writes output as it goes (`ctx.write`): for nodes with several input
   * ports (Merge). 'all' (default): execute once with every input item.
   */
  mode?: 'all' | 'batch' | 'stream'
  /** The node acts outside the run (sends a request, a message, spends tokens): the host is asked before each attempt
   * (`services.beforeSideEffect`). Pure nodes (Set, If, Code…) leave it unset and cost nothing. */
  sideEffects?: boolean
  /**
   * A loop node (Loop Over Items): the engine hands its input out in batches on `bodyPort`, runs the nodes reached from
   * there (its body) once per batch, and collects what the body sends back into the loop node's input for `donePort`,
   * which fires once after the last batch. `plan` reads the batch size and the node's iteration cap from its params.
   * An edge from the body back into a loop node is the only edge that may close a cycle (docs/engine.md, "Loops").
   */
  loop?: { bodyPort: string; donePort: string; plan(params: P): { batchSize: number; maxIterations: number } }
  /** The host services the node uses, by key (the keys of `S`); listed in the catalogue. */
  services?: readonly (keyof S & string)[]
  /** Server-only implementation, loaded lazily so definitions stay browser-safe. */
  load: () => Promise<{ execute: NodeExecutor<P, S> }>
}

/** What a host passes for node types that need `S`; just NodeServices for a registry typed `any` (tests' own types). */
export type ServicesFor<S> = 0 extends 1 & S ? NodeServices : NodeServices & S

/** Node types by type; `S`: the host services they need together, which a host running them must provide. */
export type NodeRegistry<S extends object = any> = ReadonlyMap<string, NodeDefinition<any, S>>

// ---------------------------------------------------------------------------------------------
// Errors (typed: they steer retries and HTTP answers)

export interface SerializedError {
  name: string
  message: string
  code?: string
  field?: string
  retryable?: boolean
  nodeId?: string
  details?: unknown
}

export class NodeError extends Error {
  readonly code: string
  readonly retryable: boolean
  readonly field?: string
  readonly details?: unknown
  constructor(message: string, opts: { code?: string; retryable?: boolean; field?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'NodeError'
    this.code = opts.code ?? 'NODE_ERROR'
    this.retryable = opts.retryable ?? false
    this.field = opts.field
    this.details = opts.details
  }
}

// ---------------------------------------------------------------------------------------------
// Engine events and run state

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'canceled'
export type ExecutionStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled'

/**
 * `iteration` (1-based) is set on the steps of a loop's body: they run once per batch, and their attempt numbers go on
 * counting across iterations, so (node, attempt) names one run of a step. A loop node's own terminal event carries the
 * number of iterations it ran.
 */
export type EngineEvent =
  | { type: 'step.started'; nodeId: string; nodeName: string; nodeType: string; attempt: number; at: number; inputCount: number; input: Item[]; iteration?: number }
  | { type: 'step.succeeded'; nodeId: string; attempt: number; at: number; durationMs: number; outputCounts: Record<string, number>; output: NodeOutput; iteration?: number; logs?: StepLogLine[] }
  | { type: 'step.failed'; nodeId: string; attempt: number; at: number; durationMs: number; error: SerializedError; willRetry: boolean; iteration?: number; logs?: StepLogLine[] }
  | { type: 'step.retrying'; nodeId: string; attempt: number; nextAttempt: number; delayMs: number; error: SerializedError }
  | { type: 'step.skipped'; nodeId: string; nodeName: string; at: number; attempt?: number; iteration?: number }
  | { type: 'step.progress'; nodeId: string; event: string; data: unknown }
  | { type: 'execution.finished'; status: ExecutionStatus; at: number; error?: SerializedError }

export interface StepState {
  nodeId: string
  status: StepStatus
  /** In a loop's body: every attempt of every iteration (skipped iterations count one). */
  attempts: number
  /** Loop nodes and their body: the iterations run (the body's last one is what its outputs hold). */
  iterations?: number
  outputCounts: Record<string, number>
  error?: SerializedError
  startedAt?: number
  finishedAt?: number
}

export interface RunResult {
  status: ExecutionStatus
  steps: Record<string, StepState>
  error?: SerializedError
}

/** Where step outputs live between steps. Pages keep memory bounded; the worker backs it with PostgreSQL. */
export interface ItemStore {
  append(nodeId: string, port: string, items: Item[]): Promise<void>
  pages(nodeId: string, port: string): AsyncIterable<Item[]>
  count(nodeId: string, port: string): Promise<number>
  /** Drop a step's partial output before it is retried. */
  clear(nodeId: string): Promise<void>
}

// ---------------------------------------------------------------------------------------------
// Running a workflow


export interface RunOptions<S extends object = any> {
  graph: WorkflowGraph
  registry: NodeRegistry<S>
  executionId: string
  workflowId: string
  tenantId: string
  /**
   * Items handed to the trigger node (its output). An async iterable of pages lets a huge input stream
   * into the store without ever being held in memory whole.
   */
  input: Item[] | AsyncIterable<Item[]>
  /** The trigger to start from; defaults to the graph's only trigger (or the first one). */
  triggerNodeId?: string
  /** `S` comes from the registry alone: the services must cover it. */
  services: ServicesFor<NoInfer<S>>
  getCredential(id: string): Promise<CredentialData>
  /** Awaited: when it returns, the event is durable (the worker writes step rows here). */
  onEvent?(event: EngineEvent): void | Promise<void>
  signal?: AbortSignal
  /** Max nodes running at once in this execution. Default 4. */
  concurrency?: number
  /** Items per page for batch nodes and the store. Default 1000. */
  pageSize?: number
  /** Defaults to an in-memory store. */
  store?: ItemStore
  /**
   * Steps settled in an earlier delivery of this execution (worker died, or "re-run from failed step"):
   * they are not run again; their outputs are read from `store`.
   */
  completed?: Record<string, { status: 'succeeded' | 'skipped'; outputCounts: Record<string, number> }>
  /** Hears every step's log lines besides the step record (a process log); the steps' own logs are always kept. */
  log?: Logger
  /** Spans per step attempt (see StepTracer); unset: no tracing, nothing called. */
  tracer?: StepTracer
  /** How many items of a step's input/output events carry (the rest stays in the store). Default pageSize. */
  previewItems?: number
  /** Source of backoff jitter in [0, 1). Default Math.random; tests pin it. */
  random?: () => number
  /** Per-run caps; missing fields take DEFAULT_RUN_LIMITS (lib/engine/limits.ts). */
  limits?: Partial<RunLimits>
  /** Items by node id that those nodes output instead of running (the graph's `pinData`). */
  pinData?: Record<string, Item[]>
  /** Whether `pinData` applies to this run. Only the designer's manual runs set it: production runs (webhooks,
   * schedules, events, brokers, the API) always run every node. Default false. */
  applyPinData?: boolean
}

/** Caps that stop a runaway run (a fan-in that multiplies items, a run that never ends) with a clear error. */
export interface RunLimits {
  /** Most items one step may output, all ports and pages together. */
  maxItemsPerStep: number
  /** Most iterations one loop node may run, whatever its own `maxIterations` says. */
  maxLoopIterations: number
  /** Longest a run may take from `startedAt`, in ms; 0 = no limit. */
  maxRunMs: number
  /** When the run began (ms since epoch): a run resumed by another delivery keeps its first start. Default now. */
  startedAt?: number
}
