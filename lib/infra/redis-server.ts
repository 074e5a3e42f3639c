// Finds or starts a Redis: REDIS_URL if given, else one answering on 127.0.0.1:6379, else `redis-server`
// from PATH on a free port with its data under <dataDir>/redis. Never hangs: each probe is bounded.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { canConnect, freePort } from './net'

export interface RunningRedis {
  url: string
  /** Set when we started the server ourselves. */
  process?: ChildProcess
  stop(): Promise<void>
}

export class RedisUnavailableError extends Error {}

export const INSTALL_REDIS_HINT =
  'No Redis found: set REDIS_URL, or install Redis 7 (Debian/Ubuntu: `sudo apt-get install -y redis-server`; macOS: `brew install redis`) and run `npm start` again.'

export async function findOrStartRedis(dataDir: string, opts: { preferExisting?: boolean } = {}): Promise<RunningRedis> {
  if (opts.preferExisting !== false && (await canConnect('127.0.0.1', 6379))) {
    return { url: 'redis://127.0.0.1:6379', stop: async () => {} }
  }
  return startRedisServer(dataDir)
}

/** `extraArgs` come last, so they override the defaults (tests start servers without persistence, with eviction…). */
export async function startRedisServer(dataDir: string, port?: number, extraArgs: string[] = []): Promise<RunningRedis> {
  const which = spawnSync('/bin/sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' })
  const bin = (which.stdout ?? '').trim()
  if (!bin) throw new RedisUnavailableError(INSTALL_REDIS_HINT)
  const dir = path.join(dataDir, 'redis')
  fs.mkdirSync(dir, { recursive: true })
  const p = port ?? (await freePort())
  const child = spawn(bin, ['--port', String(p), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no', ...extraArgs], {
    stdio: 'ignore',
  })
  const deadline = Date.now() + 10_000
  while (!(await canConnect('127.0.0.1', p, 200))) {
    if (child.exitCode !== null) throw new RedisUnavailableError(`redis-server exited with code ${child.exitCode}. ${INSTALL_REDIS_HINT}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new RedisUnavailableError(`redis-server did not answer on port ${p} within 10 s`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url: `redis://127.0.0.1:${p}`,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
