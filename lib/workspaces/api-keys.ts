// API keys made and revoked in the studio and the API. The key is answered once; only its SHA-256 is kept
// (lib/auth/api-keys.ts). Its role follows from its scopes and is never above its creator's: a key acts for the user
// who made it, and lib/auth/context.ts lowers it further if that user is demoted or leaves.
import { z } from 'zod'
import { actorOf, recordAudit } from '../audit'
import { publishAccessChange } from '../auth/access'
import { displayPrefix, generateApiKey, hashApiKey, roleForScopes } from '../auth/api-keys'
import { hasRole, type Role } from '../auth/roles'
import { SCOPES, type Scope } from '../auth/scopes'
import { NotFoundError, ValidationError } from '../errors'
import { actsAsAdmin, type Actor, type WorkspaceDeps } from './deps'

export const apiKeyInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'Give the key a name').max(100, 'At most 100 characters'),
  scopes: z
    .array(z.enum(SCOPES as [Scope, ...Scope[]], { message: `Each scope is one of: ${SCOPES.join(', ')}` }))
    .min(1, 'Choose at least one scope')
    .max(SCOPES.length)
    .transform((s) => [...new Set(s)]),
  expiresInDays: z.number().int('Whole days').min(1, 'At least 1 day').max(3650, 'At most 3650 days (10 years)').optional(),
})

export interface ApiKeySummary {
  id: string
  name: string
  prefix: string
  scopes: string[]
  role: Role
  expiresAt: string | null
  lastUsedAt: string | null
  createdAt: string
  revokedAt: string | null
  createdBy: { id: string; email: string } | null
}

const isAdmin = (actor: Actor) => actsAsAdmin(actor.ctx)

/** Admins see every key of the workspace; anyone else the keys they made (or that act for them). */
export async function listApiKeys(deps: WorkspaceDeps, actor: Actor): Promise<ApiKeySummary[]> {
  const { tenantId, userId } = actor.ctx
  const mine = userId ? { OR: [{ createdById: userId }, { userId }] } : { id: '' }
  const rows = await deps.prisma.apiKey.findMany({ where: { tenantId, ...(isAdmin(actor) ? {} : mine) }, orderBy: { createdAt: 'desc' } })
  const creatorIds = [...new Set(rows.map((r) => r.createdById ?? r.userId).filter((id): id is string => !!id))]
  const users = await deps.prisma.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } })
  const byId = new Map(users.map((u) => [u.id, u]))
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    role: r.role as Role,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    createdBy: byId.get(r.createdById ?? r.userId ?? '') ?? null,
  }))
}

export async function createApiKey(
  deps: WorkspaceDeps,
  actor: Actor,
  input: z.infer<typeof apiKeyInputSchema>,
): Promise<{ key: string; apiKey: ApiKeySummary }> {
  const { tenantId, userId } = actor.ctx
  const beyond = input.scopes.filter((s) => !hasRole(actor.ctx.role, roleForScopes([s])))
  if (beyond.length) throw new ValidationError(`scopes: your role (${actor.ctx.role}) cannot grant ${beyond.join(', ')}`, { scopes: `Your role (${actor.ctx.role}) cannot grant ${beyond.join(', ')}` })
  // A key made with a key never holds a scope its maker's key lacks.
  if (actor.ctx.via === 'apiKey' && actor.ctx.scopes?.length) {
    const lacking = input.scopes.filter((s) => !actor.ctx.scopes!.includes(s))
    if (lacking.length) throw new ValidationError(`scopes: the key you call with lacks ${lacking.join(', ')}`, { scopes: `The key you call with lacks ${lacking.join(', ')}` })
  }
  const role = roleForScopes(input.scopes)
  const key = generateApiKey()
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null
  const row = await deps.prisma.apiKey.create({
    data: { tenantId, userId, createdById: userId, name: input.name, prefix: displayPrefix(key), hash: hashApiKey(key), role, scopes: input.scopes, expiresAt },
  })
  await recordAudit(deps.prisma, {
    tenantId,
    actor: actorOf(actor.ctx),
    action: 'apikey.created',
    target: `apikey:${row.id}`,
    ip: actor.ip,
    data: { name: row.name, prefix: row.prefix, scopes: row.scopes, role, expiresAt: expiresAt?.toISOString() ?? null },
  })
  const [apiKey] = (await listApiKeys(deps, { ...actor, ctx: { ...actor.ctx, role: 'admin' } })).filter((k) => k.id === row.id)
  return { key, apiKey }
}

/** The creator or an admin revokes; anyone else is told it does not exist (they cannot see it either). */
export async function revokeApiKey(deps: WorkspaceDeps, actor: Actor, id: string): Promise<void> {
  const { tenantId, userId } = actor.ctx
  const row = await deps.prisma.apiKey.findFirst({ where: { id, tenantId } })
  const own = !!userId && (row?.createdById === userId || row?.userId === userId)
  if (!row || (!own && !isAdmin(actor))) throw new NotFoundError('API key')
  if (!row.revokedAt) await deps.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } })
  await publishAccessChange(deps.redis)
  await recordAudit(deps.prisma, { tenantId, actor: actorOf(actor.ctx), action: 'apikey.revoked', target: `apikey:${id}`, ip: actor.ip, data: { name: row.name, prefix: row.prefix } })
}
