// Reading the audit log: one workspace's entries, newest first, filtered and paged by a keyset cursor (createdAt, id)
// so a page never repeats or skips an entry written meanwhile. Entries without a workspace (a failed sign-in of an
// unknown email) are never read here: every query is scoped to the caller's tenant.
import { z } from 'zod'
import type { PrismaClient } from '../db/client'
import { forTenant } from '../db/scope'
import { ValidationError } from '../errors'

export const MAX_PAGE_SIZE = 200

export const auditFilterQuery = z.object({
  /** One action (`workflow.deleted`) or a prefix ending in a dot (`auth.`). */
  action: z.string().trim().max(100).regex(/^[a-z_.]+$/, 'Use an action such as workflow.deleted or a prefix such as auth.').optional(),
  /** The actor's id, or text of its label (an email, a key's name). */
  actor: z.string().trim().min(1).max(200).optional(),
  /** kind:id, or a kind prefix ending in a colon (`workflow:`). */
  target: z.string().trim().min(1).max(300).optional(),
  outcome: z.enum(['success', 'failure']).optional(),
  from: z.coerce.date({ error: 'Use a date such as 2026-01-31 or an ISO time' }).optional(),
  to: z.coerce.date({ error: 'Use a date such as 2026-01-31 or an ISO time' }).optional(),
  /** Free text over the actor's label, the target and the action. */
  q: z.string().trim().min(1).max(200).optional(),
})
export type AuditFilter = z.infer<typeof auditFilterQuery>

export const auditListQuery = auditFilterQuery.extend({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
})

export interface AuditRow {
  id: string
  createdAt: Date
  actorType: string
  actorId: string | null
  actorLabel: string | null
  action: string
  target: string | null
  outcome: string
  ip: string | null
  data: unknown
}

const SELECT = { id: true, createdAt: true, actorType: true, actorId: true, actorLabel: true, action: true, target: true, outcome: true, ip: true, data: true } as const

function where(f: AuditFilter) {
  const and: object[] = []
  if (f.action) and.push({ action: f.action.endsWith('.') ? { startsWith: f.action } : f.action })
  if (f.actor) and.push({ OR: [{ actorId: f.actor }, { actorLabel: { contains: f.actor, mode: 'insensitive' } }] })
  if (f.target) and.push({ target: f.target.endsWith(':') ? { startsWith: f.target } : f.target })
  if (f.outcome) and.push({ outcome: f.outcome })
  if (f.from) and.push({ createdAt: { gte: f.from } })
  if (f.to) and.push({ createdAt: { lte: f.to } })
  if (f.q) {
    const contains = { contains: f.q, mode: 'insensitive' }
    and.push({ OR: [{ actorLabel: contains }, { target: contains }, { action: contains }] })
  }
  return { AND: and }
}

export function encodeCursor(row: Pick<AuditRow, 'createdAt' | 'id'>): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url')
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  const createdAt = new Date(at)
  if (!id || Number.isNaN(createdAt.getTime())) throw new ValidationError('cursor: not a cursor this API gave out', { cursor: 'not a cursor this API gave out' })
  return { createdAt, id }
}

/** Entries strictly after the cursor in (createdAt desc, id desc) order. */
function after(cursor: string | undefined) {
  if (!cursor) return {}
  const c = decodeCursor(cursor)
  return { OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] }
}

export async function listAudit(prisma: PrismaClient, tenantId: string, query: z.infer<typeof auditListQuery>): Promise<{ entries: AuditRow[]; nextCursor: string | null }> {
  const rows = await forTenant(prisma, tenantId).auditLog.findMany({
    where: { AND: [where(query), after(query.cursor)] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    select: SELECT,
  })
  const more = rows.length > query.limit
  const entries = more ? rows.slice(0, query.limit) : rows
  return { entries, nextCursor: more ? encodeCursor(entries[entries.length - 1]) : null }
}

/** Every matching entry, read page by page so an export of a large log never sits in memory whole. */
export async function* allAudit(prisma: PrismaClient, tenantId: string, filter: AuditFilter, pageSize = 1000): AsyncGenerator<AuditRow> {
  let cursor: string | undefined
  do {
    const page = await listAudit(prisma, tenantId, { ...filter, cursor, limit: pageSize })
    yield* page.entries
    cursor = page.nextCursor ?? undefined
  } while (cursor)
}
