// One check of a Page Changed trigger (lib/nodes/browser/page-monitor), as a worker runs it: open the page in the
// worker's browser pool (held to the outbound policy like any browser step), read its text, compare it with the
// monitor's baseline (PageMonitor), and on a change beyond the threshold start one run. "One" holds across workers:
// the baseline moves on with a compare-and-swap on PageMonitor.version in the same transaction that inserts the run's
// Execution row, so of two workers that saw the same change one commits and the other finds the version moved and
// starts nothing. The first check records the baseline and starts nothing; a failed check records its error.
//
// Screenshots: a baseline's screenshot is a File without an execution, its expiry pushed 30 days ahead while the
// snapshot is kept (the files sweep removes it once the snapshot is pruned or the monitor is gone); a run gets its
// own copies (before.png, after.png), attached to its Execution in the same transaction, so they live as long as the
// run does and a pruned snapshot never takes a run's file with it.
import { randomBytes } from 'node:crypto'
import type { PrismaClient } from '../db/generated/client'
import { storableJson } from '../db/json'
import { NodeError } from '../engine/types'
import type { BrowserHost, BrowserSession } from '../browser/types'
import type { FileRef } from '../files/ref'
import type { FileHost, RunFiles } from '../files/types'
import { pageMonitorParams, type PageMonitorParams } from '../nodes/browser/page-monitor/definition'
import { captureScreenshot, captureText, diffTexts, targetOf, textHash } from '../nodes/browser/page-monitor/capture'
import type { ExecutionDeps } from './executions'
import { executionEvent } from './execution-events'
import { newId } from './hot-db'

/** Baselines kept per monitor (with their screenshots). */
export const KEEP_SNAPSHOTS = 10
/** A kept snapshot's screenshot expires this long after the last check that saw it kept. */
const KEEP_FILE_MS = 30 * 86_400_000
const MAX_ERROR = 2000
const MAX_SCREENSHOT_BYTES = 50 * 1024 * 1024

export type CheckOutcome =
  | { outcome: 'baseline'; monitorId: string }
  | { outcome: 'unchanged'; monitorId: string }
  | { outcome: 'below-threshold'; monitorId: string; changeRatio: number }
  | { outcome: 'fired'; monitorId: string; executionId: string; changeRatio: number }
  /** Another check moved the baseline first (it started the run for this change, if any). */
  | { outcome: 'lost'; monitorId: string }
  | { outcome: 'failed'; monitorId: string; error: string; code?: string }
  /** The registration is gone (the workflow was deactivated or republished). */
  | { outcome: 'gone' }

export interface PageMonitorCheckerDeps {
  prisma: PrismaClient
  starts: ExecutionDeps
  browser: BrowserHost
  /** Screenshots need a store that can hold files without an execution (lib/files FileService `scoped`). */
  files: FileHost
  /** Aborts checks in progress (the worker is closing). */
  signal?: AbortSignal
}

class Lost extends Error {}
class Gone extends Error {}

type Unattached = RunFiles | undefined

function unattachedFiles(files: FileHost, tenantId: string): Unattached {
  const scoped = (files as { scoped?: (scope: { tenantId: string; executionId: string | null }) => RunFiles }).scoped
  return typeof scoped === 'function' ? scoped.call(files, { tenantId, executionId: null }) : undefined
}

export class PageMonitorChecker {
  constructor(private readonly deps: PageMonitorCheckerDeps) {}

  async check(registrationId: string): Promise<CheckOutcome> {
    const { prisma } = this.deps
    const reg = await prisma.triggerRegistration.findUnique({ where: { id: registrationId } })
    if (!reg || reg.kind !== 'monitor') return { outcome: 'gone' }
    const p = pageMonitorParams.parse(reg.config)
    const target = targetOf(p)
    await prisma.$executeRaw`INSERT INTO "PageMonitor" ("id", "tenantId", "workflowId", "nodeId", "target", "createdAt")
      VALUES (${newId()}, ${reg.tenantId}, ${reg.workflowId}, ${reg.nodeId}, ${target}, now() AT TIME ZONE 'UTC')
      ON CONFLICT ("workflowId", "nodeId") DO NOTHING`
    const monitor = await prisma.pageMonitor.findUniqueOrThrow({ where: { workflowId_nodeId: { workflowId: reg.workflowId, nodeId: reg.nodeId } } })
    const seen = monitor.version
    const baseline = monitor.target === target && monitor.hash !== null && monitor.text !== null ? monitor : null

    const executionId = `monitor-${reg.id}-${Date.now()}-${randomBytes(4).toString('hex')}`
    const files = unattachedFiles(this.deps.files, reg.tenantId)
    const signal = this.deps.signal ?? new AbortController().signal
    const run = this.deps.browser.forRun({ tenantId: reg.tenantId, executionId, signal, files: files ?? this.deps.files.forRun({ tenantId: reg.tenantId, executionId }) })
    let session: BrowserSession | undefined
    const failed = async (err: unknown): Promise<CheckOutcome> => {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR)
      await prisma.pageMonitor.update({
        where: { id: monitor.id },
        data: { lastError: message, lastErrorAt: new Date(), lastCheckedAt: new Date(), checks: { increment: 1 } },
      })
      return { outcome: 'failed', monitorId: monitor.id, error: message, code: err instanceof NodeError ? err.code : undefined }
    }
    try {
      let text: string
      let url: string
      try {
        session = await run.open({ browser: 'chromium', timeoutMs: p.timeoutSeconds * 1000 })
        ;({ text, url } = await captureText(session, p))
      } catch (err) {
        return await failed(err)
      }
      const checkedAt = new Date()
      const hash = textHash(text)
      const shot = async (): Promise<Buffer | undefined> => (p.screenshots && files ? captureScreenshot(session!, p) : undefined)

      if (!baseline) {
        let png: Buffer | undefined
        try {
          png = await shot()
        } catch (err) {
          return await failed(err)
        }
        const file = png ? await files!.write({ name: 'snapshot.png', mimeType: 'image/png', data: png }) : undefined
        try {
          await prisma.$transaction(async (tx) => {
            const moved = await tx.pageMonitor.updateMany({
              where: { id: monitor.id, version: seen },
              data: {
                version: seen + 1, target, hash, text, screenshotFileId: file?.$file ?? null, baselineAt: checkedAt, lastCheckedAt: checkedAt,
                lastError: null, lastErrorAt: null, checks: { increment: 1 },
              },
            })
            if (moved.count !== 1) throw new Lost()
            await tx.pageSnapshot.create({
              data: { tenantId: reg.tenantId, monitorId: monitor.id, version: seen + 1, url, hash, text, screenshotFileId: file?.$file ?? null, checkedAt },
            })
            if (file) await tx.file.updateMany({ where: { id: file.$file, tenantId: reg.tenantId }, data: { expiresAt: new Date(Date.now() + KEEP_FILE_MS) } })
          })
        } catch (err) {
          if (err instanceof Lost) return { outcome: 'lost', monitorId: monitor.id }
          throw err
        }
        await this.prune(monitor.id)
        return { outcome: 'baseline', monitorId: monitor.id }
      }

      const seenOnly = async () => {
        await prisma.pageMonitor.updateMany({ where: { id: monitor.id }, data: { lastCheckedAt: checkedAt, lastError: null, lastErrorAt: null, checks: { increment: 1 } } })
        await this.keepFiles(monitor.id)
      }
      if (hash === baseline.hash) {
        await seenOnly()
        return { outcome: 'unchanged', monitorId: monitor.id }
      }
      const diff = await diffTexts(baseline.text!, text)
      if (diff.ratio * 100 < p.threshold) {
        await seenOnly()
        return { outcome: 'below-threshold', monitorId: monitor.id, changeRatio: diff.ratio }
      }

      // A change to report: the screenshots first (nothing is written to the monitor until the swap).
      let png: Buffer | undefined
      try {
        png = await shot()
      } catch (err) {
        return await failed(err)
      }
      let snapshotFile: FileRef | undefined
      let afterCopy: FileRef | undefined
      let beforeCopy: FileRef | undefined
      if (png && files) {
        snapshotFile = await files.write({ name: 'snapshot.png', mimeType: 'image/png', data: png })
        afterCopy = await files.write({ name: 'after.png', mimeType: 'image/png', data: png })
        if (baseline.screenshotFileId) {
          const before = await files.readBytes(baseline.screenshotFileId, { field: 'screenshot', maxBytes: MAX_SCREENSHOT_BYTES }).catch(() => undefined)
          if (before) beforeCopy = await files.write({ name: 'before.png', mimeType: 'image/png', data: before.bytes })
        }
      }
      const changeRatio = Math.round(diff.ratio * 10_000) / 10_000
      const item = {
        url,
        changedAt: checkedAt.toISOString(),
        changeRatio,
        diff: { added: diff.added, removed: diff.removed, unified: diff.unified },
        before: { text: baseline.text, screenshot: beforeCopy ?? null, checkedAt: baseline.baselineAt?.toISOString() ?? null },
        after: { text, screenshot: afterCopy ?? null, checkedAt: checkedAt.toISOString() },
      }
      let row: { id: string; tenantId: string; workflowId: string; versionId: string; mode: string; status: string; startNodeId: string | null; createdAt: Date }
      try {
        row = await prisma.$transaction(async (tx) => {
          const moved = await tx.pageMonitor.updateMany({
            where: { id: monitor.id, version: seen },
            data: {
              version: seen + 1, hash, text, screenshotFileId: snapshotFile?.$file ?? null, baselineAt: checkedAt, lastCheckedAt: checkedAt,
              lastError: null, lastErrorAt: null, checks: { increment: 1 }, changes: { increment: 1 },
            },
          })
          if (moved.count !== 1) throw new Lost()
          // Still registered as of this transaction: a workflow deactivated meanwhile starts nothing.
          const live = await tx.triggerRegistration.findUnique({ where: { id: reg.id }, select: { id: true } })
          if (!live) throw new Gone()
          const exec = await tx.execution.create({
            data: {
              tenantId: reg.tenantId, workflowId: reg.workflowId, versionId: reg.versionId, versionNumber: reg.versionNumber, mode: 'monitor',
              input: storableJson([item]) as object[], startNodeId: reg.nodeId,
            },
            select: { id: true, tenantId: true, workflowId: true, versionId: true, mode: true, status: true, startNodeId: true, createdAt: true },
          })
          await tx.pageSnapshot.create({
            data: {
              tenantId: reg.tenantId, monitorId: monitor.id, version: seen + 1, url, hash, text, screenshotFileId: snapshotFile?.$file ?? null, checkedAt,
              changeRatio, executionId: exec.id,
            },
          })
          const copies = [afterCopy, beforeCopy].flatMap((f) => (f ? [f.$file] : []))
          if (copies.length) await tx.file.updateMany({ where: { id: { in: copies }, tenantId: reg.tenantId }, data: { executionId: exec.id, expiresAt: null } })
          if (snapshotFile) await tx.file.updateMany({ where: { id: snapshotFile.$file, tenantId: reg.tenantId }, data: { expiresAt: new Date(Date.now() + KEEP_FILE_MS) } })
          return { ...exec, status: exec.status as string }
        })
      } catch (err) {
        // The files written for it stay unattached and the files sweep removes them within the hour.
        if (err instanceof Lost) return { outcome: 'lost', monitorId: monitor.id }
        if (err instanceof Gone) return { outcome: 'gone' }
        throw err
      }
      // Committed: a crash from here leaves a queued row, which the reconciler enqueues again.
      await this.deps.starts.queue.enqueue(
        row.id,
        { tenantId: row.tenantId, workflowId: row.workflowId, versionId: row.versionId, mode: 'monitor', startNodeId: row.startNodeId, input: [item], createdAt: row.createdAt.toISOString() },
        { tenantId: row.tenantId, workflowId: row.workflowId },
      )
      this.deps.starts.emitter.executionUpdated(row.tenantId, executionEvent({ ...row, startedAt: null, finishedAt: null, error: null }))
      await this.prune(monitor.id)
      return { outcome: 'fired', monitorId: monitor.id, executionId: row.id, changeRatio }
    } finally {
      await this.deps.browser.endRun(executionId).catch(() => undefined)
    }
  }

  /** Keeps the last KEEP_SNAPSHOTS snapshots; the screenshots of the others expire now (the files sweep takes them). */
  private async prune(monitorId: string): Promise<void> {
    await this.deps.prisma.$executeRaw`WITH old AS (
        DELETE FROM "PageSnapshot" WHERE "monitorId" = ${monitorId} AND "version" <= (
          SELECT "version" FROM "PageSnapshot" WHERE "monitorId" = ${monitorId} ORDER BY "version" DESC OFFSET ${KEEP_SNAPSHOTS} LIMIT 1)
        RETURNING "screenshotFileId")
      UPDATE "File" SET "expiresAt" = now() AT TIME ZONE 'UTC'
      WHERE "executionId" IS NULL AND "id" IN (SELECT "screenshotFileId" FROM old WHERE "screenshotFileId" IS NOT NULL)`
  }

  /** The kept snapshots' screenshots: their expiry pushed on when less than half of it is left. */
  private async keepFiles(monitorId: string): Promise<void> {
    const until = new Date(Date.now() + KEEP_FILE_MS)
    const renewBefore = new Date(Date.now() + KEEP_FILE_MS / 2)
    await this.deps.prisma.$executeRaw`UPDATE "File" SET "expiresAt" = ${until}
      WHERE "executionId" IS NULL AND "expiresAt" < ${renewBefore}
        AND "id" IN (SELECT "screenshotFileId" FROM "PageSnapshot" WHERE "monitorId" = ${monitorId} AND "screenshotFileId" IS NOT NULL)`
  }
}

export type { PageMonitorParams }
