// Who is calling: a studio session (next-auth JWT cookie) or an API key (Authorization: Bearer ak_…).
// Route handlers call requireAuth(req, role); the realtime server calls authenticateSocketHandshake.
// The session token names the user and a UserSession row (sid); the row says which workspace the session works in
// and whether it still lives (revoked, expired). The role is the Membership row's. Rows are read per request through
// the access cache (lib/auth/access.ts), so a revocation or role change holds from the next request on.
// An API key must hold the scope the route's role asks for (lib/auth/scopes.ts), and not be expired or revoked.
import { decode } from 'next-auth/jwt'
import { getPrisma } from '../db/client'
import { env } from '../env'
import { ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../errors'
import { rateLimits } from '../services/rate-limits'
import { accessCache } from './access'
import { hashApiKey } from './api-keys'
import { SESSION_COOKIES } from './cookies'
import { assertSameOrigin, isOwnOrigin } from './origin'
import { hasRole, lowerRole, type Role } from './roles'
import { keyAllows, scopeForRole } from './scopes'

export type { Role }

export interface AuthContext {
  tenantId: string
  userId: string | null
  role: Role
  via: 'session' | 'apiKey'
  /** The key's id when `via` is 'apiKey' (the AI ledger attributes calls to it). */
  apiKeyId?: string
  /** The key's scopes (empty: a key from before scopes, which holds all). */
  scopes?: string[]
  /** The UserSession row's id when `via` is 'session'. */
  sessionId?: string
}

/** Last-used times are written at most this often per key or session (a write per request would be a hot row). */
const TOUCH_MS = 60_000

/** The user's role in the tenant now, or null when they are not (or no longer) a member, or were deleted. */
function memberRole(tenantId: string, userId: string): Promise<Role | null> {
  return accessCache().get(`member|${tenantId}|${userId}`, async () => {
    const row = await getPrisma().membership.findUnique({ where: { tenantId_userId: { tenantId, userId } }, select: { role: true } })
    return row ? (row.role as Role) : null
  })
}

export async function authenticateApiKey(key: string): Promise<AuthContext | null> {
  const hash = hashApiKey(key)
  const found = await accessCache().get(`key|${hash}`, async (): Promise<{ ctx: AuthContext; expiresAt: number | null } | null> => {
    const row = await getPrisma().apiKey.findUnique({ where: { hash } })
    if (!row || row.revokedAt) return null
    touch('apiKey', row.id, row.lastUsedAt)
    let role = row.role as Role
    // A user's key acts for that user: never above their role now, and not at all once they left the tenant.
    if (row.userId) {
      const member = await memberRole(row.tenantId, row.userId)
      if (!member) return null
      role = lowerRole(role, member)
    }
    const ctx: AuthContext = { tenantId: row.tenantId, userId: row.userId, role, via: 'apiKey', apiKeyId: row.id, scopes: row.scopes }
    return { ctx, expiresAt: row.expiresAt?.getTime() ?? null }
  })
  // Checked on every use, cached or not: a key stops at its expiry to the second.
  if (!found || (found.expiresAt !== null && found.expiresAt <= Date.now())) return null
  return found.ctx
}

/** Records when a key or session was last used, at most once per TOUCH_MS, without making the request wait. */
function touch(model: 'apiKey' | 'userSession', id: string, last: Date | null): void {
  if (last && Date.now() - last.getTime() < TOUCH_MS) return
  const field = model === 'apiKey' ? 'lastUsedAt' : 'lastSeenAt'
  const db = getPrisma()
  const where = { id, OR: [{ [field]: null }, { [field]: { lt: new Date(Date.now() - TOUCH_MS) } }] }
  const data = { [field]: new Date() }
  const write = model === 'apiKey' ? db.apiKey.updateMany({ where, data }) : db.userSession.updateMany({ where, data })
  write.catch(() => undefined)
}

interface SessionState {
  userId: string
  tenantId: string | null
  expiresAt: number
}

/** The UserSession row, or null when it is gone or revoked. */
function sessionState(sid: string): Promise<SessionState | null> {
  return accessCache().get(`session|${sid}`, async () => {
    const row = await getPrisma().userSession.findUnique({ where: { id: sid } })
    if (!row || row.revokedAt) return null
    touch('userSession', row.id, row.lastSeenAt)
    return { userId: row.userId, tenantId: row.tenantId, expiresAt: row.expiresAt.getTime() }
  })
}

export function parseCookies(header: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim())
  }
  return out
}

/** Session token → context. Chunked cookies (`.0`, `.1`) are joined as next-auth writes them. */
export async function authenticateSessionCookie(cookieHeader: string | null | undefined): Promise<AuthContext | null> {
  const cookies = parseCookies(cookieHeader)
  const secret = env().nextAuthSecret
  if (!secret) return null
  for (const name of SESSION_COOKIES) {
    let token = cookies[name]
    if (!token) {
      const chunks = Object.keys(cookies).filter((k) => k.startsWith(`${name}.`)).sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
      if (chunks.length) token = chunks.map((k) => cookies[k]).join('')
    }
    if (!token) continue
    const payload = await decode({ token, secret }).catch(() => null)
    if (payload && typeof payload.sid === 'string' && typeof payload.sub === 'string') {
      const session = await sessionState(payload.sid)
      if (!session || session.userId !== payload.sub || session.expiresAt <= Date.now() || !session.tenantId) return null
      const role = await memberRole(session.tenantId, payload.sub)
      return role ? { tenantId: session.tenantId, userId: payload.sub, role, via: 'session', sessionId: payload.sid } : null
    }
  }
  return null
}

function bearer(header: string | null): string | null {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '')
  return m ? m[1].trim() : null
}

export async function authenticateRequest(req: Request): Promise<AuthContext | null> {
  const key = bearer(req.headers.get('authorization'))
  if (key) return authenticateApiKey(key)
  return authenticateSessionCookie(req.headers.get('cookie'))
}

export async function requireAuth(req: Request, minRole: Role = 'viewer'): Promise<AuthContext> {
  const ctx = await authenticateRequest(req)
  if (!ctx) throw new UnauthorizedError()
  // The browser attaches the cookie to a forged cross-site request too; an API key it never attaches.
  if (ctx.via === 'session') assertSameOrigin(req, env().publicUrl)
  if (!hasRole(ctx.role, minRole)) throw new ForbiddenError(`This needs the ${minRole} role; you are ${ctx.role}`)
  if (ctx.via === 'apiKey' && !keyAllows(ctx.scopes ?? [], scopeForRole(minRole))) {
    throw new ForbiddenError(`This needs an API key with the ${scopeForRole(minRole)} scope`)
  }
  await limitWorkspace(ctx.tenantId)
  return ctx
}

/**
 * The API's per-workspace budget (AUTERITY_RATE_API requests per AUTERITY_RATE_WINDOW_S), counted after the caller
 * proved who they are: an anonymous flood cannot spend a workspace's budget. Studio pages and API keys share it.
 */
async function limitWorkspace(tenantId: string): Promise<void> {
  try {
    await rateLimits().consume('api-workspace', tenantId)
  } catch (err) {
    if (!(err instanceof TooManyRequestsError)) throw err
    const { apiPerWorkspace, windowS } = env().rateLimits
    throw new TooManyRequestsError(`${err.message}: the limit is ${apiPerWorkspace} requests per ${windowS} s (AUTERITY_RATE_API)`, err.retryAfterS)
  }
}

/** Socket.IO handshake: `auth: { token: <api key> }`, or the session cookie the browser sends. */
export async function authenticateSocketHandshake(handshake: {
  headers: Record<string, string | string[] | undefined>
  auth?: Record<string, unknown>
}): Promise<AuthContext | null> {
  const token = handshake.auth?.token
  if (typeof token === 'string' && token) return authenticateApiKey(token)
  const header = (name: string) => {
    const v = handshake.headers[name]
    return (Array.isArray(v) ? v.join(', ') : v) ?? null
  }
  // A cross-site page may open a WebSocket to us with the cookie (CORS does not apply to WebSockets): a browser always
  // says its origin there, and it must be ours. Clients outside a browser send none and are nobody's victim.
  const origin = header('origin')
  if (origin && !isOwnOrigin(origin, { host: header('host'), forwardedHost: header('x-forwarded-host') }, env().publicUrl)) return null
  return authenticateSessionCookie(header('cookie'))
}
