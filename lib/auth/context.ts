// Who is calling: a studio session (next-auth JWT cookie) or an API key (Authorization: Bearer ak_…).
// Route handlers call requireAuth(req, role); the realtime server calls authenticateSocketHandshake.
// The session names the user and tenant only: the role is the Membership row's, read per request (lib/auth/access.ts).
import { decode } from 'next-auth/jwt'
import { getPrisma } from '../db/client'
import { env } from '../env'
import { ForbiddenError, UnauthorizedError } from '../errors'
import { accessCache } from './access'
import { hashApiKey } from './api-keys'
import { SESSION_COOKIES } from './cookies'
import { assertSameOrigin, isOwnOrigin } from './origin'
import { hasRole, lowerRole, type Role } from './roles'

export type { Role }

export interface AuthContext {
  tenantId: string
  userId: string | null
  role: Role
  via: 'session' | 'apiKey'
  /** The key's id when `via` is 'apiKey' (the AI ledger attributes calls to it). */
  apiKeyId?: string
}

/** The user's role in the tenant now, or null when they are not (or no longer) a member, or were deleted. */
function memberRole(tenantId: string, userId: string): Promise<Role | null> {
  return accessCache().get(`member|${tenantId}|${userId}`, async () => {
    const row = await getPrisma().membership.findUnique({ where: { tenantId_userId: { tenantId, userId } }, select: { role: true } })
    return row ? (row.role as Role) : null
  })
}

export function authenticateApiKey(key: string): Promise<AuthContext | null> {
  const hash = hashApiKey(key)
  return accessCache().get(`key|${hash}`, async (): Promise<AuthContext | null> => {
    const row = await getPrisma().apiKey.findUnique({ where: { hash } })
    if (!row || row.revokedAt) return null
    let role = row.role as Role
    // A user's key acts for that user: never above their role now, and not at all once they left the tenant.
    if (row.userId) {
      const member = await memberRole(row.tenantId, row.userId)
      if (!member) return null
      role = lowerRole(role, member)
    }
    return { tenantId: row.tenantId, userId: row.userId, role, via: 'apiKey', apiKeyId: row.id }
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
    if (payload && typeof payload.tenantId === 'string' && typeof payload.sub === 'string') {
      const role = await memberRole(payload.tenantId, payload.sub)
      return role ? { tenantId: payload.tenantId, userId: payload.sub, role, via: 'session' } : null
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
  return ctx
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
