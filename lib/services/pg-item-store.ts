// The engine's ItemStore backed by StepOutputPage rows: step outputs survive a worker crash (a redelivered run
// reads settled steps' outputs from here) and are paged so big runs never hold every item in memory.
import type { Item, ItemStore } from '../engine/types'
import type { PrismaClient } from '../db/generated/client'
import { recordedOutput } from './step-input'
import { storableJsonText } from '../db/json'
import { LeaseLostError } from './lease-lost'

/** Items kept in memory per run so a step reads its upstream output without a round trip. */
const CACHE_ITEMS = 5000

export interface PendingPage {
  nodeId: string
  port: string
  page: number
  count: number
  items: Item[]
}

interface PortState {
  nextPage: number
  count: number
  /** Every page of this port is in `pages` (false once the cache budget ran out). */
  cached: boolean
  pages: Item[][]
}

/** The delivery's lease: pages are written and cleared only while the execution still holds `token` (see workers/runtime/lease.ts). */
export interface StoreFence {
  token: string
  /** Resolves once the claim that set the token committed (false: it did not, so nothing may be written). */
  ready?: Promise<boolean>
  /** A write found the lease gone: stop the run. */
  lost(): void
}

/** Items per stored output page unless the worker runtime sets another size (the engine's default too). */
export const DEFAULT_PAGE_SIZE = 1000

export class PgItemStore implements ItemStore {
  private readonly ports = new Map<string, PortState>()
  private cachedItems = 0
  /**
   * Small outputs (up to one page per step) are held back and written by the step recorder in the same statement
   * as the step's row: one round trip per step, and a succeeded row never exists without its output.
   */
  private readonly pending = new Map<string, PendingPage[]>()
  /** Nodes whose pages may be in the table: written by this store, or handed to the recorder to write with the row.
   * A clear deletes rows only for these (and, once, for what an earlier delivery wrote): a loop body's steps are
   * cleared every iteration, and a small output that stayed on the row has no page rows to delete. */
  private readonly written = new Set<string>()
  /** Nodes with pages written to the table by this store itself (overflow or a flush before the step settled). */
  private readonly inTable = new Set<string>()
  /** Held-back pages the recorder is committing (with the step row), by node: table reads wait for them. */
  private readonly writing = new Map<string, Promise<unknown>>()
  /** Nodes cleared by this store: whatever an earlier delivery recorded for them (a loop body's earlier iterations
   * have succeeded rows) is not their output any more. */
  private readonly cleared = new Set<string>()

  /** `fresh`: nothing was stored for this execution before (first delivery of a new run): no look-ups needed. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly executionId: string,
    private readonly pageSize = DEFAULT_PAGE_SIZE,
    private readonly fresh = false,
    private readonly fence?: StoreFence,
  ) {}

  /** The token writes are conditional on (null: unfenced), once the claim that set it committed. */
  private async token(): Promise<string | null> {
    if (!this.fence) return null
    if (this.fence.ready && !(await this.fence.ready)) throw new LeaseLostError(this.executionId)
    return this.fence.token
  }

  private fenced(): never {
    this.fence?.lost()
    throw new LeaseLostError(this.executionId)
  }

  private async state(nodeId: string, port: string): Promise<PortState> {
    const key = `${nodeId}\u0000${port}`
    let st = this.ports.get(key)
    if (st) return st
    if (this.fresh || this.cleared.has(nodeId)) st = { nextPage: 0, count: 0, cached: true, pages: [] }
    else {
      const agg = await this.prisma.stepOutputPage.aggregate({
        where: { executionId: this.executionId, nodeId, port },
        _max: { page: true },
        _sum: { count: true },
      })
      const last = agg._max.page
      st = { nextPage: last === null ? 0 : last + 1, count: agg._sum.count ?? 0, cached: last === null, pages: [] }
      // A small output of a step settled by an earlier delivery lives on its step row only.
      if (last === null) {
        const items = await outputInRow(this.prisma, this.executionId, nodeId, port)
        if (items) st = { nextPage: 0, count: items.length, cached: true, pages: items.length ? [items] : [] }
      }
    }
    this.ports.set(key, st)
    return st
  }

  async append(nodeId: string, port: string, items: Item[]): Promise<void> {
    if (items.length === 0) return
    const st = await this.state(nodeId, port)
    const rows: PendingPage[] = []
    for (let i = 0; i < items.length; i += this.pageSize) {
      const chunk = items.slice(i, i + this.pageSize)
      rows.push({ nodeId, port, page: st.nextPage++, count: chunk.length, items: chunk })
    }
    const held = this.pending.get(nodeId) ?? []
    const heldItems = held.reduce((n, p) => n + p.count, 0)
    if (heldItems + items.length <= this.pageSize) this.pending.set(nodeId, [...held, ...rows])
    else {
      this.pending.delete(nodeId)
      this.inTable.add(nodeId)
      await this.insertPages([...held, ...rows])
    }
    st.count += items.length
    if (st.cached && this.cachedItems + items.length <= CACHE_ITEMS) {
      for (const row of rows) st.pages.push(row.items)
      this.cachedItems += items.length
    } else if (st.cached) {
      st.cached = false
      this.cachedItems -= st.pages.reduce((n, p) => n + p.length, 0)
      st.pages = []
    }
  }

  private async flush(nodeId: string): Promise<void> {
    const rows = this.takePending(nodeId)
    if (rows.length === 0) return
    this.inTable.add(nodeId)
    await this.insertPages(rows)
  }

  /** Writes every held-back page (tests, and callers that read the table directly). */
  async flushAll(): Promise<void> {
    for (const nodeId of [...this.pending.keys()]) await this.flush(nodeId)
  }

  /** The recorder's write of a step's held-back pages: reads and clears of that node wait for it. */
  trackWrite(nodeId: string, write: Promise<unknown>): void {
    this.written.add(nodeId)
    const settled = write.catch(() => undefined)
    this.writing.set(nodeId, settled)
    void settled.then(() => this.writing.get(nodeId) === settled && this.writing.delete(nodeId))
  }

  /**
   * Whether a settled step's whole output may live on its StepRun row only (no StepOutputPage rows): nothing of it
   * is in the table yet, every port is small enough for the row's output (`maxItems`) and still held in this store's
   * cache, so this run's downstream steps read it from memory and later readers from the row.
   */
  keepsInRow(nodeId: string, maxItems: number): boolean {
    if (this.inTable.has(nodeId)) return false
    for (const [key, st] of this.ports) {
      if (!key.startsWith(`${nodeId}\u0000`)) continue
      if (!st.cached || st.count > maxItems) return false
    }
    return true
  }

  /** The held-back pages of a step, handed to the recorder when the step settles. */
  takePending(nodeId: string): PendingPage[] {
    const rows = this.pending.get(nodeId) ?? []
    this.pending.delete(nodeId)
    return rows
  }

  async *pages(nodeId: string, port: string): AsyncIterable<Item[]> {
    const st = await this.state(nodeId, port)
    if (st.cached) {
      yield* st.pages
      return
    }
    await this.flush(nodeId)
    await this.writing.get(nodeId)
    let after = -1
    for (;;) {
      const row = await this.prisma.stepOutputPage.findFirst({
        where: { executionId: this.executionId, nodeId, port, page: { gt: after } },
        orderBy: { page: 'asc' },
        select: { page: true, items: true },
      })
      if (!row) return
      after = row.page
      yield row.items as Item[]
    }
  }

  async count(nodeId: string, port: string): Promise<number> {
    return (await this.state(nodeId, port)).count
  }

  async clear(nodeId: string): Promise<void> {
    this.pending.delete(nodeId)
    this.inTable.delete(nodeId)
    await this.writing.get(nodeId)
    // A fresh run's table holds only what this store wrote: nothing to delete for a node that wrote nothing there.
    if ((!this.fresh && !this.cleared.has(nodeId)) || this.written.has(nodeId)) {
      const token = await this.token()
      const [{ held }] = await this.prisma.$queryRaw<{ held: boolean }[]>`
        WITH held AS (SELECT ${token}::text IS NULL OR EXISTS (SELECT 1 FROM "Execution" WHERE "id" = ${this.executionId} AND "leaseToken" = ${token}) AS held),
        gone AS (DELETE FROM "StepOutputPage" WHERE "executionId" = ${this.executionId} AND "nodeId" = ${nodeId} AND (SELECT held FROM held))
        SELECT held FROM held`
      if (!held) this.fenced()
    }
    this.written.delete(nodeId)
    this.cleared.add(nodeId)
    for (const [key, st] of this.ports) {
      if (!key.startsWith(`${nodeId}\u0000`)) continue
      this.cachedItems -= st.pages.reduce((n, p) => n + p.length, 0)
      this.ports.set(key, { nextPage: 0, count: 0, cached: true, pages: [] })
    }
  }

  /** One statement for the pages; items travel as JSON text (U+0000 made storable, see lib/db/json.ts). */
  private async insertPages(rows: PendingPage[]): Promise<void> {
    for (const row of rows) this.written.add(row.nodeId)
    const token = await this.token()
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO "StepOutputPage" ("executionId", "nodeId", "port", "page", "count", "items")
      SELECT ${this.executionId}, n, p, pg, c, i::jsonb
      FROM unnest(${rows.map((r) => r.nodeId)}::text[], ${rows.map((r) => r.port)}::text[], ${rows.map((r) => r.page)}::int[],
        ${rows.map((r) => r.count)}::int[], ${rows.map((r) => storableJsonText(JSON.stringify(r.items)))}::text[]) AS t(n, p, pg, c, i)
      WHERE ${token}::text IS NULL OR EXISTS (SELECT 1 FROM "Execution" WHERE "id" = ${this.executionId} AND "leaseToken" = ${token})`
    if (inserted === 0 && rows.length > 0) this.fenced()
  }
}

/**
 * The output of a node's latest succeeded attempt when it lives on the StepRun row only (small outputs: no
 * StepOutputPage rows); null when the node has no such row.
 */
async function outputInRow(prisma: PrismaClient, executionId: string, nodeId: string, port: string): Promise<Item[] | null> {
  const recorded = await recordedOutput(prisma, executionId, nodeId, port)
  // Only a complete list is usable (older rows hold a preview of outputs that also have pages).
  return recorded && recorded.items.length === recorded.count ? recorded.items : null
}

/** One logical page of a step's output for the API, independent of how the worker chunked it. */
export async function readOutputPage(
  prisma: PrismaClient,
  executionId: string,
  nodeId: string,
  port: string,
  page: number,
  pageSize: number,
): Promise<{ items: Item[]; total: number }> {
  const index = await prisma.stepOutputPage.findMany({
    where: { executionId, nodeId, port },
    orderBy: { page: 'asc' },
    select: { page: true, count: true },
  })
  const from = page * pageSize
  const to = from + pageSize
  if (index.length === 0) {
    const inRow = await outputInRow(prisma, executionId, nodeId, port)
    if (inRow) return { items: inRow.slice(from, to), total: inRow.length }
  }
  const total = index.reduce((n, p) => n + p.count, 0)
  const wanted: number[] = []
  let offset = 0
  const starts = new Map<number, number>()
  for (const p of index) {
    if (offset + p.count > from && offset < to) {
      wanted.push(p.page)
      starts.set(p.page, offset)
    }
    offset += p.count
  }
  if (wanted.length === 0) return { items: [], total }
  const rows = await prisma.stepOutputPage.findMany({
    where: { executionId, nodeId, port, page: { in: wanted } },
    orderBy: { page: 'asc' },
    select: { page: true, items: true },
  })
  const items: Item[] = []
  for (const row of rows) {
    const start = starts.get(row.page)!
    const list = row.items as Item[]
    items.push(...list.slice(Math.max(0, from - start), Math.max(0, to - start)))
  }
  return { items, total }
}

/** Re-run from the failed step: the new execution starts with the old one's settled outputs. */
export async function copyOutputs(prisma: PrismaClient, fromExecutionId: string, toExecutionId: string, nodeIds: string[]): Promise<void> {
  if (nodeIds.length === 0) return
  await prisma.$executeRaw`
    INSERT INTO "StepOutputPage" ("executionId", "nodeId", "port", "page", "count", "items")
    SELECT ${toExecutionId}, "nodeId", "port", "page", "count", "items" FROM "StepOutputPage"
    WHERE "executionId" = ${fromExecutionId} AND "nodeId" = ANY(${nodeIds})`
}
