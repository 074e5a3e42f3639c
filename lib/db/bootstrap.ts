// First start on an empty database: a default tenant and an owner account. Given credentials
// (AUTERITY_ADMIN_EMAIL / _PASSWORD / AUTERITY_API_KEY) are used; missing ones are generated and returned
// so the launcher can print them once.
import { randomBytes } from 'node:crypto'
import { displayPrefix, generateApiKey, hashApiKey } from '../auth/api-keys'
import { hashPassword } from '../auth/password'
import type { Role } from '../auth/roles'
import type { PrismaClient } from './generated/client'

export interface BootstrapResult {
  created: boolean
  tenantId: string
  email?: string
  /** Only when generated here: printed once, never stored in plaintext. */
  generatedPassword?: string
  generatedApiKey?: string
}

export async function bootstrapOwner(
  prisma: PrismaClient,
  opts: { email?: string; password?: string; apiKey?: string },
): Promise<BootstrapResult> {
  const existing = await prisma.tenant.findFirst({ orderBy: { createdAt: 'asc' } })
  if (existing) {
    // A key given in the environment is always accepted, even if added after the first start.
    if (opts.apiKey) await ensureApiKey(prisma, existing.id, opts.apiKey, 'From AUTERITY_API_KEY')
    return { created: false, tenantId: existing.id }
  }
  const email = (opts.email ?? 'admin@localhost').toLowerCase()
  const password = opts.password ?? randomBytes(12).toString('base64url')
  const apiKey = opts.apiKey ?? generateApiKey()
  const tenant = await createTenantWithOwner(prisma, { tenantName: 'Default', email, password, apiKey, role: 'owner' })
  return {
    created: true,
    tenantId: tenant.tenantId,
    email,
    generatedPassword: opts.password ? undefined : password,
    generatedApiKey: opts.apiKey ? undefined : apiKey,
  }
}

export async function createTenantWithOwner(
  prisma: PrismaClient,
  opts: { tenantName: string; email: string; password: string; apiKey: string; role?: Role },
): Promise<{ tenantId: string; userId: string }> {
  const slug = `${opts.tenantName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomBytes(3).toString('hex')}`
  const passwordHash = await hashPassword(opts.password)
  return prisma.$transaction(async (tx) => {
    const tenant = await tx.tenant.create({ data: { name: opts.tenantName, slug } })
    const user = await tx.user.upsert({ where: { email: opts.email }, update: {}, create: { email: opts.email, passwordHash, name: opts.email.split('@')[0] } })
    await tx.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: opts.role ?? 'owner' } })
    await tx.apiKey.create({
      data: { tenantId: tenant.id, userId: user.id, name: 'Default key', prefix: displayPrefix(opts.apiKey), hash: hashApiKey(opts.apiKey), role: opts.role ?? 'owner' },
    })
    return { tenantId: tenant.id, userId: user.id }
  })
}

async function ensureApiKey(prisma: PrismaClient, tenantId: string, key: string, name: string): Promise<void> {
  const hash = hashApiKey(key)
  if (await prisma.apiKey.findUnique({ where: { hash } })) return
  await prisma.apiKey.create({ data: { tenantId, name, prefix: displayPrefix(key), hash, role: 'owner' } })
}
