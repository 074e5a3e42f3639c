// What a backup archive says about itself (manifest.json, its last entry), and the checks a restore makes on it
// before anything is written where the data will live.
import pg from 'pg'
import { readMigrations } from '../../db/migrate'
import { keyId, parseKey } from '../../credentials/crypto'

export const MANIFEST_FORMAT = 'auterity-backup/1'

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT
  createdAt: string
  app: { name: string; version: string }
  /** `physical`: a copy of the data directory under database/pgdata; `pg_dump`: database/auterity.dump (custom format). */
  method: 'physical' | 'pg_dump'
  postgres: { serverVersion: string; serverVersionNum: number; database: string }
  /** _auterity_migrations of the backed-up database, in order. */
  migrations: Array<{ name: string; checksum: string }>
  encryption: {
    /** Fingerprints (lib/credentials/crypto keyId) of the master keys the stored secrets need. */
    requiredKeyIds: string[]
    /** Whether secrets.json (the generated AUTERITY_ENCRYPTION_KEY and NEXTAUTH_SECRET) is in the archive. */
    secretsIncluded: boolean
  }
  /** Every file in the archive but this one. */
  parts: Array<{ path: string; size: number; sha256: string }>
}

export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(`refusing to restore: ${message}`)
  }
}

/** The facts of a live database a manifest records. */
export async function describeDatabase(url: string, currentKey: string | undefined) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const version = await client.query<{ server_version: string; num: string; db: string }>(
      `SELECT current_setting('server_version') AS server_version, current_setting('server_version_num') AS num, current_database() AS db`,
    )
    const migrations = (
      await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM _auterity_migrations ORDER BY name').catch((err: { code?: string }) => {
        if (err.code === '42P01') throw new Error(`database ${version.rows[0].db} has no _auterity_migrations table: it is not an Auterity database, or it was never migrated`)
        throw err
      })
    ).rows
    const ids = new Set<string>()
    const exists = async (table: string) => (await client.query('SELECT to_regclass($1) IS NOT NULL AS ok', [`"${table}"`])).rows[0].ok as boolean
    if (await exists('WorkspaceKey')) for (const r of (await client.query('SELECT DISTINCT "masterKeyId" AS id FROM "WorkspaceKey"')).rows) ids.add(r.id)
    if (await exists('User')) {
      const totp = await client.query(`SELECT DISTINCT split_part("totpSecret", '.', 1) AS id FROM "User" WHERE "totpSecret" LIKE '%.%'`).catch(() => ({ rows: [] }))
      for (const r of totp.rows as Array<{ id: string }>) ids.add(r.id)
    }
    // Secrets sealed by the master key itself before envelope encryption name no key: they need the one in use.
    const legacy = (await exists('Credential')) && (await client.query('SELECT 1 FROM "Credential" WHERE "keyVersion" = 0 LIMIT 1')).rowCount
    if (legacy && currentKey) ids.add(keyId(parseKey(currentKey)))
    return {
      postgres: { serverVersion: version.rows[0].server_version, serverVersionNum: Number(version.rows[0].num), database: version.rows[0].db },
      migrations,
      requiredKeyIds: [...ids].sort(),
    }
  } finally {
    await client.end()
  }
}

export function parseManifest(raw: Buffer | undefined): BackupManifest {
  if (!raw) throw new RestoreRefusedError('the archive is corrupt or truncated: it has no manifest.json (a backup writes it last)')
  let m: BackupManifest
  try {
    m = JSON.parse(raw.toString('utf8')) as BackupManifest
  } catch {
    throw new RestoreRefusedError('the archive is corrupt: manifest.json is not valid JSON')
  }
  if (m.format !== MANIFEST_FORMAT) throw new RestoreRefusedError(`the archive's format is ${JSON.stringify(m.format)}, this code reads ${MANIFEST_FORMAT}`)
  return m
}

/** Every part present with its size and sha256, and nothing else. */
export function checkParts(m: BackupManifest, seen: Map<string, { size: number; sha256: string }>): void {
  for (const part of m.parts) {
    const got = seen.get(part.path)
    if (!got) throw new RestoreRefusedError(`the archive is corrupt or truncated: ${part.path} is listed in its manifest but missing`)
    if (got.size !== part.size || got.sha256 !== part.sha256) throw new RestoreRefusedError(`the archive is corrupt: the checksum of ${part.path} does not match its manifest`)
  }
  const listed = new Set(m.parts.map((p) => p.path))
  for (const name of seen.keys()) if (!listed.has(name)) throw new RestoreRefusedError(`the archive is corrupt: ${name} is not in its manifest`)
}

/** A backup from a newer schema would be opened by code that does not know its tables. */
export function checkSchema(m: BackupManifest, known = readMigrations()): void {
  const byName = new Map(known.map((k) => [k.name, k.checksum]))
  const unknown = m.migrations.filter((x) => !byName.has(x.name)).map((x) => x.name)
  if (unknown.length) {
    throw new RestoreRefusedError(`the backup is from a newer schema than this code knows (migrations ${unknown.join(', ')} are not in prisma/migrations): restore it with the Auterity version that made it (${m.app.version}) or newer`)
  }
  const changed = m.migrations.filter((x) => byName.get(x.name) !== x.checksum).map((x) => x.name)
  if (changed.length) throw new RestoreRefusedError(`migrations ${changed.join(', ')} differ between the backup and this code (checksums do not match)`)
}

export interface AvailableKeys {
  /** Keys from the environment (AUTERITY_ENCRYPTION_KEY and its _NEXT / _PREVIOUS): when the primary is set, these win. */
  env: string[]
  /** Keys from the archive's secrets.json. */
  archive: string[]
}

/** The master keys that will be in force after the restore must open every stored secret. */
export function checkKeys(m: BackupManifest, keys: AvailableKeys): void {
  const inForce = keys.env.length ? keys.env : keys.archive
  const ids = new Set(inForce.map((k) => keyId(parseKey(k))))
  const missing = m.encryption.requiredKeyIds.filter((id) => !ids.has(id))
  if (!missing.length) return
  const where = keys.env.length
    ? 'AUTERITY_ENCRYPTION_KEY (or _NEXT / _PREVIOUS) in the environment does not match it'
    : m.encryption.secretsIncluded
      ? "the archive's secrets.json does not hold it"
      : 'the archive holds no secrets (the key came from the environment when it was made) and AUTERITY_ENCRYPTION_KEY is not set'
  throw new RestoreRefusedError(
    `the stored credentials need the encryption key with fingerprint ${missing.join(', ')}, and ${where}. Set AUTERITY_ENCRYPTION_KEY to that key and run the restore again; without it the credentials cannot be decrypted`,
  )
}
