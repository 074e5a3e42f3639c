// What a node's execute() call receives (ExecuteContext) and where its output goes (OutputWriter). Built once per call,
// so its functions are methods: a named closure costs a defineProperty each time under tsx (see ./step.ts).
import type { GraphNode } from './graph-schema'
import { itemLimitError } from './limits'
import { paramsAt, staticParams } from './params'
import type { NodeRuntime, StepEnv } from './step'
import type { StepLog } from './step-log'
import { pagesOf } from './util'
import { NodeError, type CredentialData, type ExecuteContext, type Item, type NodeDefinition, type NodeOutput } from './types'

/** Where a call's items sit in the step's input. `scopeItems`: what expressions in params see when `items` is empty. */
export interface PagePosition {
  offset: number
  count: number
  pageState: Map<string, unknown>
  scopeItems?: Item[]
}

export type PageSource = (port: string) => AsyncIterable<Item[]>

export interface WrittenOutput {
  counts: Record<string, number>
  preview: NodeOutput
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

/** The context of one execute() call; `parts.attempt` is the node's own try number (1 = first). Without expressions in
 * the params nothing needs awaiting, and the context is returned as it is. */
export function buildContext(rt: NodeRuntime, env: StepEnv, parts: AttemptParts, page: PagePosition): ExecuteContext | Promise<ExecuteContext> {
  if (!rt.plan.dynamic) return contextOf(rt, env, parts, page, staticParams(rt))
  const scopeItems = page.scopeItems ?? parts.inputs[parts.firstPort] ?? []
  return paramsAt(rt, env, scopeItems, page.offset, 0).then((params) => contextOf(rt, env, parts, page, params))
}

function contextOf(rt: NodeRuntime, env: StepEnv, parts: AttemptParts, page: PagePosition, params: Record<string, unknown>): ExecuteContext {
  const { node, def } = rt
  const { attempt, signal, inputs } = parts
  const items = inputs[parts.firstPort] ?? []
  const scopeItems = page.scopeItems ?? items
  const { offset } = page
  const dynamic = rt.plan.dynamic
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
    paramsFor(index) {
      return dynamic ? paramsAt(rt, env, scopeItems, offset, index) : Promise.resolve(params)
    },
    items,
    inputOffset: offset,
    inputCount: page.count,
    pageState: page.pageState,
    inputs,
    inputCounts: parts.counts,
    inputPages(port) {
      return parts.pages ? parts.pages(port) : heldPages(inputs[port])
    },
    write(output) {
      return parts.out.write(output)
    },
    async credential() {
      const credential = await loadCredential(def, node, params, env)
      // What the step may send is what its log must never show.
      if (credential) parts.log?.redact(Object.values(credential.data))
      return credential
    },
    signal,
    log: parts.log ?? env.log,
    emit(event, data) {
      if (!signal.aborted) void env.emit({ type: 'step.progress', nodeId: node.id, event, data })
    },
    services: env.services,
  }
}

async function* heldPages(items: Item[] | undefined): AsyncGenerator<Item[]> {
  if (items && items.length > 0) yield items
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

/** Writes node output to the store page by page and keeps counts and a preview for events. */
export class OutputWriter {
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
    for (const port of Object.keys(output)) {
      const items = output[port]
      if (!Array.isArray(items)) throw new NodeError(`Output "${port}" must be an array of items`, { code: 'INVALID_OUTPUT' })
      // An attempt abandoned by a timeout may still return later: it must not write into the retry's output.
      if (this.signal.aborted) throw this.signal.reason
      // Checked before anything is stored: a step over the cap writes nothing more.
      this.total += items.length
      if (this.total > this.env.maxItemsPerStep) throw itemLimitError(this.node.name, this.env.maxItemsPerStep)
      const { pageSize, previewItems } = this.env
      if (items.length <= pageSize) {
        if (items.length > 0) await this.env.store.append(this.node.id, port, items.slice())
      } else {
        for (const page of pagesOf(items, pageSize)) await this.env.store.append(this.node.id, port, page)
      }
      this.counts[port] = (this.counts[port] ?? 0) + items.length
      const shown = (this.preview[port] ??= [])
      if (shown.length < previewItems) shown.push(...items.slice(0, previewItems - shown.length))
    }
  }

  result(): WrittenOutput {
    return { counts: this.counts, preview: this.preview }
  }
}
