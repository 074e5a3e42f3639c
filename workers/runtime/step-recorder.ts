// Turns engine events into StepRun rows and realtime events. Fast steps cost one INSERT (written when they
// settle); a step still running after `deferInsertMs` gets its 'running' row early so the dashboard sees it.
// Writes are pipelined: the engine goes on to the next step while a settled step's row is being committed
// (rows of one execution still commit in order, see HotDb), and `flush()` waits for all of them before the run
// may be called finished. A failed write fails the next event, and `flush()`.
import type { EngineEvent, Item, NodeOutput, SerializedError, StepLogLine } from '../../lib/engine/types'
import type { WorkflowGraph } from '../../lib/engine/graph-schema'
import { randomUUID } from 'node:crypto'
import { Prisma, type PrismaClient } from '../../lib/db/generated/client'
import type { PgItemStore } from '../../lib/services/pg-item-store'
import { hotDb } from '../../lib/services/hot-db'
import { jsonbText } from '../../lib/db/json'
import { LeaseLostError } from '../../lib/services/lease-lost'
import { sameItems, type InputRef } from '../../lib/services/step-input'
import { AGENT_TOOL_EVENT, type AgentToolCall } from '../../lib/nodes/agent/definition'
import type { RealtimeEmitter } from '../../lib/realtime/emitter'
import type { StepEventStatus } from '../../lib/realtime/events'
import { runLogger } from '../../lib/log'

/** Items kept on a StepRun row for the inspector. A succeeded step whose every port fits here keeps its whole output
 * on the row only; larger outputs (and failed steps' partial outputs) also live in StepOutputPage. */
export const PREVIEW_ITEMS = 100

export interface RecorderScope {
  executionId: string
  workflowId: string
  tenantId: string
}

interface OpenStep {
  nodeId: string
  nodeName: string
  nodeType: string
  attempt: number
  /** Loop bodies: the iteration; loop nodes: the iterations run (known when they settle). */
  iteration: number | null
  startedAt: Date
  /** The items, or a reference to the one upstream output they are (see ./step-input.ts). */
  input: Item[] | InputRef
  inputCount: number
  timer?: NodeJS.Timeout
  inserting?: Promise<unknown>
}

export interface StepRecorderOptions {
  prisma: PrismaClient
  emitter: RealtimeEmitter
  scope: RecorderScope
  graph: WorkflowGraph
  /** Attempts already recorded per node by an earlier delivery: new attempts are numbered after them. */
  attemptOffset?: Map<string, number>
  /** Held-back output pages of a settling step are written in the same statement as its row. */
  store?: PgItemStore
  deferInsertMs?: number
  /** Rows are written only once this resolves true (the worker's claim of the execution; false: write nothing). */
  gate?: Promise<boolean>
  /** The delivery's lease: rows are written only while the execution still holds this token; a fenced write calls
   * `lost` (which stops the run) and fails with LeaseLostError. */
  lease?: { token: string; lost(): void; signal: AbortSignal }
}

export class StepRecorder {
  private readonly open = new Map<string, OpenStep>()
  private readonly toolCalls = new Map<string, Array<AgentToolCall & { at: number }>>()
  private readonly toolSeq = new Map<string, number>()
  private readonly nodes: Map<string, { name: string; type: string; maxAttempts: number }>
  /** First main item of the step that succeeded last: the "when finished" webhook answer. */
  lastOutputItem: Item | undefined
  private readonly writes = new Set<Promise<void>>()
  private lastWrite: Promise<unknown> | undefined
  private writeError: unknown

  /** Output previews of the steps settled in this run, by node (inputs that are one of them are stored by reference). */
  private readonly outputs = new Map<string, Record<string, Item[]>>()
  /** Nodes fed by exactly one edge: node → its source node and port. */
  private readonly soleSource = new Map<string, { node: string; port: string }>()

  constructor(private readonly opts: StepRecorderOptions) {
    this.nodes = new Map(opts.graph.nodes.map((n) => [n.id, { name: n.name, type: n.type, maxAttempts: n.settings?.maxAttempts ?? 1 }]))
    const inbound = new Map<string, { node: string; port: string }[]>()
    for (const e of opts.graph.edges) {
      const list = inbound.get(e.target) ?? []
      list.push({ node: e.source, port: e.sourcePort ?? 'main' })
      inbound.set(e.target, list)
    }
    for (const [node, list] of inbound) if (list.length === 1) this.soleSource.set(node, list[0])
  }

  /** A reference when `items` are exactly the recorded output the node's only upstream produced in this run. */
  private inputOf(nodeId: string, items: Item[]): Item[] | InputRef {
    const from = this.soleSource.get(nodeId)
    if (items.length > 0 && from && sameItems(items, this.outputs.get(from.node)?.[from.port])) return { $from: from }
    return items
  }

  readonly onEvent = async (e: EngineEvent): Promise<void> => {
    if (this.writeError !== undefined) throw this.writeError
    switch (e.type) {
      case 'step.started':
        return this.started(e)
      case 'step.succeeded':
        return this.settled(e.nodeId, e.attempt, 'succeeded', e.at, e.durationMs, { output: e.output, outputCounts: e.outputCounts, iteration: e.iteration, logs: e.logs })
      case 'step.failed':
        return this.settled(e.nodeId, e.attempt, 'failed', e.at, e.durationMs, { error: e.error, willRetry: e.willRetry, iteration: e.iteration, logs: e.logs })
      case 'step.retrying':
        return this.publish(e.nodeId, this.attempt(e.nodeId, e.attempt), 'retrying', { error: e.error })
      case 'step.skipped':
        return this.skipped(e.nodeId, e.nodeName, e.at, e.attempt ?? 1, e.iteration)
      case 'step.progress':
        if (e.event === AGENT_TOOL_EVENT) this.noteToolCall(e.nodeId, e.data as AgentToolCall)
        this.opts.emitter.stepProgress(this.opts.scope.tenantId, this.opts.scope.workflowId, {
          executionId: this.opts.scope.executionId,
          nodeId: e.nodeId,
          event: e.event,
          data: e.data,
        })
        return
      default:
        return
    }
  }

  /** After the run: steps that never settled (cancel, abort) are closed as canceled. */
  async closeOpenSteps(): Promise<void> {
    const now = new Date()
    for (const step of [...this.open.values()]) {
      this.write(step, 'canceled', now, now.getTime() - step.startedAt.getTime(), {})
      this.publishRow(step, 'canceled', now, { durationMs: now.getTime() - step.startedAt.getTime() })
    }
    this.open.clear()
  }

  /** Resolves once every row written so far is committed; throws the first write error. */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.all(this.writes)
    if (this.writeError !== undefined) throw this.writeError
  }

  private attempt(nodeId: string, engineAttempt: number): number {
    return engineAttempt + (this.opts.attemptOffset?.get(nodeId) ?? 0)
  }

  private started(e: Extract<EngineEvent, { type: 'step.started' }>): void {
    const step: OpenStep = {
      nodeId: e.nodeId,
      nodeName: e.nodeName,
      nodeType: e.nodeType,
      attempt: this.attempt(e.nodeId, e.attempt),
      iteration: e.iteration ?? null,
      startedAt: new Date(e.at),
      // A reference resolves to the source's latest row: a loop body's earlier iterations keep their own items.
      input: e.iteration === undefined ? this.inputOf(e.nodeId, e.input.slice(0, PREVIEW_ITEMS)) : e.input.slice(0, PREVIEW_ITEMS),
      inputCount: e.inputCount,
    }
    this.open.set(`${e.nodeId}#${e.attempt}`, step)
    const defer = this.opts.deferInsertMs ?? 250
    const insert = () => {
      step.timer = undefined
      step.inserting = Promise.resolve(this.opts.gate ?? true)
        .then(async (open) => {
          if (open && !(this.opts.lease?.signal.reason instanceof LeaseLostError)) await this.insertRunning(step)
        })
        .catch((err) => runLogger(this.opts.scope).error({ component: 'worker', nodeId: step.nodeId, err }, 'could not record a running step'))
    }
    if (defer <= 0) insert()
    else step.timer = setTimeout(insert, defer)
    this.publishRow(step, 'running', null, {})
  }

  private async settled(
    nodeId: string,
    engineAttempt: number,
    status: 'succeeded' | 'failed',
    at: number,
    durationMs: number,
    extra: { output?: NodeOutput; outputCounts?: Record<string, number>; error?: SerializedError; willRetry?: boolean; iteration?: number; logs?: StepLogLine[] },
  ): Promise<void> {
    const key = `${nodeId}#${engineAttempt}`
    const step = this.open.get(key) ?? this.orphan(nodeId, engineAttempt, at - durationMs)
    this.open.delete(key)
    if (extra.iteration !== undefined) step.iteration = extra.iteration
    const finishedAt = new Date(at)
    this.write(step, status, finishedAt, durationMs, extra)
    this.writeToolCalls(step)
    if (status === 'succeeded') {
      this.lastOutputItem = extra.output?.main?.[0] ?? Object.values(extra.output ?? {})[0]?.[0]
      if (extra.output) this.outputs.set(nodeId, previewOutput(extra.output))
    }
    this.publishRow(step, status, finishedAt, { durationMs, outputCounts: extra.outputCounts, error: extra.error, logs: extra.logs })
  }

  private async skipped(nodeId: string, nodeName: string, at: number, engineAttempt: number, iteration: number | undefined): Promise<void> {
    const step = { ...this.orphan(nodeId, engineAttempt, at, nodeName), iteration: iteration ?? null }
    const when = new Date(at)
    this.write(step, 'skipped', when, 0, {})
    this.publishRow(step, 'skipped', when, { durationMs: 0 })
  }

  private orphan(nodeId: string, engineAttempt: number, startedAt: number, nodeName?: string): OpenStep {
    const node = this.nodes.get(nodeId)
    return {
      nodeId,
      nodeName: nodeName ?? node?.name ?? nodeId,
      nodeType: node?.type ?? 'unknown',
      attempt: this.attempt(nodeId, engineAttempt),
      iteration: null,
      startedAt: new Date(startedAt),
      input: [],
      inputCount: 0,
    }
  }

  /** The 'running' row of a step still going after `deferInsertMs`, fenced like every other row. */
  private async insertRunning(step: OpenStep): Promise<void> {
    const { tenantId, executionId } = this.opts.scope
    const token = this.opts.lease?.token ?? null
    await this.opts.prisma.$executeRaw`INSERT INTO "StepRun" ("id", "tenantId", "executionId", "nodeId", "nodeName", "nodeType", "attempt", "iteration", "status",
        "input", "inputCount", "startedAt")
      SELECT ${randomUUID()}, ${tenantId}, ${executionId}, ${step.nodeId}, ${step.nodeName}, ${step.nodeType}, ${step.attempt}::int, ${step.iteration}::int, 'running'::"StepStatus",
        ${jsonbText(step.input)}::jsonb, ${step.inputCount}::int, (${step.startedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC')
      WHERE ${token}::text IS NULL OR EXISTS (SELECT 1 FROM "Execution" WHERE "id" = ${executionId} AND "leaseToken" = ${token})`
  }

  /** A write the lease fenced off: the run stops. */
  private fenced(): never {
    this.opts.lease?.lost()
    throw new LeaseLostError(this.opts.scope.executionId)
  }

  /** Starts the row's write (tracked for `flush()`); the held-back output pages go with it. */
  private write(
    step: OpenStep,
    status: 'succeeded' | 'failed' | 'skipped' | 'canceled',
    finishedAt: Date,
    durationMs: number,
    extra: { output?: NodeOutput; outputCounts?: Record<string, number>; error?: SerializedError; logs?: StepLogLine[] },
  ): void {
    if (step.timer) clearTimeout(step.timer)
    step.timer = undefined
    // A delivery that lost its lease (BullMQ's lock, a renewal) records nothing more, not even the steps it stopped:
    // the delivery that resumes the run marks them as lost.
    if (this.opts.lease?.signal.reason instanceof LeaseLostError) return
    const held = this.opts.store?.takePending(step.nodeId) ?? []
    // A small, complete output is on the row already (`output`): no page rows for it.
    const pages = status === 'succeeded' && this.opts.store?.keepsInRow(step.nodeId, PREVIEW_ITEMS) ? [] : held
    // HotDb commits an execution's rows in the order they are pushed; the Prisma fallback is chained here.
    const after = step.inserting ?? (hotDb(this.opts.prisma) ? undefined : this.lastWrite)
    const gate = this.opts.gate
    const writeRow = gate
      ? () => gate.then((open) => (open ? this.writeRow(step, status, finishedAt, durationMs, extra, pages) : undefined))
      : () => this.writeRow(step, status, finishedAt, durationMs, extra, pages)
    const run = after ? after.then(writeRow) : writeRow()
    this.lastWrite = run.catch(() => undefined)
    // Readers of this step's output in the table (large runs) wait for these pages.
    if (pages.length > 0) this.opts.store?.trackWrite(step.nodeId, run)
    const tracked: Promise<void> = run.then(
      () => void this.writes.delete(tracked),
      (err) => {
        this.writeError ??= err
        this.writes.delete(tracked)
      },
    )
    this.writes.add(tracked)
  }

  private async writeRow(
    step: OpenStep,
    status: 'succeeded' | 'failed' | 'skipped' | 'canceled',
    finishedAt: Date,
    durationMs: number,
    extra: { output?: NodeOutput; outputCounts?: Record<string, number>; error?: SerializedError; logs?: StepLogLine[] },
    pages: ReturnType<PgItemStore['takePending']>,
  ): Promise<void> {
    const { executionId, tenantId } = this.opts.scope
    const json = jsonbText
    const token = this.opts.lease?.token ?? null
    const hot = hotDb(this.opts.prisma)
    if (hot) {
      // Group-committed with the rows of other running executions; resolves once durable.
      const written = await hot.writeStep({
        id: randomUUID(), tenantId, executionId, nodeId: step.nodeId, nodeName: step.nodeName, nodeType: step.nodeType, attempt: step.attempt,
        iteration: step.iteration, status, input: json(step.input), inputCount: step.inputCount, output: json(extra.output ? previewOutput(extra.output) : null),
        outputCounts: json(extra.outputCounts), error: json(extra.error), logs: json(extra.logs), startedAt: step.startedAt, finishedAt, durationMs,
        pages: pages.map((p) => ({ nodeId: p.nodeId, port: p.port, page: p.page, count: p.count, items: JSON.stringify(p.items) })),
        leaseToken: token,
      })
      if (!written) this.fenced()
      return
    }
    const ts = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`
    const row = Prisma.sql`(${randomUUID()}, ${tenantId}, ${executionId}, ${step.nodeId}, ${step.nodeName}, ${step.nodeType}, ${step.attempt}::int,
      ${step.iteration}::int, ${status}::"StepStatus", ${json(step.input)}::jsonb, ${step.inputCount}::int, ${json(extra.output ? previewOutput(extra.output) : null)}::jsonb,
      ${json(extra.outputCounts)}::jsonb, ${json(extra.error)}::jsonb, ${json(extra.logs)}::jsonb, ${ts(step.startedAt)}, ${ts(finishedAt)}, ${Math.round(durationMs)}::int)`
    // One statement: the step's held-back output pages and its row (inserted, or updated if 'running' was written),
    // both only while the lease token matches.
    const held = Prisma.sql`(${token}::text IS NULL OR EXISTS (SELECT 1 FROM "Execution" WHERE "id" = ${executionId} AND "leaseToken" = ${token}))`
    const withPages =
      pages.length === 0
        ? Prisma.empty
        : Prisma.sql`WITH pages AS (INSERT INTO "StepOutputPage" ("executionId", "nodeId", "port", "page", "count", "items") SELECT * FROM (VALUES ${Prisma.join(
            pages.map((p) => Prisma.sql`(${executionId}, ${p.nodeId}, ${p.port}, ${p.page}::int, ${p.count}::int, ${json(p.items)}::jsonb)`),
          )}) AS v WHERE ${held}) `
    const count = await this.opts.prisma.$executeRaw`${withPages}INSERT INTO "StepRun" ("id", "tenantId", "executionId", "nodeId", "nodeName", "nodeType", "attempt",
      "iteration", "status", "input", "inputCount", "output", "outputCounts", "error", "logs", "startedAt", "finishedAt", "durationMs")
      SELECT * FROM (VALUES ${row}) AS v WHERE ${held}
      ON CONFLICT ("executionId", "nodeId", "attempt") DO UPDATE SET "status" = EXCLUDED."status", "iteration" = EXCLUDED."iteration", "output" = EXCLUDED."output",
        "outputCounts" = EXCLUDED."outputCounts", "error" = EXCLUDED."error", "logs" = EXCLUDED."logs", "finishedAt" = EXCLUDED."finishedAt", "durationMs" = EXCLUDED."durationMs"`
    if (count === 0) this.fenced()
  }

  private noteToolCall(nodeId: string, call: AgentToolCall): void {
    const calls = this.toolCalls.get(nodeId) ?? []
    calls.push({ ...call, at: Date.now() })
    this.toolCalls.set(nodeId, calls)
  }

  /** An Agent step's tool calls become step rows of their own (`<agent node>/tool-<n>`), durable with the step. */
  private writeToolCalls(agentStep: OpenStep): void {
    const calls = this.toolCalls.get(agentStep.nodeId)
    if (!calls?.length) return
    this.toolCalls.delete(agentStep.nodeId)
    for (const call of calls) {
      const seq = (this.toolSeq.get(agentStep.nodeId) ?? 0) + 1
      this.toolSeq.set(agentStep.nodeId, seq)
      const row: OpenStep = {
        nodeId: `${agentStep.nodeId}/tool-${seq}`,
        nodeName: `${agentStep.nodeName} › ${call.tool}`,
        nodeType: 'agent-tool',
        attempt: 1,
        iteration: agentStep.iteration,
        startedAt: new Date(call.at - call.durationMs),
        input: [toItem(call.arguments)],
        inputCount: 1,
      }
      const finishedAt = new Date(call.at)
      if (call.error) {
        const error = { name: 'ToolError', message: call.error }
        this.write(row, 'failed', finishedAt, call.durationMs, { error })
        this.publishRow(row, 'failed', finishedAt, { durationMs: call.durationMs, error })
      } else {
        const items = Array.isArray(call.result) ? call.result.map(toItem) : [toItem(call.result)]
        const outputCounts = { main: items.length }
        this.write(row, 'succeeded', finishedAt, call.durationMs, { output: { main: items }, outputCounts })
        this.publishRow(row, 'succeeded', finishedAt, { durationMs: call.durationMs, outputCounts })
      }
    }
  }

  private publish(nodeId: string, attempt: number, status: StepEventStatus, extra: { error?: SerializedError }): void {
    const node = this.nodes.get(nodeId)
    this.opts.emitter.stepUpdated(this.opts.scope.tenantId, {
      executionId: this.opts.scope.executionId,
      workflowId: this.opts.scope.workflowId,
      nodeId,
      nodeName: node?.name ?? nodeId,
      attempt,
      maxAttempts: node?.maxAttempts ?? 1,
      status,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      inputCount: 0,
      outputCounts: {},
      error: extra.error ?? null,
    })
  }

  private publishRow(
    step: OpenStep,
    status: StepEventStatus,
    finishedAt: Date | null,
    extra: { durationMs?: number; outputCounts?: Record<string, number>; error?: SerializedError; logs?: StepLogLine[] },
  ): void {
    this.opts.emitter.stepUpdated(this.opts.scope.tenantId, {
      executionId: this.opts.scope.executionId,
      workflowId: this.opts.scope.workflowId,
      nodeId: step.nodeId,
      nodeName: step.nodeName,
      attempt: step.attempt,
      iteration: step.iteration,
      maxAttempts: this.nodes.get(step.nodeId)?.maxAttempts ?? 1,
      status,
      startedAt: step.startedAt.toISOString(),
      finishedAt: finishedAt?.toISOString() ?? null,
      durationMs: extra.durationMs ?? null,
      inputCount: step.inputCount,
      outputCounts: extra.outputCounts ?? {},
      error: extra.error ?? null,
      ...(extra.logs && { logs: extra.logs }), // a settled attempt's log goes out with it
    })
  }
}

const toItem = (value: unknown): Item => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Item) : { value })

function previewOutput(output: NodeOutput): Record<string, Item[]> {
  const out: Record<string, Item[]> = {}
  for (const [port, items] of Object.entries(output)) out[port] = items.slice(0, PREVIEW_ITEMS)
  return out
}
