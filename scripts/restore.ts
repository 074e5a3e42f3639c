// `npm run restore -- <file.tar.gz> [--data-dir DIR] [--database-url URL] [--force]`: checks the whole archive
// (checksums, schema, encryption key) before it writes anything, then restores into a fresh data folder
// (lib/infra/backup). See docs/operations.md, "Backup and restore".
import { parseArgs } from 'node:util'
import { readEnv } from '../lib/env'
import { RestoreRefusedError } from '../lib/infra/backup/manifest'
import { restoreBackup } from '../lib/infra/backup/restore'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, force: { type: 'boolean', default: false } },
})
if (positionals.length !== 1) {
  console.error('usage: npm run restore -- <backup.tar.gz> [--data-dir DIR] [--database-url URL] [--force]')
  process.exit(2)
}
if (values['data-dir']) process.env.AUTERITY_DATA_DIR = values['data-dir']
const e = readEnv()
const envKeys = [process.env.AUTERITY_ENCRYPTION_KEY, process.env.AUTERITY_ENCRYPTION_KEY_NEXT, process.env.AUTERITY_ENCRYPTION_KEY_PREVIOUS].filter((k): k is string => Boolean(k))
try {
  const r = await restoreBackup({
    archive: positionals[0],
    dataDir: e.dataDir,
    databaseUrl: values['database-url'] ?? e.databaseUrl,
    force: values.force,
    envKeys: process.env.AUTERITY_ENCRYPTION_KEY ? envKeys : [],
    log: (line) => console.log(`[restore] ${line}`),
  })
  console.log(`[restore] restored the ${r.manifest.method === 'physical' ? `data directory into ${e.dataDir}/postgres` : 'database'}${r.manifest.encryption.secretsIncluded ? ` and ${e.dataDir}/secrets.json` : ''}`)
  if (r.setAside) console.log(`[restore] the data it replaced is in ${r.setAside}`)
  if (!r.manifest.encryption.secretsIncluded) console.warn('[restore] the archive held no encryption key: start the studio with the same AUTERITY_ENCRYPTION_KEY as before, or credentials cannot be decrypted')
} catch (err) {
  console.error(err instanceof RestoreRefusedError ? `[restore] ${err.message}` : `[restore] failed: ${(err as Error).message}`)
  process.exit(1)
}
