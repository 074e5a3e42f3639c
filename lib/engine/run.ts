// runWorkflow: the scheduler. A node starts when every connected input has settled; independent branches
// run in parallel up to `concurrency`; branches not taken are skipped (rule in docs/engine.md).
// One WorkflowRun per run, and it is the steps' StepEnv (what they read comes from ./run-data.ts): its methods are shared through the prototype instead of a
// closure per helper and run (under tsx each named closure costs a defineProperty when it is made; see ./step.ts).
import { serializeError } from './errors'
import { EventQueue } from './event-queue'
import { DEFAULT_RUN_LIMITS, timeLimitError } from './limits'
import { runLoop, type LoopState } from './loop-runner'
import type { LoopShape } from './loops'
import { runPinned } from './pinned'
import { graphPlan, runPlan } from './plan'
import { RunData } from './run-data'
import { passThrough, runTrigger } from './run-steps'
import { runStep, type NodeRuntime, type StepEnv } from './step'
import { Semaphore, abortPromise, noopLogger } from './util'
import { NodeError, type CredentialData, type EngineEvent, type ExecutionStatus, type Item, type Logger, type NodeServices, type RunOptions, type RunResult, type SerializedError, type StepState, type StepTracer } from './types'

/** `S` is inferred from the registry: the services given must cover what its node types declare. */
export async function runWorkflow<S extends object>(opts: RunOptions<S>): Promise<RunResult> {
  return new WorkflowRun(opts as RunOptions).run()
}

export class WorkflowRun extends RunData implements StepEnv {
  readonly executionId: string
  readonly workflowId: string
  readonly tenantId: string
  readonly previewItems: number
  readonly maxItemsPerStep: number
  readonly services: NodeServices
  readonly log: Logger
  readonly forwardLog?: Logger
  readonly tracer?: StepTracer
  readonly random: () => number
  readonly runSignal: AbortSignal
  readonly runAborted: Promise<never>
  readonly runCtl = new AbortController()
  readonly limits: typeof DEFAULT_RUN_LIMITS & { startedAt?: number }

  private readonly events: EventQueue
  private readonly onOuterAbort?: () => void
  private limitTimer: ReturnType<typeof setTimeout> | undefined
  private triggerId = ''
  private bodyWaiting: ReadonlyMap<string, number> = new Map()
  private failure: { nodeId?: string; error: unknown } | undefined
  private readonly slots: Semaphore
  private outstanding = 0
  private allDone: () => void = noop

  constructor(opts: RunOptions) {
    super(opts)
    this.runSignal = this.runCtl.signal
    if (opts.signal) {
      this.onOuterAbort = () => this.runCtl.abort(opts.signal?.reason)
      opts.signal.addEventListener('abort', this.onOuterAbort, { once: true })
      if (opts.signal.aborted) this.onOuterAbort()
    }
    this.limits = { ...DEFAULT_RUN_LIMITS, ...opts.limits }
    this.events = new EventQueue(opts.onEvent, () => this.runCtl.abort(new NodeError('Recording a step event failed', { code: 'EVENT_HANDLER_FAILED' })))
    this.executionId = opts.executionId
    this.workflowId = opts.workflowId
    this.tenantId = opts.tenantId
    this.previewItems = opts.previewItems ?? this.pageSize
    this.maxItemsPerStep = this.limits.maxItemsPerStep
    this.services = opts.services
    this.log = opts.log ?? noopLogger
    this.forwardLog = opts.log
    this.tracer = opts.tracer
    this.random = opts.random ?? Math.random
    this.runAborted = abortPromise(this.runSignal)
    this.slots = new Semaphore(Math.max(1, opts.concurrency ?? 4))
  }

  async run(): Promise<RunResult> {
    const { opts } = this
    const plan = graphPlan(opts.graph, opts.registry)
    const { check } = plan
    if (!check.ok || !check.graph) {
      const message = `The workflow cannot run: ${check.problems.map((p) => p.message).join('; ')}`
      return this.finish('failed', {}, serializeError(new NodeError(message, { code: 'INVALID_GRAPH', details: check.problems })))
    }
    const found = runPlan(plan, opts.registry, opts.triggerNodeId)
    if (!found) {
      const message = opts.triggerNodeId ? `Trigger node "${opts.triggerNodeId}" is not a trigger of this workflow` : 'The workflow has no trigger node'
      return this.finish('failed', {}, serializeError(new NodeError(message, { code: 'NO_TRIGGER' })))
    }
    this.nodesByName = plan.nodesByName!
    this.triggerId = found.trigger.id
    const { wiring } = found
    this.loops = wiring.loops
    this.loopOf = wiring.loopOf
    this.bodyWaiting = wiring.bodyWaiting
    for (const p of wiring.nodes) {
      const { node } = p
      const state: StepState = { nodeId: node.id, status: 'pending', attempts: 0, outputCounts: {} }
      this.runtimes.set(node.id, { node, def: p.def, settings: p.settings, inEdges: p.inEdges, outEdges: p.outEdges, waiting: p.waiting, state, plan: p })
    }
    for (const id of this.loops.keys()) this.loopStates.set(id, { inFlight: 0 })

    if (this.runSignal.aborted) return this.finish('canceled', this.steps())
    const { maxRunMs } = this.limits
    if (maxRunMs > 0) {
      const left = (this.limits.startedAt ?? Date.now()) + maxRunMs - Date.now()
      this.limitTimer = setTimeout(() => {
        const error = timeLimitError(maxRunMs)
        this.failure ??= { error }
        this.runCtl.abort(error)
      }, Math.max(0, left))
    }
    const done = new Promise<void>((resolve) => (this.allDone = resolve))
    this.schedule(this.runtimes.get(this.triggerId)!)
    await done

    if (this.failure) return this.finish('failed', this.steps(), serializeError(this.failure.error, this.failure.nodeId))
    const unsettled = [...this.runtimes.values()].filter((rt) => rt.state.status !== 'succeeded' && rt.state.status !== 'skipped')
    if (unsettled.length === 0) return this.finish('succeeded', this.steps())
    if (this.runSignal.aborted) {
      for (const rt of unsettled) if (rt.state.status === 'running') rt.state = { ...rt.state, status: 'canceled', finishedAt: Date.now() }
      return this.finish('canceled', this.steps())
    }
    const names = unsettled.map((rt) => `"${rt.node.name}"`).join(', ')
    return this.finish('failed', this.steps(), serializeError(new NodeError(`The run stopped with steps that never became ready: ${names}`, { code: 'STALLED' })))
  }

  // ---- StepEnv

  emit(event: EngineEvent): Promise<void> {
    return this.events.emit(event)
  }

  getCredential(id: string): Promise<CredentialData> {
    return this.opts.getCredential(id)
  }

  // ---- scheduling

  private steps(): Record<string, StepState> {
    return Object.fromEntries([...this.runtimes.values()].map((rt) => [rt.node.id, rt.state]))
  }

  private stopping(): boolean {
    return this.runSignal.aborted || this.failure !== undefined
  }

  /** Loop nodes and their bodies run per iteration: pinning them is not supported, they always run. */
  private pinnedItems(id: string): Item[] | undefined {
    return this.opts.applyPinData && !this.loops.has(id) && !this.loopOf.has(id) ? this.opts.pinData?.[id] : undefined
  }

  private settle(rt: NodeRuntime): void {
    for (const id of rt.plan.releases) {
      const target = this.runtimes.get(id)!
      if (--target.waiting === 0) this.schedule(target)
    }
  }

  private schedule(rt: NodeRuntime): void {
    this.outstanding++
    const inLoop = this.loopOf.get(rt.node.id)
    const loopState = inLoop && this.loopStates.get(inLoop.nodeId)!
    if (loopState) loopState.inFlight++
    this.processNode(rt).then(
      () => this.stepDone(loopState),
      (error: unknown) => {
        try {
          this.stepCrashed(rt, error)
        } finally {
          this.stepDone(loopState)
        }
      },
    )
  }

  private stepDone(loopState: LoopState | undefined): void {
    if (loopState && --loopState.inFlight === 0) loopState.idle?.()
    if (--this.outstanding === 0) this.allDone()
  }

  /** Errors outside a node's own attempt (the store, the trigger input): the step and the run fail. */
  private stepCrashed(rt: NodeRuntime, error: unknown): void {
    const canceled = this.runSignal.aborted
    if (!canceled) this.failure ??= { nodeId: rt.node.id, error }
    if (rt.state.status === 'running' || rt.state.status === 'pending') {
      const serialized = serializeError(canceled ? new NodeError('The execution was canceled', { code: 'CANCELED' }) : error, rt.node.id)
      const wasRunning = rt.state.status === 'running'
      rt.state = { ...rt.state, status: canceled ? 'canceled' : 'failed', finishedAt: Date.now(), error: serialized }
      if (wasRunning) {
        const at = Date.now()
        void this.emit({ type: 'step.failed', nodeId: rt.node.id, attempt: rt.state.attempts, at, durationMs: at - (rt.state.startedAt ?? at), error: serialized, willRetry: false })
      }
    }
  }

  /** One iteration: the body starts over with `batch` on the loop port; true when every body step settled. */
  private async runIteration(loop: LoopShape, batch: Item[], iteration: number): Promise<boolean> {
    const loopRt = this.runtimes.get(loop.nodeId)!
    const state = this.loopStates.get(loop.nodeId)!
    state.batch = batch
    loopRt.state = { ...loopRt.state, outputCounts: { [loop.bodyPort]: batch.length }, iterations: iteration }
    for (const id of loop.body) {
      const rt = this.runtimes.get(id)!
      rt.state = { nodeId: id, status: 'pending', attempts: rt.state.attempts, outputCounts: {}, iterations: iteration }
      rt.waiting = this.bodyWaiting.get(id) ?? 0
      rt.iteration = iteration
      this.forgetFirstPage(id)
    }
    const idle = new Promise<void>((resolve) => (state.idle = resolve))
    for (const e of loopRt.outEdges) {
      if (e.sourcePort !== loop.bodyPort) continue
      const target = this.runtimes.get(e.target)!
      if (--target.waiting === 0) this.schedule(target)
    }
    if (state.inFlight > 0) await idle
    state.idle = undefined
    return !this.stopping() && [...loop.body].every((id) => isSettled(this.runtimes.get(id)!.state.status))
  }

  /** A loop that runs no iteration (no input, skipped, disabled): its body is skipped with it. */
  private async skipBody(loop: LoopShape): Promise<void> {
    for (const id of loop.body) {
      const rt = this.runtimes.get(id)!
      rt.state = { ...rt.state, status: 'skipped', finishedAt: Date.now() }
      await this.emit({ type: 'step.skipped', nodeId: id, nodeName: rt.node.name, at: Date.now() })
    }
  }

  private async processNode(rt: NodeRuntime): Promise<void> {
    await null // keeps long chains of resumed or skipped nodes off the call stack
    const { opts } = this
    const id = rt.node.id
    // A loop that was not finished starts over, body and all (docs/engine.md, "Loops").
    const completed = this.loopOf.has(id) ? undefined : opts.completed?.[id]
    if (completed) {
      rt.state = { nodeId: id, status: completed.status, attempts: 0, outputCounts: { ...completed.outputCounts } }
      for (const bodyId of this.loops.get(id)?.body ?? []) {
        const done = opts.completed?.[bodyId]
        this.runtimes.get(bodyId)!.state = { nodeId: bodyId, status: done?.status ?? 'skipped', attempts: 0, outputCounts: { ...done?.outputCounts } }
      }
      if (id === this.triggerId) this.triggerFirst = (await this.firstPage(id))[0]
      this.settle(rt)
      return
    }
    if (this.stopping()) return
    if (id === this.triggerId) {
      const pinned = this.pinnedItems(id)
      if (pinned) {
        await runPinned(rt, this, pinned)
        this.triggerFirst = pinned[0]
      } else await runTrigger(this, rt, opts.input)
      this.settle(rt)
      return
    }
    const loop = this.loops.get(id)
    if (this.branchNotTaken(rt)) {
      // A body step skipped in a later iteration: its attempt number goes on, its earlier output is dropped.
      const attempt = rt.iteration === undefined ? undefined : rt.state.attempts + 1
      if (attempt !== undefined && rt.state.attempts > 0) await this.store.clear(id)
      rt.state = { ...rt.state, status: 'skipped', finishedAt: Date.now(), ...(attempt !== undefined && { attempts: attempt }) }
      await this.emit({ type: 'step.skipped', nodeId: id, nodeName: rt.node.name, at: Date.now(), ...(attempt !== undefined && { attempt }), ...(rt.iteration !== undefined && { iteration: rt.iteration }) })
      if (loop) await this.skipBody(loop)
      this.settle(rt)
      return
    }
    if (loop && !rt.settings.disabled) {
      // The loop node holds no slot while its body runs (the body needs them).
      const run = this
      const outcome = await runLoop(rt, loop, {
        env: this,
        state: this.loopStates.get(id)!,
        maxLoopIterations: this.limits.maxLoopIterations,
        runIteration(l, batch, iteration) {
          return run.runIteration(l, batch, iteration)
        },
        skipBody(l) {
          return run.skipBody(l)
        },
      })
      if (outcome.status === 'failed') this.failure ??= { nodeId: id, error: outcome.error }
      if (outcome.status === 'succeeded') this.settle(rt)
      return
    }
    if (!this.slots.tryAcquire()) await this.slots.acquire()
    try {
      if (this.stopping()) return
      if (rt.settings.disabled) {
        await passThrough(this, rt)
        if (loop) await this.skipBody(loop)
      } else if (this.pinnedItems(id)) {
        await runPinned(rt, this, this.pinnedItems(id)!)
      } else {
        const outcome = await runStep(rt, this)
        if (outcome.status === 'failed') this.failure ??= { nodeId: id, error: outcome.error }
        if (outcome.status !== 'succeeded') return
      }
      this.settle(rt)
    } finally {
      this.slots.release()
    }
  }

  /** Skipped: no connected input delivered an item, and at least one of them is dead (its source was
   * skipped, or routed its items to other ports). Zero items from a live source still run the node. */
  private branchNotTaken(rt: NodeRuntime): boolean {
    let dead = false
    for (const e of rt.inEdges) {
      const source = this.runtimes.get(e.source)!
      const counts = source.state.outputCounts
      if ((counts[e.sourcePort] ?? 0) > 0) return false
      if (source.state.status === 'skipped' || Object.values(counts).some((n) => n > 0)) dead = true
    }
    return dead
  }

  private async finish(status: ExecutionStatus, steps: Record<string, StepState>, error?: SerializedError): Promise<RunResult> {
    clearTimeout(this.limitTimer)
    await this.events.drained()
    if (this.events.error !== undefined) {
      const cause = this.events.error
      status = 'failed'
      error = serializeError(new NodeError(`Recording a step event failed: ${cause instanceof Error ? cause.message : String(cause)}`, { code: 'EVENT_HANDLER_FAILED' }))
    }
    await this.emit({ type: 'execution.finished', status, at: Date.now(), ...(error && { error }) })
    this.events.close()
    if (this.onOuterAbort) this.opts.signal?.removeEventListener('abort', this.onOuterAbort)
    return { status, steps, ...(error && { error }) }
  }
}

const isSettled = (status: StepState['status']) => status === 'succeeded' || status === 'skipped'

function noop(): void {}
