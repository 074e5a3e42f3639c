// Applies migrations and creates the first owner on an empty database: for deployments that start the
// processes one by one (compose, Kubernetes) instead of `npm start`.
import { createPrisma } from '../lib/db/client'
import { bootstrapOwner } from '../lib/db/bootstrap'
import { migrate } from '../lib/db/migrate'
import { readEnv, requireDatabaseUrl } from '../lib/env'

const url = requireDatabaseUrl()
// Started beside PostgreSQL (compose, a Kubernetes Job), it may come up first: connection failures and "the database
// system is starting up" are retried for AUTERITY_MIGRATE_WAIT_S (60 s); anything else fails at once.
const waitMs = Number(process.env.AUTERITY_MIGRATE_WAIT_S ?? 60) * 1000
const transient = (err: unknown) => {
  const code = (err as { code?: string }).code ?? ''
  return ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', '57P03'].includes(code)
}
let applied: string[]
for (const started = Date.now(); ; ) {
  try {
    applied = await migrate(url)
    break
  } catch (err) {
    if (!transient(err)) throw err
    if (Date.now() - started > waitMs) {
      console.error(`migrate: PostgreSQL did not answer within ${waitMs / 1000} s (AUTERITY_MIGRATE_WAIT_S): ${(err as Error).message}`)
      process.exit(1)
    }
    console.log(`waiting for PostgreSQL (${(err as Error).message})`)
    await new Promise((r) => setTimeout(r, 2000))
  }
}
console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date')
const e = readEnv()
const prisma = createPrisma(url, { max: 1 })
const owner = await bootstrapOwner(prisma, { email: e.adminEmail, password: e.adminPassword, apiKey: e.apiKey })
if (owner.created) {
  console.log(`created the Default tenant and its owner ${owner.email} (shown once)`)
  if (owner.generatedPassword) console.log(`  password: ${owner.generatedPassword}`)
  if (owner.generatedApiKey) console.log(`  API key:  ${owner.generatedApiKey}`)
}
await prisma.$disconnect()
