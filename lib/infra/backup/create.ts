// `npm run backup`: the database and the generated secrets in one .tar.gz with a manifest (manifest.ts).
// The route: the embedded server (no DATABASE_URL) and any server whose pg_dump here is too old or missing get an
// online physical copy of the data directory (physical.ts); an external server with a matching pg_dump gets a dump.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { localSecrets } from '../../env'
import { keyId, parseKey } from '../../credentials/crypto'
import { EMBEDDED_PASSWORD, EMBEDDED_USER, startEmbeddedPostgres, withDatabase, type RunningPostgres } from '../postgres'
import { clientMajor, dumpDatabase } from './dump'
import { describeDatabase, MANIFEST_FORMAT, type BackupManifest } from './manifest'
import { archiveDataDirectory, type ArchivedFile } from './physical'
import { TarGzWriter } from './tar'
import { projectRoot } from '../../paths'

export const APP_DATABASE = 'auterity'

export interface BackupOptions {
  /** The archive to write (refused if it exists). */
  out: string
  /** AUTERITY_DATA_DIR: the embedded server's data and secrets.json. */
  dataDir: string
  /** DATABASE_URL; unset: the embedded server of dataDir (found running, else started for the backup). */
  databaseUrl?: string
  /** The master key in force (AUTERITY_ENCRYPTION_KEY or the generated one), for the key fingerprint. */
  encryptionKey?: string
  /** True when the key came from the environment: it is then not written into the archive. */
  keyFromEnvironment: boolean
  method?: 'auto' | 'physical' | 'pg_dump'
  log?: (line: string) => void
}

export interface BackupResult {
  file: string
  manifest: BackupManifest
  /** Printed by the script: what the archive lets a restore decrypt, or not. */
  keyWarning: string
}

/** The port of the embedded server running on dataDir, from its postmaster.pid, when its process is alive. */
function runningEmbeddedPort(dataDir: string): number | undefined {
  try {
    const lines = fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')
    process.kill(Number(lines[0]), 0)
    return Number(lines[3])
  } catch {
    return undefined
  }
}

async function serverFacts(url: string): Promise<{ major: number; dataDirectory?: string }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const major = Math.floor(Number((await client.query(`SELECT current_setting('server_version_num') AS v`)).rows[0].v) / 10000)
    const dir = await client.query(`SELECT current_setting('data_directory') AS d`).catch(() => undefined)
    return { major, dataDirectory: dir?.rows[0].d }
  } finally {
    await client.end()
  }
}

export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  const log = opts.log ?? (() => {})
  if (fs.existsSync(opts.out)) throw new Error(`${opts.out} already exists: choose another file name (a backup never overwrites one)`)
  let embedded: RunningPostgres | undefined
  let adminUrl: string
  let appUrl: string
  let dataDirectory: string | undefined
  if (opts.databaseUrl) {
    appUrl = opts.databaseUrl
    adminUrl = opts.databaseUrl
  } else {
    const port = runningEmbeddedPort(opts.dataDir)
    if (port) adminUrl = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`
    else {
      if (!fs.existsSync(path.join(opts.dataDir, 'postgres', 'PG_VERSION'))) throw new Error(`no database to back up: ${opts.dataDir}/postgres holds no PostgreSQL data and DATABASE_URL is not set`)
      log('PostgreSQL: starting the embedded server for the backup')
      embedded = await startEmbeddedPostgres(opts.dataDir)
      adminUrl = embedded.adminUrl
    }
    appUrl = withDatabase(adminUrl, APP_DATABASE)
    dataDirectory = path.join(opts.dataDir, 'postgres')
  }

  const tmpOut = `${opts.out}.partial-${process.pid}`
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auterity-backup-'))
  try {
    const facts = await serverFacts(adminUrl)
    let method = opts.method ?? 'auto'
    if (method === 'auto') {
      const dumpMajor = opts.databaseUrl ? clientMajor('pg_dump') : undefined
      method = dumpMajor !== undefined && dumpMajor >= facts.major ? 'pg_dump' : 'physical'
    }
    if (method === 'physical') {
      dataDirectory ??= facts.dataDirectory
      if (!dataDirectory || !fs.existsSync(path.join(dataDirectory, 'PG_VERSION'))) {
        throw new Error(
          `cannot back up PostgreSQL ${facts.major}: pg_dump ${facts.major} or newer is not installed here (Debian: apt-get install postgresql-client-${facts.major}) and its data directory is not readable from this machine`,
        )
      }
    } else if ((clientMajor('pg_dump') ?? 0) < facts.major) {
      throw new Error(`pg_dump ${clientMajor('pg_dump') ?? '(not installed)'} cannot dump PostgreSQL ${facts.major}: install postgresql-client-${facts.major}`)
    }
    log(`PostgreSQL ${facts.major}: ${method === 'physical' ? `online copy of ${dataDirectory}` : 'pg_dump'}`)

    const described = await describeDatabase(appUrl, opts.encryptionKey)
    const stored = localSecrets(opts.dataDir)
    const secretsFile = path.join(opts.dataDir, 'secrets.json')
    const includeSecrets = fs.existsSync(secretsFile) && !opts.keyFromEnvironment

    const tar = new TarGzWriter(fs.createWriteStream(tmpOut, { mode: 0o600 }))
    const parts: ArchivedFile[] = []
    if (includeSecrets) parts.push({ path: 'secrets.json', ...(await tar.buffer('secrets.json', fs.readFileSync(secretsFile))) })
    if (method === 'physical') {
      await tar.directory('database')
      parts.push(...(await archiveDataDirectory(adminUrl, dataDirectory!, tar, 'database/pgdata')))
    } else {
      const dump = path.join(tmpDir, 'auterity.dump')
      dumpDatabase(appUrl, dump)
      const r = await tar.file('database/auterity.dump', dump)
      parts.push({ path: 'database/auterity.dump', ...r! })
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { name: string; version: string }
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      createdAt: new Date().toISOString(),
      app: { name: pkg.name, version: pkg.version },
      method,
      postgres: described.postgres,
      migrations: described.migrations,
      encryption: { requiredKeyIds: described.requiredKeyIds, secretsIncluded: includeSecrets },
      parts,
    }
    await tar.buffer('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)))
    await tar.close()
    fs.renameSync(tmpOut, opts.out)

    const fingerprint = opts.encryptionKey ? keyId(parseKey(opts.encryptionKey)) : stored.encryptionKey ? keyId(parseKey(stored.encryptionKey)) : undefined
    const keyWarning = includeSecrets
      ? `WARNING: this archive CONTAINS the encryption key (secrets.json, fingerprint ${fingerprint}): anyone holding it can decrypt the stored credentials. Keep it as safe as the key itself.`
      : `WARNING: this archive does NOT contain the encryption key${fingerprint ? ` (fingerprint ${fingerprint})` : ''}: the stored credentials cannot be decrypted without it. Keep AUTERITY_ENCRYPTION_KEY somewhere safe, apart from this archive.`
    return { file: opts.out, manifest, keyWarning }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true })
    fs.rmSync(tmpOut, { force: true })
    await embedded?.stop()
  }
}
