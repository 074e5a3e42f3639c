// The audit log: what happened in a workspace, by whom, from where. Writers call recordAudit() after the change they
// record has been made; a failed write is logged and never fails the change (the log must not become a way to
// block work), except where the caller awaits it inside its own transaction by passing `tx`.
// Never put a secret in `data`: entries are shown in the studio and exported.
import type { PrismaClient } from '../db/client'
import type { AuthContext } from '../auth/context'
import type { AuditAction } from './actions'
import { CLIENT_IP_HEADER } from '../http/client-ip'
import { log } from '../log'

const logger = log.child({ component: 'audit' })

export { AUDIT_ACTIONS, isAuditAction, type AuditAction } from './actions'

export interface AuditActor {
  type: 'user' | 'apiKey' | 'run' | 'system'
  id?: string | null
  /** As shown: an email, "key name (ak_abc123)", "run clx…". */
  label?: string | null
}

export interface AuditEntry {
  /** null only for events with no workspace (a failed sign-in of an unknown email). */
  tenantId: string | null
  actor: AuditActor
  action: AuditAction
  /** kind:id, e.g. `workflow:clx…`, `member:<userId>`, `apikey:<id>`. */
  target?: string | null
  outcome?: 'success' | 'failure'
  ip?: string | null
  data?: Record<string, unknown>
}

type Db = Pick<PrismaClient, 'auditLog'> & Partial<Pick<PrismaClient, 'user' | 'apiKey'>>

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  try {
    const label = entry.actor.label ?? (await actorLabel(db, entry.actor))
    await db.auditLog.create({
      data: {
        tenantId: entry.tenantId,
        actorType: entry.actor.type,
        actorId: entry.actor.id ?? null,
        actorLabel: label,
        action: entry.action,
        target: entry.target ?? null,
        outcome: entry.outcome ?? 'success',
        ip: entry.ip ?? null,
        data: (entry.data ?? undefined) as never,
      },
    })
  } catch (err) {
    logger.error({ action: entry.action, err }, 'audit entry could not be recorded')
  }
}

/**
 * The label an actor is shown and searched by, kept as it was at the time: a user's email, a key's name and prefix.
 * Looked up only when the writer did not give one and passed a client that can read users and keys.
 */
async function actorLabel(db: Db, actor: AuditActor): Promise<string | null> {
  if (!actor.id) return null
  if (actor.type === 'user' && db.user) {
    return (await db.user.findUnique({ where: { id: actor.id }, select: { email: true } }))?.email ?? null
  }
  if (actor.type === 'apiKey' && db.apiKey) {
    const key = await db.apiKey.findUnique({ where: { id: actor.id }, select: { name: true, prefix: true } })
    return key ? `${key.name} (${key.prefix})` : null
  }
  return null
}

/**
 * One line for a route handler: `action` on `target` by the request's caller, from the request's address. Awaited
 * after the change, so the entry is there when the answer arrives (a failed write is logged, never thrown).
 */
export function auditRequest(
  db: Db,
  req: Pick<Request, 'headers'>,
  auth: Pick<AuthContext, 'tenantId' | 'userId' | 'via' | 'apiKeyId'>,
  action: AuditAction,
  target: string | null,
  data?: Record<string, unknown>,
): Promise<void> {
  return recordAudit(db, { tenantId: auth.tenantId, actor: actorOf(auth), action, target, ip: clientIp(req), data })
}

/** The actor of a request authenticated by lib/auth/context.ts. */
export function actorOf(ctx: Pick<AuthContext, 'userId' | 'via' | 'apiKeyId'>): AuditActor {
  return ctx.via === 'apiKey' ? { type: 'apiKey', id: ctx.apiKeyId ?? null } : { type: 'user', id: ctx.userId }
}

/** The caller's address the web server stamped on the request (lib/http/client-ip.ts), else null. */
export function clientIp(req: Pick<Request, 'headers'>): string | null {
  return req.headers.get(CLIENT_IP_HEADER) || null
}
