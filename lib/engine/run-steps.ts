// The steps the scheduler runs itself instead of a node's executor: the trigger (its output is the run's input) and a
// disabled node (its input handed on unchanged).
import { MAIN_PORT } from './graph-schema'
import { itemLimitError } from './limits'
import type { WorkflowRun } from './run'
import { iterationOf, type NodeRuntime } from './step'
import { rechunk } from './util'
import type { Item } from './types'

/** The trigger is not executed: `input` (re-chunked into full pages) is stored as its output. */
export async function runTrigger(run: WorkflowRun, rt: NodeRuntime, input: Item[] | AsyncIterable<Item[]>): Promise<void> {
  const id = rt.node.id
  const at = Date.now()
  await run.store.clear(id)
  rt.state = { ...rt.state, status: 'running', attempts: 1, startedAt: at }
  await run.emit({ type: 'step.started', nodeId: id, nodeName: rt.node.name, nodeType: rt.node.type, attempt: 1, at, inputCount: 0, input: [] })
  const written: Written = { count: 0, preview: [] }
  if (Array.isArray(input)) for (const page of fullPages(input, run.pageSize)) await storeInputPage(run, rt, page, written)
  else for await (const page of rechunk(input, run.pageSize)) await storeInputPage(run, rt, page, written)
  const { count, preview } = written
  rt.state = { ...rt.state, status: 'succeeded', finishedAt: Date.now(), outputCounts: { [MAIN_PORT]: count } }
  await run.emit({ type: 'step.succeeded', nodeId: id, attempt: 1, at: Date.now(), durationMs: Date.now() - at, outputCounts: { [MAIN_PORT]: count }, output: { [MAIN_PORT]: preview } })
}

interface Written {
  count: number
  preview: Item[]
}

async function storeInputPage(run: WorkflowRun, rt: NodeRuntime, page: Item[], written: Written): Promise<void> {
  if (run.runSignal.aborted) throw run.runSignal.reason
  const max = run.limits.maxItemsPerStep
  if (written.count + page.length > max) throw itemLimitError(rt.node.name, max)
  await run.store.append(rt.node.id, MAIN_PORT, page)
  if (written.count === 0) run.triggerFirst = page[0]
  written.count += page.length
  const { preview } = written
  if (preview.length < run.previewItems) preview.push(...page.slice(0, run.previewItems - preview.length))
}

/** What `rechunk([items], size)` yields, without an async generator: the list itself when it is exactly one page. */
function fullPages(items: Item[], size: number): Item[][] {
  if (items.length === size) return [items]
  const pages: Item[][] = []
  for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size))
  return pages
}

/** A disabled node hands the items of its first input on, unchanged (a loop node: to its done port). */
export async function passThrough(run: WorkflowRun, rt: NodeRuntime): Promise<void> {
  const id = rt.node.id
  const at = Date.now()
  const attempt = rt.state.attempts + 1
  const out = rt.def.loop?.donePort ?? MAIN_PORT
  const tag = iterationOf(rt)
  const max = run.limits.maxItemsPerStep
  await run.store.clear(id)
  rt.state = { ...rt.state, status: 'running', attempts: attempt, startedAt: at }
  const port = rt.plan.inPorts[0]
  let count = 0
  const preview: Item[] = []
  let started = false
  for await (const page of port ? run.inputPages(rt, port) : []) {
    if (!started) await run.emit({ type: 'step.started', nodeId: id, nodeName: rt.node.name, nodeType: rt.node.type, attempt, at, inputCount: run.inputCount(rt, port!), input: page.slice(0, run.previewItems), ...tag })
    started = true
    if (count + page.length > max) throw itemLimitError(rt.node.name, max)
    await run.store.append(id, out, page)
    count += page.length
    if (preview.length < run.previewItems) preview.push(...page.slice(0, run.previewItems - preview.length))
  }
  if (!started) await run.emit({ type: 'step.started', nodeId: id, nodeName: rt.node.name, nodeType: rt.node.type, attempt, at, inputCount: 0, input: [], ...tag })
  rt.state = { ...rt.state, status: 'succeeded', finishedAt: Date.now(), outputCounts: { [out]: count } }
  await run.emit({ type: 'step.succeeded', nodeId: id, attempt, at: Date.now(), durationMs: Date.now() - at, outputCounts: { [out]: count }, output: { [out]: preview }, ...tag })
}
