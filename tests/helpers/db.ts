// A fresh PostgreSQL database per test file (cloned from the migrated template made in global-setup),
// a fresh BullMQ/Redis prefix, and the process env pointing at them.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { displayPrefix, generateApiKey, hashApiKey } from '../../lib/auth/api-keys'
import type { Role } from '../../lib/auth/roles'
import { createTenantWithOwner } from '../../lib/db/bootstrap'
import { closeWebPrisma, createPrisma, type PrismaClient } from '../../lib/db/client'
import { resetEnv } from '../../lib/env'
import { dropDatabase, withDatabase } from '../../lib/infra/postgres'
import { createRedis } from '../../lib/redis'

export interface TestDatabase {
  name: string
  url: string
  prisma: PrismaClient
  drop(): Promise<void>
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl')
  const template = inject('pgTemplate')
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    // CREATE DATABASE … TEMPLATE fails while anything else is connected to the template: retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
        break
      } catch (err) {
        if ((err as { code?: string }).code !== '55006' || attempt > 50) throw err
        await new Promise((r) => setTimeout(r, 100))
      }
    }
  } finally {
    await client.end()
  }
  const url = withDatabase(adminUrl, name)
  const prisma = createPrisma(url, { max: 5 })
  return {
    name,
    url,
    prisma,
    async drop() {
      await prisma.$disconnect()
      await dropDatabase(adminUrl, name)
    },
  }
}

export function testRedisUrl(): string {
  return inject('redisUrl')
}

export interface TestRedisPrefix {
  prefix: string
  cleanup(): Promise<void>
}

export function createTestRedisPrefix(): TestRedisPrefix {
  const prefix = `test-${randomBytes(5).toString('hex')}`
  return {
    prefix,
    async cleanup() {
      const redis = createRedis(testRedisUrl())
      try {
        let cursor = '0'
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
          cursor = next
          if (keys.length) await redis.del(...keys)
        } while (cursor !== '0')
      } finally {
        redis.disconnect()
      }
    },
  }
}

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64')
export const TEST_NEXTAUTH_SECRET = 'test-nextauth-secret'

/**
 * Points this test file's process at its own database and Redis prefix, so code that reads lib/env
 * (getPrisma, queues, route handlers) uses them. Call in beforeAll; await teardown() in afterAll.
 */
export async function useTestEnv(extra: Record<string, string> = {}) {
  const db = await createTestDatabase()
  const redis = createTestRedisPrefix()
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    AUTERITY_QUEUE_PREFIX: redis.prefix,
    AUTERITY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    NEXTAUTH_SECRET: TEST_NEXTAUTH_SECRET,
    AUTERITY_HTTP_ALLOWLIST: '',
    ...extra,
  })
  resetEnv()
  return {
    db,
    redis,
    async teardown() {
      await closeWebPrisma()
      await redis.cleanup()
      await db.drop()
    },
  }
}

export interface SeededTenant {
  tenantId: string
  userId: string
  apiKey: string
  email: string
  password: string
  /** Headers for calling route handlers as this tenant. */
  headers: Record<string, string>
}

export async function seedTenant(prisma: PrismaClient, opts: { name?: string; role?: Role } = {}): Promise<SeededTenant> {
  const apiKey = generateApiKey()
  const email = `user-${randomBytes(4).toString('hex')}@example.test`
  const password = 'correct horse battery staple'
  const { tenantId, userId } = await createTenantWithOwner(prisma, { tenantName: opts.name ?? 'Test', email, password, apiKey, role: opts.role })
  return { tenantId, userId, apiKey, email, password, headers: { authorization: `Bearer ${apiKey}` } }
}

/** Another member of a seeded tenant with `role`, calling with an API key of that role. */
export async function addMember(prisma: PrismaClient, tenant: SeededTenant, role: Role): Promise<SeededTenant> {
  const user = await prisma.user.create({ data: { email: `${role}-${randomBytes(4).toString('hex')}@example.test` } })
  await prisma.membership.create({ data: { tenantId: tenant.tenantId, userId: user.id, role } })
  const apiKey = generateApiKey()
  await prisma.apiKey.create({ data: { tenantId: tenant.tenantId, userId: user.id, name: role, prefix: displayPrefix(apiKey), hash: hashApiKey(apiKey), role } })
  return { ...tenant, userId: user.id, apiKey, headers: { authorization: `Bearer ${apiKey}` } }
}
