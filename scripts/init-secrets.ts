// Compose's one-shot `secrets` service: on the first start, generates into AUTERITY_DATA_DIR (a volume every service
// mounts) the studio's secrets.json (AUTERITY_ENCRYPTION_KEY and NEXTAUTH_SECRET, which lib/env reads when the
// environment does not set them) and db-password (POSTGRES_PASSWORD from the environment, else random), then exits.
// Later starts keep both: losing the encryption key makes every stored credential unreadable.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { readEnv } from '../lib/env'
import { loadOrCreateSecrets } from '../lib/infra/secrets'

const { dataDir } = readEnv()
const had = fs.existsSync(path.join(dataDir, 'secrets.json'))
loadOrCreateSecrets(dataDir)
const dbPassword = path.join(dataDir, 'db-password')
if (!fs.existsSync(dbPassword)) {
  // Hex: it goes into DATABASE_URL unescaped. Readable by the postgres image's user (another uid) on this volume.
  fs.writeFileSync(dbPassword, process.env.POSTGRES_PASSWORD || randomBytes(24).toString('hex'), { mode: 0o644 })
}
console.log(had ? `secrets: kept ${dataDir}/secrets.json` : `secrets: generated ${dataDir}/secrets.json and ${dataDir}/db-password (back them up: npm run backup)`)
if (process.env.AUTERITY_ENCRYPTION_KEY) console.log('secrets: AUTERITY_ENCRYPTION_KEY is set in the environment and wins over the generated one')
