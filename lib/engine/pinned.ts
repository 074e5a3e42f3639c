// A pinned node in a run that applies pinned data: it does not execute; it outputs its pinned items on its first
// output port, and its step says so (a log line with `data.pinned`), so downstream nodes are designed against
// those items without calling the outside world.
import { MAIN_PORT } from './graph-schema'
import { itemLimitError } from './limits'
import { inputPortNames, outputPortNames } from './ports'
import { iterationOf, type NodeRuntime, type StepEnv } from './step'
import { pagesOf } from './util'
import { pinnedLogLine } from './pin-data'
import type { Item } from './types'

export function pinnedOutputPort(rt: NodeRuntime): string {
  return outputPortNames(rt.def, rt.node.params, {})?.[0] ?? MAIN_PORT
}

export async function runPinned(rt: NodeRuntime, env: StepEnv, items: Item[]): Promise<void> {
  const { node } = rt
  const at = Date.now()
  const attempt = rt.state.attempts + 1
  const port = pinnedOutputPort(rt)
  const tag = iterationOf(rt)
  if (items.length > env.maxItemsPerStep) throw itemLimitError(node.name, env.maxItemsPerStep)
  await env.store.clear(node.id)
  rt.state = { ...rt.state, status: 'running', attempts: attempt, startedAt: at }
  // What the node would have received: recorded like a real step's input, so the editor shows both sides.
  const inPort = inputPortNames(rt.def)[0]
  let input: Item[] = []
  if (inPort) {
    for await (const page of env.inputPages(rt, inPort)) {
      input = page
      break
    }
  }
  const inputCount = inPort ? env.inputCount(rt, inPort) : 0
  await env.emit({ type: 'step.started', nodeId: node.id, nodeName: node.name, nodeType: node.type, attempt, at, inputCount, input: input.slice(0, env.previewItems), ...tag })
  for (const page of pagesOf(items, env.pageSize)) await env.store.append(node.id, port, page)
  rt.state = { ...rt.state, status: 'succeeded', finishedAt: Date.now(), outputCounts: { [port]: items.length } }
  await env.emit({
    type: 'step.succeeded', nodeId: node.id, attempt, at: Date.now(), durationMs: Date.now() - at,
    outputCounts: { [port]: items.length }, output: { [port]: items.slice(0, env.previewItems) }, logs: [pinnedLogLine(items.length)], ...tag,
  })
}
