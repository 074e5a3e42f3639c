// The one module that reads process.env. Everything else receives config from here (or from its caller).
import fs from 'node:fs'
import path from 'node:path'

function int(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${raw}"`)
  return n
}

function list(name: string): string[] {
  return (process.env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean)
}

function bool(name: string): boolean {
  return /^(1|true|yes)$/i.test(process.env[name] ?? '')
}

/** Secrets `npm start` generated on this machine, so processes started one by one here find them too. */
function localSecrets(dataDir: string): { encryptionKey?: string; nextAuthSecret?: string } {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'))
  } catch {
    return {}
  }
}

export function readEnv() {
  const dataDir = path.resolve(process.env.AUTERITY_DATA_DIR ?? '.data')
  const needLocal = !process.env.AUTERITY_ENCRYPTION_KEY || !process.env.NEXTAUTH_SECRET
  const local = needLocal ? localSecrets(dataDir) : {}
  return {
    dataDir,
    /** Unset: the launcher starts embedded PostgreSQL and sets it for its children. */
    databaseUrl: process.env.DATABASE_URL,
    /** Unset: the launcher finds or starts a Redis and sets it for its children. */
    redisUrl: process.env.REDIS_URL,
    port: int('PORT', 3000),
    host: process.env.HOST ?? '127.0.0.1',
    publicUrl: process.env.NEXTAUTH_URL ?? `http://localhost:${int('PORT', 3000)}`,
    /** 32 bytes, base64 or hex. Unset: generated into .data/ on first start by the launcher. */
    encryptionKey: process.env.AUTERITY_ENCRYPTION_KEY ?? local.encryptionKey,
    nextAuthSecret: process.env.NEXTAUTH_SECRET ?? local.nextAuthSecret,
    adminEmail: process.env.AUTERITY_ADMIN_EMAIL,
    adminPassword: process.env.AUTERITY_ADMIN_PASSWORD,
    apiKey: process.env.AUTERITY_API_KEY,
    http: {
      allowPrivateNetworks: bool('AUTERITY_HTTP_ALLOW_PRIVATE'),
      /** Hostnames, host:port pairs or CIDRs that outbound HTTP may reach even if private. */
      allowList: list('AUTERITY_HTTP_ALLOWLIST'),
    },
    webhook: {
      bodyLimitBytes: int('AUTERITY_WEBHOOK_BODY_LIMIT', 16 * 1024 * 1024),
    },
    worker: {
      concurrency: int('AUTERITY_WORKER_CONCURRENCY', 20),
      /** How long a job's lock lives without renewal; a dead worker's job is taken up after about this long. */
      lockDurationMs: int('AUTERITY_WORKER_LOCK_MS', 30_000),
      stalledIntervalMs: int('AUTERITY_WORKER_STALLED_MS', 30_000),
      attempts: int('AUTERITY_JOB_ATTEMPTS', 3),
      /** SIGTERM waits this long for running jobs; the rest are redelivered once their lock expires. Below
       * `npm start`'s 30 s before it SIGKILLs a child. */
      drainMs: int('AUTERITY_WORKER_DRAIN_MS', 25_000),
    },
    sandbox: {
      /** Child processes running Code nodes per worker; unset: sized from the worker's concurrency; 0: in process. */
      processes: process.env.AUTERITY_SANDBOX_PROCESSES ? int('AUTERITY_SANDBOX_PROCESSES', 2) : undefined,
      /** A Code child process whose resident memory passes this is replaced after its running calls. */
      maxRssMb: int('AUTERITY_SANDBOX_MAX_RSS_MB', 1536),
    },
    queuePrefix: process.env.AUTERITY_QUEUE_PREFIX ?? 'auterity',
    chromiumPath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
    logLevel: process.env.LOG_LEVEL ?? 'info',
  }
}

export type Env = ReturnType<typeof readEnv>

let cached: Env | undefined
/** Read once per process; tests that change process.env call resetEnv(). */
export function env(): Env {
  cached ??= readEnv()
  return cached
}
export function resetEnv(): void {
  cached = undefined
}

export function requireDatabaseUrl(): string {
  const url = env().databaseUrl
  if (!url) throw new Error('DATABASE_URL is not set: start the studio with `npm start` (it provides one) or set it')
  return url
}
export function requireRedisUrl(): string {
  const url = env().redisUrl
  if (!url) throw new Error('REDIS_URL is not set: start the studio with `npm start` (it provides one) or set it')
  return url
}
