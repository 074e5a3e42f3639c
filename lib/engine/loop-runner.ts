// One loop node's run (Loop Over Items): its input is read page by page and handed to the body one batch at a time;
// after each iteration, what the body sent back into the loop node is appended to its done port, which its
// successors read once the input is exhausted. The scheduler (run.ts) runs each iteration's body steps.
import { MAIN_PORT } from './graph-schema'
import { serializeError } from './errors'
import { isRunLimit, itemLimitError, loopLimitError } from './limits'
import type { LoopShape } from './loops'
import { inputPortNames } from './ports'
import { CANCELED, buildContext, type NodeRuntime, type StepEnv, type StepOutcome } from './step'
import { rechunk } from './util'
import { NodeError, type Item } from './types'

/** What the scheduler keeps per loop node while it runs. */
export interface LoopState {
  /** The current batch (what the loop port carries), while an iteration runs. */
  batch?: Item[]
  /** Body steps scheduled and not yet finished in this iteration. */
  inFlight: number
  /** Called when `inFlight` drops to zero. */
  idle?: () => void
}

export interface LoopHost {
  env: StepEnv
  state: LoopState
  maxLoopIterations: number
  /** Runs the body once with `batch` on the loop port; true when every body step settled. */
  runIteration(loop: LoopShape, batch: Item[], iteration: number): Promise<boolean>
  skipBody(loop: LoopShape): Promise<void>
}

export const LOOP_BODY_FAILED = 'LOOP_BODY_FAILED'

export async function runLoop(rt: NodeRuntime, loop: LoopShape, host: LoopHost): Promise<StepOutcome> {
  const { env } = host
  const { node } = rt
  const port = inputPortNames(rt.def)[0] ?? MAIN_PORT
  const total = env.inputCount(rt, port)
  const attempt = rt.state.attempts + 1
  const started = Date.now()
  let iteration = 0
  await env.store.clear(node.id)
  rt.state = { ...rt.state, status: 'running', attempts: attempt, startedAt: started, outputCounts: {} }
  const pages = env.inputPages(rt, port)[Symbol.asyncIterator]()
  try {
    const first = await pages.next()
    const firstPage = first.done ? [] : first.value
    await env.emit({ type: 'step.started', nodeId: node.id, nodeName: node.name, nodeType: node.type, attempt, at: started, inputCount: total, input: firstPage.slice(0, env.previewItems) })
    const { execute } = await rt.def.load()
    const pageState = new Map<string, unknown>()
    const context = (items: Item[], offset: number) =>
      buildContext(rt, env, { attempt: 1, signal: env.runSignal, out: noWrites, firstPort: port, inputs: { [port]: items }, counts: { [port]: total } }, { offset, count: total, pageState })
    // Params are resolved against the first item, once: the batch size must be known before the first batch.
    const plan = rt.def.loop!.plan((await context(firstPage, 0)).params)
    const needed = Math.ceil(total / plan.batchSize)
    const cap = Math.min(plan.maxIterations, host.maxLoopIterations)
    if (needed > cap) throw loopLimitError(node.name, { items: total, batchSize: plan.batchSize, iterations: needed }, { limit: cap, host: host.maxLoopIterations < plan.maxIterations })

    const done: Returned = { count: 0, preview: [], buffer: [] }
    let offset = 0
    for await (const chunk of rechunk(withFirst(firstPage, pages), plan.batchSize)) {
      iteration++
      const output = await execute(await context(chunk, offset))
      offset += chunk.length
      const batch = output?.[loop.bodyPort]
      if (!Array.isArray(batch)) throw new NodeError(`Output "${loop.bodyPort}" must be an array of items`, { code: 'INVALID_OUTPUT' })
      const settled = await host.runIteration(loop, batch, iteration)
      host.state.batch = undefined
      if (env.runSignal.aborted) throw env.runSignal.reason
      if (!settled) {
        throw new NodeError(`Iteration ${iteration} of loop "${node.name}" did not finish: a step in its body failed`, { code: LOOP_BODY_FAILED, details: { iteration } })
      }
      await collectReturned(rt, loop, env, done)
    }
    if (done.buffer.length > 0) await env.store.append(node.id, loop.donePort, done.buffer)
    if (iteration === 0) await host.skipBody(loop)
    const outputCounts = { [loop.donePort]: done.count }
    rt.state = { ...rt.state, status: 'succeeded', finishedAt: Date.now(), outputCounts, iterations: iteration }
    await env.emit({ type: 'step.succeeded', nodeId: node.id, attempt, at: Date.now(), durationMs: Date.now() - started, outputCounts, output: { [loop.donePort]: done.preview }, iteration })
    return { status: 'succeeded' }
  } catch (err) {
    host.state.batch = undefined
    await pages.return?.(undefined)
    const canceled = env.runSignal.aborted && !isRunLimit(env.runSignal.reason)
    const cause = env.runSignal.aborted ? (canceled ? new NodeError('The execution was canceled', { code: CANCELED }) : env.runSignal.reason) : err
    const error = serializeError(cause, node.id)
    rt.state = { ...rt.state, status: canceled ? 'canceled' : 'failed', finishedAt: Date.now(), error, iterations: iteration }
    await env.emit({ type: 'step.failed', nodeId: node.id, attempt, at: Date.now(), durationMs: Date.now() - started, error, willRetry: false, iteration })
    return canceled ? { status: 'canceled' } : { status: 'failed', error: cause }
  }
}

interface Returned {
  count: number
  preview: Item[]
  /** Returned items not stored yet: the done port is written in whole pages (at most one page waits here). */
  buffer: Item[]
}

/** A loop node returns its batch; it has nowhere to write items ahead of it. */
const noWrites = {
  write: async (): Promise<void> => {
    throw new NodeError('A loop node hands its batch on by returning it; ctx.write is not available', { code: 'INVALID_OUTPUT' })
  },
}

/** What the body handed back in this iteration (back edges in graph order) goes to the done port. */
async function collectReturned(rt: NodeRuntime, loop: LoopShape, env: StepEnv, done: Returned): Promise<void> {
  for (const e of loop.backEdges) {
    for await (const page of env.store.pages(e.source, e.sourcePort)) {
      if (done.count + page.length > env.maxItemsPerStep) throw itemLimitError(rt.node.name, env.maxItemsPerStep)
      done.count += page.length
      if (done.preview.length < env.previewItems) done.preview.push(...page.slice(0, env.previewItems - done.preview.length))
      for (const item of page) {
        done.buffer.push(item)
        if (done.buffer.length < env.pageSize) continue
        await env.store.append(rt.node.id, loop.donePort, done.buffer)
        done.buffer = []
      }
    }
  }
}

/** The input pages again, the first one (already read to resolve params) included. */
async function* withFirst(first: Item[], rest: AsyncIterator<Item[]>): AsyncGenerator<Item[]> {
  if (first.length > 0) yield first
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}
