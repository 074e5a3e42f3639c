// The engine's ItemStore backed by StepOutputPage rows: step outputs survive a worker crash (a redelivered run
// reads settled steps' outputs from here) and are paged so big runs never hold every item in memory.
import type { Item, ItemStore } from '../engine/types'
import type { PrismaClient } from '../db/generated/client'

export class PgItemStore implements ItemStore {
  private readonly nextPage = new Map<string, number>()

  constructor(
    private readonly prisma: PrismaClient,
    private readonly executionId: string,
    private readonly pageSize = 1000,
  ) {}

  async append(nodeId: string, port: string, items: Item[]): Promise<void> {
    if (items.length === 0) return
    const key = `${nodeId}\u0000${port}`
    let page = this.nextPage.get(key)
    if (page === undefined) {
      const last = await this.prisma.stepOutputPage.findFirst({
        where: { executionId: this.executionId, nodeId, port },
        orderBy: { page: 'desc' },
        select: { page: true },
      })
      page = last ? last.page + 1 : 0
    }
    const rows = []
    for (let i = 0; i < items.length; i += this.pageSize) {
      const chunk = items.slice(i, i + this.pageSize)
      rows.push({ executionId: this.executionId, nodeId, port, page: page++, count: chunk.length, items: chunk as object[] })
    }
    this.nextPage.set(key, page)
    if (rows.length === 1) await this.prisma.stepOutputPage.create({ data: rows[0], select: { id: true } })
    else await this.prisma.stepOutputPage.createMany({ data: rows })
  }

  async *pages(nodeId: string, port: string): AsyncIterable<Item[]> {
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
    const agg = await this.prisma.stepOutputPage.aggregate({ where: { executionId: this.executionId, nodeId, port }, _sum: { count: true } })
    return agg._sum.count ?? 0
  }

  async clear(nodeId: string): Promise<void> {
    await this.prisma.stepOutputPage.deleteMany({ where: { executionId: this.executionId, nodeId } })
    for (const key of this.nextPage.keys()) if (key.startsWith(`${nodeId}\u0000`)) this.nextPage.delete(key)
  }
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
  const total = index.reduce((n, p) => n + p.count, 0)
  const from = page * pageSize
  const to = from + pageSize
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
