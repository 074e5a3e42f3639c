// `npm run backup [-- <file.tar.gz>] [--method auto|physical|pg_dump]`: the database and the generated secrets in one
// archive (lib/infra/backup). See docs/operations.md, "Backup and restore".
import path from 'node:path'
import { parseArgs } from 'node:util'
import { readEnv } from '../lib/env'
import { createBackup } from '../lib/infra/backup/create'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { method: { type: 'string', default: 'auto' } } })
if (!['auto', 'physical', 'pg_dump'].includes(values.method!)) {
  console.error(`--method must be auto, physical or pg_dump, got "${values.method}"`)
  process.exit(2)
}
const e = readEnv()
const out = path.resolve(positionals[0] ?? `auterity-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.tar.gz`)
try {
  const r = await createBackup({
    out,
    dataDir: e.dataDir,
    databaseUrl: e.databaseUrl,
    encryptionKey: e.encryptionKey,
    keyFromEnvironment: Boolean(process.env.AUTERITY_ENCRYPTION_KEY),
    method: values.method as 'auto' | 'physical' | 'pg_dump',
    log: (line) => console.log(`[backup] ${line}`),
  })
  console.log(`[backup] wrote ${r.file} (${r.manifest.method}, PostgreSQL ${r.manifest.postgres.serverVersion}, ${r.manifest.migrations.length} migrations, ${r.manifest.parts.length} parts)`)
  console.warn(r.keyWarning)
} catch (err) {
  console.error(`[backup] failed: ${(err as Error).message}`)
  process.exit(1)
}
