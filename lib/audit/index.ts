// The audit log: what happened in a workspace, by whom, from where. Writers call recordAudit() after the change they
// record has been made; a failed write is logged and never fails the change (the log must not become a way to
// block work), except where the caller awaits it inside its own transaction by passing `tx`.
// Never put a secret in `data`: entries are shown in the studio and exported.
import type { PrismaClient } from '../db/client'
import type { AuthContext } from '../auth/context'
import type { AuditAction } from './actions'

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

type Db = Pick<PrismaClient, 'auditLog'>

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  try {
    await db.auditLog.create({
      data: {
        tenantId: entry.tenantId,
        actorType: entry.actor.type,
        actorId: entry.actor.id ?? null,
        actorLabel: entry.actor.label ?? null,
        action: entry.action,
        target: entry.target ?? null,
        outcome: entry.outcome ?? 'success',
        ip: entry.ip ?? null,
        data: (entry.data ?? undefined) as never,
      },
    })
  } catch (err) {
    console.error('[audit] could not record', entry.action, (err as Error).message)
  }
}

/** The actor of a request authenticated by lib/auth/context.ts. */
export function actorOf(ctx: Pick<AuthContext, 'userId' | 'via' | 'apiKeyId'>): AuditActor {
  return ctx.via === 'apiKey' ? { type: 'apiKey', id: ctx.apiKeyId ?? null } : { type: 'user', id: ctx.userId }
}

/** The client's address as the first proxy saw it (X-Forwarded-For's first entry), else X-Real-IP, else null. */
export function clientIp(req: Pick<Request, 'headers'>): string | null {
  const forwarded = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim()
  return forwarded || req.headers.get('x-real-ip') || null
}
