// Applies migrations and creates the first owner on an empty database: for deployments that start the
// processes one by one (compose, Kubernetes) instead of `npm start`.
import { createPrisma } from '../lib/db/client'
import { bootstrapOwner } from '../lib/db/bootstrap'
import { migrate } from '../lib/db/migrate'
import { readEnv, requireDatabaseUrl } from '../lib/env'

const url = requireDatabaseUrl()
const applied = await migrate(url)
console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date')
const e = readEnv()
const prisma = createPrisma(url, { max: 1 })
const owner = await bootstrapOwner(prisma, { email: e.adminEmail, password: e.adminPassword, apiKey: e.apiKey })
if (owner.created) {
  console.log(`created owner ${owner.email}`)
  if (owner.generatedPassword) console.log(`  password: ${owner.generatedPassword}`)
  if (owner.generatedApiKey) console.log(`  API key:  ${owner.generatedApiKey}`)
}
await prisma.$disconnect()
