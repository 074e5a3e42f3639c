// One batch of execution retention: up to `limit` finished runs picked and deleted in one short transaction, with
// their step rows and output pages; their files are handed to a kept run that may still refer to them, or removed
// from the file store once the transaction has committed (blob stores are slow and remote: never inside it).
import type { PrismaClient } from '../../lib/db/generated/client'

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]

/** Which runs of a tenant a batch may take: older than `before`, optionally of one workflow. */
export interface BatchScope {
  tenantId: string
  before: Date
  workflowId?: string
  /**
   * Created at or after this (the last batch's newest): each batch starts where the previous one ended instead of
   * walking again over the index entries of the rows already deleted (dead until vacuum comes by). Rows skipped
   * before it (still running, held by another transaction) wait for the next pass.
   */
  from?: Date
}

export interface BatchResult {
  executions: number
  /** The newest creation time among the runs picked (the next batch's `from`). */
  lastCreatedAt?: Date
  steps: number
  outputPages: number
  /** Files of the pruned runs removed (bytes and rows). */
  files: number
  /** Files of the pruned runs handed to a kept run that may hold references to them (see heirsOf). */
  filesHandedOver: number
}

interface FileRow {
  id: string
  executionId: string
}

/**
 * Picks and deletes one batch. `FOR UPDATE SKIP LOCKED`: a row another transaction holds (a worker finishing its
 * run, a second pruner) is left for the next pass instead of waited for. Only finished runs qualify: queued and
 * running ones are never picked, nor a run whose event delivery has not settled yet (its end settles the delivery).
 */
export async function pruneBatch(
  prisma: PrismaClient,
  scope: BatchScope,
  limit: number,
  removeFiles: (tenantId: string, ids: string[]) => Promise<number>,
): Promise<BatchResult> {
  let doomed: string[] = []
  const result: BatchResult = { executions: 0, steps: 0, outputPages: 0, files: 0, filesHandedOver: 0 }
  await prisma.$transaction(
    async (tx) => {
      const picked = await pickBatch(tx, scope, limit)
      if (picked.length === 0) return
      const ids = picked.map((r) => r.id)
      result.lastCreatedAt = picked[picked.length - 1].createdAt
      const files = await tx.$queryRaw<FileRow[]>`SELECT "id", "executionId" FROM "File" WHERE "executionId" = ANY(${ids})`
      if (files.length > 0) {
        const handed = await handOverFiles(tx, scope.tenantId, ids, files)
        result.filesHandedOver = handed.size
        doomed = files.filter((f) => !handed.has(f.id)).map((f) => f.id)
      }
      // Output pages have no foreign key (write speed) and steps are counted for the summary: both by hand, each
      // through the index that starts with executionId. The run's delete then sets its files' executionId to null,
      // so a crash before the files are removed leaves them to the file store's sweep.
      result.outputPages = await tx.$executeRaw`DELETE FROM "StepOutputPage" WHERE "executionId" = ANY(${ids})`
      result.steps = await tx.$executeRaw`DELETE FROM "StepRun" WHERE "executionId" = ANY(${ids})`
      result.executions = await tx.$executeRaw`DELETE FROM "Execution" WHERE "id" = ANY(${ids})`
    },
    { timeout: 60_000, maxWait: 10_000 },
  )
  if (doomed.length > 0) result.files = await removeFiles(scope.tenantId, doomed)
  return result
}

async function pickBatch(tx: Tx, scope: BatchScope, limit: number): Promise<{ id: string; createdAt: Date }[]> {
  const from = scope.from ?? new Date(0)
  // The (tenantId, createdAt) and (tenantId, workflowId, createdAt) indexes serve these in createdAt order; status
  // is checked on the rows found (no index on it: the claim and the finish update it in place, as HOT updates).
  const rows = scope.workflowId
    ? await tx.$queryRaw<{ id: string; createdAt: Date }[]>`
        SELECT e."id", e."createdAt" FROM "Execution" e
        WHERE e."tenantId" = ${scope.tenantId} AND e."workflowId" = ${scope.workflowId} AND e."createdAt" >= ${from} AND e."createdAt" < ${scope.before}
          AND e."status" IN ('succeeded', 'failed', 'canceled')
          AND NOT EXISTS (SELECT 1 FROM "EventDelivery" d WHERE d."currentExecutionId" = e."id" AND d."status" = 'running')
        ORDER BY e."createdAt" LIMIT ${limit}
        FOR UPDATE OF e SKIP LOCKED`
    : await tx.$queryRaw<{ id: string; createdAt: Date }[]>`
        SELECT e."id", e."createdAt" FROM "Execution" e
        WHERE e."tenantId" = ${scope.tenantId} AND e."createdAt" >= ${from} AND e."createdAt" < ${scope.before}
          AND e."status" IN ('succeeded', 'failed', 'canceled')
          AND NOT EXISTS (SELECT 1 FROM "EventDelivery" d WHERE d."currentExecutionId" = e."id" AND d."status" = 'running')
        ORDER BY e."createdAt" LIMIT ${limit}
        FOR UPDATE OF e SKIP LOCKED`
  return rows
}

interface Link {
  src: string
  dst: string
  createdAt: Date
}

/**
 * Runs linked to the batch's runs that may hold references to their files: re-runs (they copy the input and the
 * settled steps), sub-workflow links both ways (a child's output flows into its parent's step; a child's and an
 * error workflow run's input came from its parent), and the runs that events published by a run started. No
 * workflow graph holds a file reference (test-step files are unattached and expire), so no graph is searched.
 */
async function linksOf(tx: Tx, tenantId: string, ids: string[]): Promise<Link[]> {
  return tx.$queryRaw<Link[]>`
    WITH l("src", "dst") AS (
      SELECT "retryOfId", "id" FROM "Execution" WHERE "retryOfId" = ANY(${ids})
      UNION ALL SELECT "parentExecutionId", "executionId" FROM "SubWorkflowRun" WHERE "parentExecutionId" = ANY(${ids})
      UNION ALL SELECT "executionId", "parentExecutionId" FROM "SubWorkflowRun" WHERE "executionId" = ANY(${ids})
      UNION ALL SELECT ev."sourceExecutionId", unnest(d."executionIds") FROM "Event" ev JOIN "EventDelivery" d ON d."eventId" = ev."id"
        WHERE ev."sourceExecutionId" = ANY(${ids})
    )
    SELECT l."src", l."dst", x."createdAt" FROM l JOIN "Execution" x ON x."id" = l."dst" AND x."tenantId" = ${tenantId}`
}

/**
 * For each pruned run that owns files: the newest kept run reachable through links, walking on through runs of the
 * same batch (a re-run of a re-run that is also pruned still leads to the kept one). Its files move to that run and
 * live as long as it does; returns the ids of the files moved.
 */
async function handOverFiles(tx: Tx, tenantId: string, ids: string[], files: FileRow[]): Promise<Set<string>> {
  const links = await linksOf(tx, tenantId, ids)
  const moved = new Set<string>()
  if (links.length === 0) return moved
  const inBatch = new Set(ids)
  const next = new Map<string, Link[]>()
  for (const l of links) next.set(l.src, [...(next.get(l.src) ?? []), l])
  const owners = [...new Set(files.map((f) => f.executionId))]
  for (const owner of owners) {
    const heir = newestKept(owner, next, inBatch)
    if (!heir) continue
    const ofOwner = files.filter((f) => f.executionId === owner).map((f) => f.id)
    await tx.$executeRaw`UPDATE "File" SET "executionId" = ${heir} WHERE "id" = ANY(${ofOwner})`
    for (const id of ofOwner) moved.add(id)
  }
  return moved
}

function newestKept(start: string, next: Map<string, Link[]>, inBatch: Set<string>): string | undefined {
  const seen = new Set([start])
  const queue = [start]
  let best: Link | undefined
  while (queue.length > 0) {
    for (const l of next.get(queue.shift()!) ?? []) {
      if (seen.has(l.dst)) continue
      seen.add(l.dst)
      if (inBatch.has(l.dst)) queue.push(l.dst)
      else if (!best || l.createdAt > best.createdAt) best = l
    }
  }
  return best?.dst
}
