// runWorkflow: the scheduler. A node starts when every connected input has settled; independent branches
// run in parallel up to `concurrency`; branches not taken are skipped (rule in docs/engine.md).
import { MAIN_PORT, type GraphNode } from './graph-schema'
import { serializeError } from './errors'
import type { ExpressionData, NodeOutputRef } from './expressions'
import { MemoryItemStore } from './memory-store'
import { inputPortNames } from './ports'
import { DEFAULT_RUN_LIMITS, itemLimitError, timeLimitError } from './limits'
import { runLoop, type LoopState } from './loop-runner'
import type { LoopShape } from './loops'
import { runPinned } from './pinned'
import { iterationOf, runStep, type NodeRuntime, type StepEnv } from './step'
import { Semaphore, abortPromise, noopLogger, pagesOf, rechunk } from './util'
import { validateGraph } from './validate'
import { wireRun } from './wiring'
import { NodeError, type EngineEvent, type ExecutionStatus, type Item, type NodeRegistry, type RunOptions, type RunResult, type SerializedError, type StepState } from './types'

/** Structural checks of frozen graphs (hosts freeze the immutable versions they cache) are kept per registry. */
const checked = new WeakMap<object, WeakMap<NodeRegistry, ReturnType<typeof validateGraph>>>()

function structuralCheck(graph: RunOptions['graph'], registry: NodeRegistry): ReturnType<typeof validateGraph> {
  const cacheable = typeof graph === 'object' && graph !== null && Object.isFrozen(graph)
  const hit = cacheable ? checked.get(graph)?.get(registry) : undefined
  if (hit) return hit
  const result = validateGraph(graph, registry, { params: false, parsed: true })
  if (cacheable) {
    let byRegistry = checked.get(graph)
    if (!byRegistry) checked.set(graph, (byRegistry = new WeakMap()))
    byRegistry.set(registry, result)
  }
  return result
}

/** `S` is inferred from the registry: the services given must cover what its node types declare. */
export async function runWorkflow<S extends object>(opts: RunOptions<S>): Promise<RunResult> {
  const store = opts.store ?? new MemoryItemStore()
  const pageSize = Math.max(1, opts.pageSize ?? 1000)
  const runCtl = new AbortController()
  const onOuterAbort = () => runCtl.abort(opts.signal?.reason)
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true })
  if (opts.signal?.aborted) onOuterAbort()

  const limits = { ...DEFAULT_RUN_LIMITS, ...opts.limits }
  let limitTimer: ReturnType<typeof setTimeout> | undefined
  let eventChain: Promise<void> = Promise.resolve()
  let eventError: unknown
  let finished = false
  const emit = (event: EngineEvent): Promise<void> => {
    // A node that calls ctx.emit after the run ended must not produce events after execution.finished.
    if (finished) return eventChain
    eventChain = eventChain
      .then(() => (eventError === undefined ? opts.onEvent?.(event) : undefined))
      .catch((err) => {
        eventError ??= err
        runCtl.abort(new NodeError('Recording a step event failed', { code: 'EVENT_HANDLER_FAILED' }))
      })
    return eventChain
  }
  const finish = async (status: ExecutionStatus, steps: Record<string, StepState>, error?: SerializedError): Promise<RunResult> => {
    clearTimeout(limitTimer)
    await eventChain
    if (eventError !== undefined) {
      status = 'failed'
      error = serializeError(new NodeError(`Recording a step event failed: ${eventError instanceof Error ? eventError.message : String(eventError)}`, { code: 'EVENT_HANDLER_FAILED' }))
    }
    await emit({ type: 'execution.finished', status, at: Date.now(), ...(error && { error }) })
    finished = true
    opts.signal?.removeEventListener('abort', onOuterAbort)
    return { status, steps, ...(error && { error }) }
  }

  const check = structuralCheck(opts.graph, opts.registry)
  if (!check.ok || !check.graph) {
    const message = `The workflow cannot run: ${check.problems.map((p) => p.message).join('; ')}`
    return finish('failed', {}, serializeError(new NodeError(message, { code: 'INVALID_GRAPH', details: check.problems })))
  }
  const graph = check.graph
  const nodesByName = new Map(graph.nodes.map((n) => [n.name, n]))
  const triggerNode = pickTrigger(opts, graph.nodes)
  if (!triggerNode) {
    const message = opts.triggerNodeId ? `Trigger node "${opts.triggerNodeId}" is not a trigger of this workflow` : 'The workflow has no trigger node'
    return finish('failed', {}, serializeError(new NodeError(message, { code: 'NO_TRIGGER' })))
  }

  const { runtimes, loops, loopOf, bodyWaiting, waitsOn } = wireRun(graph, opts.registry, triggerNode)
  const loopStates = new Map<string, LoopState>([...loops.keys()].map((id) => [id, { inFlight: 0 }]))
  // Loop nodes and their bodies run per iteration: pinning them is not supported, they always run.
  const pinnedItems = (id: string): Item[] | undefined => (opts.applyPinData && !loops.has(id) && !loopOf.has(id) ? opts.pinData?.[id] : undefined)
  const steps = (): Record<string, StepState> => Object.fromEntries([...runtimes.values()].map((rt) => [rt.node.id, rt.state]))

  let triggerFirst: Item | undefined
  const firstPages = new Map<string, Promise<Item[]>>()
  const firstPage = (nodeId: string): Promise<Item[]> => {
    let page = firstPages.get(nodeId)
    if (!page) {
      page = (async () => {
        for await (const p of store.pages(nodeId, loops.get(nodeId)?.donePort ?? MAIN_PORT)) return p
        return []
      })()
      firstPages.set(nodeId, page)
    }
    return page
  }
  const nodeOutput = async (name: string): Promise<NodeOutputRef> => {
    const node = nodesByName.get(name)
    if (!node) throw new NodeError(`Expression references node "${name}", which is not in this workflow`, { code: 'EXPRESSION_UNKNOWN_NODE' })
    // A loop node seen from its body: the current batch.
    const batch = loopStates.get(node.id)?.batch
    if (batch) return { json: batch[0], items: batch.slice(0, pageSize) }
    const rt = runtimes.get(node.id)
    if (!rt || rt.state.status !== 'succeeded') {
      throw new NodeError(`Expression references node "${name}", which has not run before this step`, { code: 'EXPRESSION_NODE_NOT_RUN' })
    }
    const items = await firstPage(node.id)
    return { json: items[0], items }
  }
  const execution = { id: opts.executionId, workflowId: opts.workflowId }
  const expressionData = (item: Item | undefined, itemIndex: number, inputItems: Item[]): ExpressionData => ({
    item: item ?? triggerFirst,
    itemIndex,
    inputItems: () => inputItems,
    trigger: async () => triggerFirst,
    nodeOutput,
    allNodeOutputs: async () => {
      // Node names are user text: entries (not `all[name] =`) keep a node called "__proto__" an ordinary key.
      const all: [string, NodeOutputRef][] = []
      for (const rt of runtimes.values()) if (rt.state.status === 'succeeded') all.push([rt.node.name, await nodeOutput(rt.node.name)])
      return Object.fromEntries(all)
    },
    execution,
    sandbox: opts.services.sandbox,
  })

  const env: StepEnv = {
    executionId: opts.executionId,
    workflowId: opts.workflowId,
    tenantId: opts.tenantId,
    store,
    pageSize,
    previewItems: opts.previewItems ?? pageSize,
    maxItemsPerStep: limits.maxItemsPerStep,
    services: opts.services,
    log: opts.log ?? noopLogger,
    forwardLog: opts.log,
    tracer: opts.tracer,
    random: opts.random ?? Math.random,
    runSignal: runCtl.signal,
    runAborted: abortPromise(runCtl.signal),
    getCredential: (id) => opts.getCredential(id),
    emit,
    expressionData,
    inputPages: (rt, port) => inputPages(rt, port),
    inputCount: (rt, port) => {
      let n = 0
      for (const e of rt.inEdges) if (e.targetPort === port) n += runtimes.get(e.source)!.state.outputCounts[e.sourcePort] ?? 0
      return n
    },
  }
  async function* inputPages(rt: NodeRuntime, port: string): AsyncGenerator<Item[]> {
    for (const e of rt.inEdges) {
      if (e.targetPort !== port) continue
      // A loop's current batch is held by the loop (one batch), not stored.
      const batch = loops.get(e.source)?.bodyPort === e.sourcePort ? loopStates.get(e.source)!.batch : undefined
      if (batch) yield* pagesOf(batch, pageSize)
      else yield* store.pages(e.source, e.sourcePort)
    }
  }

  let failure: { nodeId?: string; error: unknown } | undefined
  const stopping = () => runCtl.signal.aborted || failure !== undefined
  const slots = new Semaphore(Math.max(1, opts.concurrency ?? 4))
  let outstanding = 0
  let allDone!: () => void
  const done = new Promise<void>((resolve) => (allDone = resolve))

  const settle = (rt: NodeRuntime) => {
    const bodyPort = loops.get(rt.node.id)?.bodyPort
    for (const e of rt.outEdges) {
      if (e.sourcePort === bodyPort) continue
      const target = waitsOn(e) ?? (loopOf.has(e.target) ? runtimes.get(e.target)! : undefined)
      if (target && --target.waiting === 0) schedule(target)
    }
  }
  const schedule = (rt: NodeRuntime) => {
    outstanding++
    const inLoop = loopOf.get(rt.node.id)
    const loopState = inLoop && loopStates.get(inLoop.nodeId)!
    if (loopState) loopState.inFlight++
    processNode(rt)
      .catch((error) => {
        // Errors outside a node's own attempt (the store, the trigger input): the step and the run fail.
        const canceled = runCtl.signal.aborted
        if (!canceled) failure ??= { nodeId: rt.node.id, error }
        if (rt.state.status === 'running' || rt.state.status === 'pending') {
          const serialized = serializeError(canceled ? new NodeError('The execution was canceled', { code: 'CANCELED' }) : error, rt.node.id)
          const wasRunning = rt.state.status === 'running'
          rt.state = { ...rt.state, status: canceled ? 'canceled' : 'failed', finishedAt: Date.now(), error: serialized }
          if (wasRunning) {
            const at = Date.now()
            void emit({ type: 'step.failed', nodeId: rt.node.id, attempt: rt.state.attempts, at, durationMs: at - (rt.state.startedAt ?? at), error: serialized, willRetry: false })
          }
        }
      })
      .finally(() => {
        if (loopState && --loopState.inFlight === 0) loopState.idle?.()
        if (--outstanding === 0) allDone()
      })
  }

  /** One iteration: the body starts over with `batch` on the loop port; true when every body step settled. */
  async function runIteration(loop: LoopShape, batch: Item[], iteration: number): Promise<boolean> {
    const loopRt = runtimes.get(loop.nodeId)!
    const state = loopStates.get(loop.nodeId)!
    state.batch = batch
    loopRt.state = { ...loopRt.state, outputCounts: { [loop.bodyPort]: batch.length }, iterations: iteration }
    for (const id of loop.body) {
      const rt = runtimes.get(id)!
      rt.state = { nodeId: id, status: 'pending', attempts: rt.state.attempts, outputCounts: {}, iterations: iteration }
      rt.waiting = bodyWaiting.get(id) ?? 0
      rt.iteration = iteration
      firstPages.delete(id)
    }
    const idle = new Promise<void>((resolve) => (state.idle = resolve))
    for (const e of loopRt.outEdges) {
      if (e.sourcePort !== loop.bodyPort) continue
      const target = runtimes.get(e.target)!
      if (--target.waiting === 0) schedule(target)
    }
    if (state.inFlight > 0) await idle
    state.idle = undefined
    return !stopping() && [...loop.body].every((id) => isSettled(runtimes.get(id)!.state.status))
  }

  /** A loop that runs no iteration (no input, skipped, disabled): its body is skipped with it. */
  async function skipBody(loop: LoopShape): Promise<void> {
    for (const id of loop.body) {
      const rt = runtimes.get(id)!
      rt.state = { ...rt.state, status: 'skipped', finishedAt: Date.now() }
      await emit({ type: 'step.skipped', nodeId: id, nodeName: rt.node.name, at: Date.now() })
    }
  }

  async function processNode(rt: NodeRuntime): Promise<void> {
    await null // keeps long chains of resumed or skipped nodes off the call stack
    const id = rt.node.id
    // A loop that was not finished starts over, body and all (docs/engine.md, "Loops").
    const completed = loopOf.has(id) ? undefined : opts.completed?.[id]
    if (completed) {
      rt.state = { nodeId: id, status: completed.status, attempts: 0, outputCounts: { ...completed.outputCounts } }
      for (const bodyId of loops.get(id)?.body ?? []) {
        const done = opts.completed?.[bodyId]
        runtimes.get(bodyId)!.state = { nodeId: bodyId, status: done?.status ?? 'skipped', attempts: 0, outputCounts: { ...done?.outputCounts } }
      }
      if (rt.node.id === triggerNode!.id) triggerFirst = (await firstPage(id))[0]
      settle(rt)
      return
    }
    if (stopping()) return
    if (rt.node.id === triggerNode!.id) {
      const pinned = pinnedItems(id)
      if (pinned) {
        await runPinned(rt, env, pinned)
        triggerFirst = pinned[0]
      } else await runTrigger(rt)
      settle(rt)
      return
    }
    const loop = loops.get(id)
    if (branchNotTaken(rt)) {
      // A body step skipped in a later iteration: its attempt number goes on, its earlier output is dropped.
      const attempt = rt.iteration === undefined ? undefined : rt.state.attempts + 1
      if (attempt !== undefined && rt.state.attempts > 0) await store.clear(id)
      rt.state = { ...rt.state, status: 'skipped', finishedAt: Date.now(), ...(attempt !== undefined && { attempts: attempt }) }
      await emit({ type: 'step.skipped', nodeId: id, nodeName: rt.node.name, at: Date.now(), ...(attempt !== undefined && { attempt }), ...iterationOf(rt) })
      if (loop) await skipBody(loop)
      settle(rt)
      return
    }
    if (loop && !rt.settings.disabled) {
      // The loop node holds no slot while its body runs (the body needs them).
      const outcome = await runLoop(rt, loop, { env, state: loopStates.get(id)!, maxLoopIterations: limits.maxLoopIterations, runIteration, skipBody })
      if (outcome.status === 'failed') failure ??= { nodeId: id, error: outcome.error }
      if (outcome.status === 'succeeded') settle(rt)
      return
    }
    await slots.acquire()
    try {
      if (stopping()) return
      if (rt.settings.disabled) {
        await passThrough(rt)
        if (loop) await skipBody(loop)
      } else if (pinnedItems(id)) {
        await runPinned(rt, env, pinnedItems(id)!)
      } else {
        const outcome = await runStep(rt, env)
        if (outcome.status === 'failed') failure ??= { nodeId: id, error: outcome.error }
        if (outcome.status !== 'succeeded') return
      }
      settle(rt)
    } finally {
      slots.release()
    }
  }

  /** Skipped: no connected input delivered an item, and at least one of them is dead (its source was
   * skipped, or routed its items to other ports). Zero items from a live source still run the node. */
  function branchNotTaken(rt: NodeRuntime): boolean {
    let dead = false
    for (const e of rt.inEdges) {
      const source = runtimes.get(e.source)!
      const counts = source.state.outputCounts
      if ((counts[e.sourcePort] ?? 0) > 0) return false
      if (source.state.status === 'skipped' || Object.values(counts).some((n) => n > 0)) dead = true
    }
    return dead
  }

  async function runTrigger(rt: NodeRuntime): Promise<void> {
    const id = rt.node.id
    const at = Date.now()
    await store.clear(id)
    rt.state = { ...rt.state, status: 'running', attempts: 1, startedAt: at }
    await emit({ type: 'step.started', nodeId: id, nodeName: rt.node.name, nodeType: rt.node.type, attempt: 1, at, inputCount: 0, input: [] })
    let count = 0
    const preview: Item[] = []
    for await (const page of rechunk(Array.isArray(opts.input) ? [opts.input] : opts.input, pageSize)) {
      if (runCtl.signal.aborted) throw runCtl.signal.reason
      if (count + page.length > limits.maxItemsPerStep) throw itemLimitError(rt.node.name, limits.maxItemsPerStep)
      await store.append(id, MAIN_PORT, page)
      if (count === 0) triggerFirst = page[0]
      count += page.length
      if (preview.length < env.previewItems) preview.push(...page.slice(0, env.previewItems - preview.length))
    }
    rt.state = { ...rt.state, status: 'succeeded', finishedAt: Date.now(), outputCounts: { [MAIN_PORT]: count } }
    await emit({ type: 'step.succeeded', nodeId: id, attempt: 1, at: Date.now(), durationMs: Date.now() - at, outputCounts: { [MAIN_PORT]: count }, output: { [MAIN_PORT]: preview } })
  }

  /** A disabled node hands the items of its first input on, unchanged (a loop node: to its done port). */
  async function passThrough(rt: NodeRuntime): Promise<void> {
    const id = rt.node.id
    const at = Date.now()
    const attempt = rt.state.attempts + 1
    const out = rt.def.loop?.donePort ?? MAIN_PORT
    const tag = iterationOf(rt)
    await store.clear(id)
    rt.state = { ...rt.state, status: 'running', attempts: attempt, startedAt: at }
    const port = inputPortNames(rt.def)[0]
    let count = 0
    const preview: Item[] = []
    let started = false
    for await (const page of port ? inputPages(rt, port) : []) {
      if (!started) await emit({ type: 'step.started', nodeId: id, nodeName: rt.node.name, nodeType: rt.node.type, attempt, at, inputCount: env.inputCount(rt, port!), input: page.slice(0, env.previewItems), ...tag })
      started = true
      if (count + page.length > limits.maxItemsPerStep) throw itemLimitError(rt.node.name, limits.maxItemsPerStep)
      await store.append(id, out, page)
      count += page.length
      if (preview.length < env.previewItems) preview.push(...page.slice(0, env.previewItems - preview.length))
    }
    if (!started) await emit({ type: 'step.started', nodeId: id, nodeName: rt.node.name, nodeType: rt.node.type, attempt, at, inputCount: 0, input: [], ...tag })
    rt.state = { ...rt.state, status: 'succeeded', finishedAt: Date.now(), outputCounts: { [out]: count } }
    await emit({ type: 'step.succeeded', nodeId: id, attempt, at: Date.now(), durationMs: Date.now() - at, outputCounts: { [out]: count }, output: { [out]: preview }, ...tag })
  }

  if (runCtl.signal.aborted) return finish('canceled', steps())
  if (limits.maxRunMs > 0) {
    const left = (limits.startedAt ?? Date.now()) + limits.maxRunMs - Date.now()
    limitTimer = setTimeout(() => {
      const error = timeLimitError(limits.maxRunMs)
      failure ??= { error }
      runCtl.abort(error)
    }, Math.max(0, left))
  }
  schedule(runtimes.get(triggerNode.id)!)
  await done

  if (failure) return finish('failed', steps(), serializeError(failure.error, failure.nodeId))
  const unsettled = [...runtimes.values()].filter((rt) => rt.state.status !== 'succeeded' && rt.state.status !== 'skipped')
  if (unsettled.length === 0) return finish('succeeded', steps())
  if (runCtl.signal.aborted) {
    for (const rt of unsettled) if (rt.state.status === 'running') rt.state = { ...rt.state, status: 'canceled', finishedAt: Date.now() }
    return finish('canceled', steps())
  }
  const names = unsettled.map((rt) => `"${rt.node.name}"`).join(', ')
  return finish('failed', steps(), serializeError(new NodeError(`The run stopped with steps that never became ready: ${names}`, { code: 'STALLED' })))
}

const isSettled = (status: StepState['status']) => status === 'succeeded' || status === 'skipped'

function pickTrigger(opts: RunOptions, nodes: GraphNode[]): GraphNode | undefined {
  const isTrigger = (n: GraphNode) => Boolean(opts.registry.get(n.type)?.trigger)
  if (opts.triggerNodeId) {
    const n = nodes.find((x) => x.id === opts.triggerNodeId)
    return n && isTrigger(n) ? n : undefined
  }
  return nodes.find(isTrigger)
}
