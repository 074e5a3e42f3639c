// Who is calling: a studio session (next-auth JWT cookie) or an API key (Authorization: Bearer ak_…).
// Route handlers call requireAuth(req, role); the realtime server calls authenticateSocketHandshake.
import { decode } from 'next-auth/jwt'
import { getPrisma } from '../db/client'
import { env } from '../env'
import { ForbiddenError, UnauthorizedError } from '../errors'
import { hashApiKey } from './api-keys'
import { SESSION_COOKIES } from './cookies'
import { hasRole, isRole, type Role } from './roles'

export type { Role }

export interface AuthContext {
  tenantId: string
  userId: string | null
  role: Role
  via: 'session' | 'apiKey'
  /** The key's id when `via` is 'apiKey' (the AI ledger attributes calls to it). */
  apiKeyId?: string
}

// API key lookups are on the hot path (webhook-style API clients): cache hits briefly.
const keyCache = new Map<string, { ctx: AuthContext | null; at: number }>()
const KEY_CACHE_MS = 10_000

export async function authenticateApiKey(key: string): Promise<AuthContext | null> {
  const hash = hashApiKey(key)
  const hit = keyCache.get(hash)
  if (hit && Date.now() - hit.at < KEY_CACHE_MS) return hit.ctx
  const row = await getPrisma().apiKey.findUnique({ where: { hash } })
  const ctx: AuthContext | null =
    row && !row.revokedAt ? { tenantId: row.tenantId, userId: row.userId, role: row.role as Role, via: 'apiKey', apiKeyId: row.id } : null
  keyCache.set(hash, { ctx, at: Date.now() })
  if (keyCache.size > 10_000) keyCache.clear()
  return ctx
}

export function clearApiKeyCache(): void {
  keyCache.clear()
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
    if (payload && typeof payload.tenantId === 'string' && isRole(payload.role)) {
      return { tenantId: payload.tenantId, userId: typeof payload.sub === 'string' ? payload.sub : null, role: payload.role, via: 'session' }
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
  const cookie = handshake.headers.cookie
  return authenticateSessionCookie(Array.isArray(cookie) ? cookie.join('; ') : cookie)
}
