// pg_dump / pg_restore for a PostgreSQL server this machine has a matching client for (an external server).
import { spawnSync } from 'node:child_process'

/** The major version of a client tool on PATH, or undefined when it is not installed. */
export function clientMajor(tool: 'pg_dump' | 'pg_restore'): number | undefined {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' })
  if (r.status !== 0) return undefined
  const m = /(\d+)(?:\.\d+)?/.exec(r.stdout)
  return m ? Number(m[1]) : undefined
}

function run(tool: string, args: string[]): void {
  const r = spawnSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  if (r.status !== 0) throw new Error(`${tool} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.error?.message || '').trim().slice(-2000)}`)
}

/** Custom-format dump of one database, without owners or grants (the restoring role owns what it restores). */
export function dumpDatabase(url: string, file: string): void {
  run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${url}`])
}

export function restoreDatabase(url: string, file: string): void {
  run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${url}`, file])
}
