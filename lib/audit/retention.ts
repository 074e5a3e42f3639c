// How long the audit log keeps entries: AUTERITY_AUDIT_RETENTION_DAYS for every workspace, and a workspace's own
// `auditRetentionDays` (Tenant.settings) that may keep its entries for less. Old entries are deleted in batches so a
// large backlog never holds a long lock; the worker runs the prune periodically (startAuditPrune).
import { z } from 'zod'
import type { PrismaClient } from '../db/client'
import { log } from '../log'

const logger = log.child({ component: 'audit' })

export const MAX_RETENTION_DAYS = 3650
export const retentionDays = z.number().int('Use a whole number of days').min(1, 'Keep entries at least 1 day').max(MAX_RETENTION_DAYS, `Keep entries at most ${MAX_RETENTION_DAYS} days`)
export const auditSettingsBody = z.object({ auditRetentionDays: retentionDays.nullable() }).strict()

const DAY_MS = 86_400_000
const BATCH = 1000

/** The workspace's own setting, or null when it follows the server's. */
export async function workspaceRetention(prisma: PrismaClient, tenantId: string): Promise<number | null> {
  const tenant = await prisma.tenant.findUnique({ where: { id: tenantId }, select: { settings: true } })
  const parsed = retentionDays.safeParse((tenant?.settings as Record<string, unknown> | null)?.auditRetentionDays)
  return parsed.success ? parsed.data : null
}

/** Sets (or with null clears) the workspace's retention, keeping its other settings. */
export async function setWorkspaceRetention(prisma: PrismaClient, tenantId: string, days: number | null): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { settings: true } })
    const settings = { ...((tenant.settings as Record<string, unknown> | null) ?? {}) }
    if (days === null) delete settings.auditRetentionDays
    else settings.auditRetentionDays = days
    await tx.tenant.update({ where: { id: tenantId }, data: { settings: settings as object } })
  })
}

/** Deletes up to BATCH rows at a time until none older than the cutoff is left; returns how many went. */
async function deleteInBatches(prisma: PrismaClient, cutoff: Date, tenantId?: string): Promise<number> {
  let total = 0
  for (;;) {
    const n = tenantId
      ? await prisma.$executeRaw`DELETE FROM "AuditLog" WHERE "id" IN (SELECT "id" FROM "AuditLog" WHERE "tenantId" = ${tenantId} AND "createdAt" < ${cutoff} LIMIT ${BATCH})`
      : await prisma.$executeRaw`DELETE FROM "AuditLog" WHERE "id" IN (SELECT "id" FROM "AuditLog" WHERE "createdAt" < ${cutoff} LIMIT ${BATCH})`
    total += n
    if (n < BATCH) return total
  }
}

/** One prune: the server's retention for every entry, then each workspace that keeps its entries for less. */
export async function pruneAuditLog(prisma: PrismaClient, serverDays: number, now = new Date()): Promise<number> {
  let deleted = await deleteInBatches(prisma, new Date(now.getTime() - serverDays * DAY_MS))
  const shorter = await prisma.$queryRaw<{ id: string; days: number }[]>`
    SELECT "id", ("settings"->>'auditRetentionDays')::int AS "days" FROM "Tenant"
    WHERE jsonb_typeof("settings"->'auditRetentionDays') = 'number' AND ("settings"->>'auditRetentionDays')::numeric < ${serverDays}`
  for (const t of shorter) {
    if (retentionDays.safeParse(t.days).success) deleted += await deleteInBatches(prisma, new Date(now.getTime() - t.days * DAY_MS), t.id)
  }
  return deleted
}

/** Prunes now and then every `intervalMs` (unref'd); stop() waits for a running prune. Many workers may run it: deletes are idempotent. */
export function startAuditPrune(prisma: PrismaClient, serverDays: number, intervalMs = 3_600_000): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined
  const pass = () => {
    if (running) return
    running = pruneAuditLog(prisma, serverDays)
      .then((n) => n > 0 && logger.info({ entries: n }, 'pruned audit entries past retention'))
      .catch((err) => logger.error({ err }, 'audit prune failed'))
      .finally(() => (running = undefined))
  }
  const first = setTimeout(pass, 10_000).unref()
  const timer = setInterval(pass, intervalMs).unref()
  return {
    async stop() {
      clearTimeout(first)
      clearInterval(timer)
      await running
    },
  }
}
