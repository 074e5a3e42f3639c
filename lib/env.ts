// The one module that reads process.env. Everything else receives config from here (or from its caller).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DEFAULT_RUN_LIMITS } from './engine/limits'

function int(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${raw}"`)
  return n
}

/** A whole number in [0, max]: caps and durations, where a typo must not silently disable the cap. */
function count(name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = int(name, fallback)
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${name} must be a whole number from 0 to ${max}, got "${process.env[name]}"`)
  return n
}

/** 50 runs at once per core the process may use, from 20 to 200. */
export function defaultWorkerConcurrency(cores = os.availableParallelism()): number {
  return Math.max(20, Math.min(200, 50 * cores))
}

function list(name: string): string[] {
  return (process.env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean)
}

/** One entry of AUTERITY_CORS_ORIGINS, as browsers send it in Origin (no trailing slash). */
function corsOrigin(raw: string): string {
  const url = URL.parse(raw)
  if (!url || !/^https?:$/.test(url.protocol)) throw new Error(`AUTERITY_CORS_ORIGINS must list http(s) origins such as https://app.example.com, got "${raw}"`)
  return url.origin
}

/** An http(s) origin such as `https://hooks.example.com` (a trailing slash is fine, a path is not). */
function origin(name: string): string | undefined {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`${name} must be a URL such as https://hooks.example.com, got "${raw}"`)
  }
  if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new Error(`${name} must be an http(s) origin without a path, such as https://hooks.example.com, got "${raw}"`)
  }
  return url.origin
}

/** pino's level names, and `silent`. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/**
 * LOG_LEVEL, else by NODE_ENV: `debug` in development, `warn` under test (the suites stay quiet), `info` otherwise
 * (production, and a process started without NODE_ENV). Read on its own, without the rest of the environment, so
 * lib/log can make its logger before anything else is validated.
 */
export function readLogLevel(): string {
  const raw = process.env.LOG_LEVEL?.trim().toLowerCase()
  if (raw) {
    if (!LOG_LEVELS.includes(raw)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${process.env.LOG_LEVEL}"`)
    return raw
  }
  const mode = process.env.NODE_ENV
  return mode === 'development' ? 'debug' : mode === 'test' ? 'warn' : 'info'
}

/** AUTERITY_METRICS_TOKEN: the bearer token scrapers send; short tokens are refused (they can be guessed). */
function metricsToken(): string | undefined {
  const raw = process.env.AUTERITY_METRICS_TOKEN
  if (raw === undefined || raw === '') return undefined
  if (raw.length < 16) throw new Error('AUTERITY_METRICS_TOKEN must be at least 16 characters (for example `openssl rand -hex 32`)')
  return raw
}

function bool(name: string): boolean {
  return /^(1|true|yes)$/i.test(process.env[name] ?? '')
}

/**
 * Where spans go (lib/telemetry), as the OpenTelemetry SDKs read it: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given,
 * else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. Undefined (tracing off) when neither is set, or when
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none.
 */
function otlpTracesUrl(): string | undefined {
  if (bool('OTEL_SDK_DISABLED') || process.env.OTEL_TRACES_EXPORTER === 'none') return undefined
  const specific = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  const base = process.env.OTEL_EXPORTER_OTLP_ENDPOINT
  const [name, raw] = specific ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', specific] : base ? ['OTEL_EXPORTER_OTLP_ENDPOINT', base] : []
  if (!name || !raw) return undefined
  const url = URL.parse(raw)
  if (!url || !/^https?:$/.test(url.protocol)) throw new Error(`${name} must be an http(s) URL such as http://collector:4318, got "${raw}"`)
  return specific ? url.toString() : `${url.toString().replace(/\/+$/, '')}/v1/traces`
}

/** Secrets `npm start` generated on this machine, so processes started one by one here find them too. */
export function localSecrets(dataDir: string): { encryptionKey?: string; encryptionKeyNext?: string; encryptionKeyPrevious?: string; nextAuthSecret?: string } {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'))
  } catch {
    return {}
  }
}

export function readEnv() {
  const publicUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${int('PORT', 3000)}`
  const webhookUrl = origin('AUTERITY_WEBHOOK_URL')
  const dataDir = path.resolve(process.env.AUTERITY_DATA_DIR ?? '.data')
  const needLocal = !process.env.AUTERITY_ENCRYPTION_KEY || !process.env.NEXTAUTH_SECRET
  const local = needLocal ? localSecrets(dataDir) : {}
  const maxFileBytes = count('AUTERITY_MAX_FILE_BYTES', 2 * 1024 ** 3)
  return {
    dataDir,
    /** Unset: the launcher starts embedded PostgreSQL and sets it for its children. */
    databaseUrl: process.env.DATABASE_URL,
    /** Unset: the launcher finds or starts a Redis and sets it for its children. */
    redisUrl: process.env.REDIS_URL,
    port: int('PORT', 3000),
    host: process.env.HOST ?? '127.0.0.1',
    publicUrl,
    /** 32 bytes, base64 or hex. Unset: generated into .data/ on first start by the launcher. */
    encryptionKey: process.env.AUTERITY_ENCRYPTION_KEY ?? local.encryptionKey,
    /** Master keys also accepted while `npm run rotate-key` moves the vault to NEXT (lib/credentials/keyring.ts). */
    encryptionKeyNext: process.env.AUTERITY_ENCRYPTION_KEY ? process.env.AUTERITY_ENCRYPTION_KEY_NEXT : (process.env.AUTERITY_ENCRYPTION_KEY_NEXT ?? local.encryptionKeyNext),
    encryptionKeyPrevious: process.env.AUTERITY_ENCRYPTION_KEY ? process.env.AUTERITY_ENCRYPTION_KEY_PREVIOUS : (process.env.AUTERITY_ENCRYPTION_KEY_PREVIOUS ?? local.encryptionKeyPrevious),
    nextAuthSecret: process.env.NEXTAUTH_SECRET ?? local.nextAuthSecret,
    adminEmail: process.env.AUTERITY_ADMIN_EMAIL,
    adminPassword: process.env.AUTERITY_ADMIN_PASSWORD,
    apiKey: process.env.AUTERITY_API_KEY,
    http: {
      allowPrivateNetworks: bool('AUTERITY_HTTP_ALLOW_PRIVATE'),
      /** Hostnames, host:port pairs or CIDRs that outbound HTTP may reach even if private. */
      allowList: list('AUTERITY_HTTP_ALLOWLIST'),
    },
    /** Per-run caps handed to the engine by every host (worker, "test this step", sub-workflows). */
    limits: {
      maxItemsPerStep: count('AUTERITY_MAX_ITEMS_PER_STEP', DEFAULT_RUN_LIMITS.maxItemsPerStep),
      /** 0 = no limit; at most 2^31-1 ms (~24 days), the longest timer Node keeps. */
      maxRunMs: count('AUTERITY_MAX_RUN_MS', DEFAULT_RUN_LIMITS.maxRunMs, 2_147_483_647),
      /** Most iterations of one Loop Over Items node, over any node's own maxIterations. */
      maxLoopIterations: count('AUTERITY_MAX_LOOP_ITERATIONS', DEFAULT_RUN_LIMITS.maxLoopIterations),
    },
    /** Sub-workflows (Execute Workflow) and error workflows: a run nested deeper than this fails its calling step. */
    subWorkflows: { maxDepth: count('AUTERITY_MAX_SUBWORKFLOW_DEPTH', 10) },
    webhook: {
      /** A JSON, form or text body; in a multipart/form-data body, its fields together. */
      bodyLimitBytes: int('AUTERITY_WEBHOOK_BODY_LIMIT', 16 * 1024 * 1024),
      /** A whole multipart/form-data request, its files included (each file is also held to AUTERITY_MAX_FILE_BYTES). */
      uploadLimitBytes: count('AUTERITY_WEBHOOK_UPLOAD_LIMIT', maxFileBytes),
      /**
       * Webhooks' own public origin. Set: they are announced under it and answered only on its host, which serves
       * nothing else (server.ts, lib/http/request-router.ts). Unset: webhooks live on the studio's origin.
       */
      publicUrl: webhookUrl,
      /**
       * AUTERITY_TRUST_PROXY=1: a proxy in front sets X-Forwarded-For, and its last entry (the address the proxy saw)
       * is the caller's for a Webhook trigger's IP allowlist. Unset: the socket's address, and the header is ignored
       * (anyone can write it).
       */
      trustProxy: /^(1|true|yes)$/i.test(process.env.AUTERITY_TRUST_PROXY ?? ''),
      /** What webhook URLs are announced under (GET /api/workflows/:id). */
      baseUrl: webhookUrl ?? publicUrl.replace(/\/+$/, ''),
    },
    api: {
      /** JSON bodies of the authenticated API; 413 above it. */
      bodyLimitBytes: int('AUTERITY_API_BODY_LIMIT', 1024 * 1024),
      /** Endpoints that carry a whole graph or run input (workflow save, validate, run, test-step, LLM calls). */
      largeBodyLimitBytes: int('AUTERITY_API_LARGE_BODY_LIMIT', 16 * 1024 * 1024),
    },
    /** How long a web request waits for an unreachable dependency before answering 503. */
    failFast: {
      redisTimeoutMs: int('AUTERITY_REDIS_TIMEOUT_MS', 2000),
      dbConnectTimeoutMs: int('AUTERITY_DB_CONNECT_TIMEOUT_MS', 3000),
    },
    worker: {
      /** Runs one worker holds at once. A run mostly waits on PostgreSQL and Redis, so the default is 50 per core (20 to
       * 200): at 20, 50 webhook connections on 2 cores queued behind the slots (~700 against ~1,050 req/s at 100). */
      concurrency: count('AUTERITY_WORKER_CONCURRENCY', defaultWorkerConcurrency(), 10_000),
      /** How long a job's lock lives without renewal; a dead worker's job is taken up after about this long. */
      lockDurationMs: int('AUTERITY_WORKER_LOCK_MS', 30_000),
      stalledIntervalMs: int('AUTERITY_WORKER_STALLED_MS', 30_000),
      attempts: int('AUTERITY_JOB_ATTEMPTS', 3),
      /** A run's lease in PostgreSQL (renewed every third of it while the run goes on): a worker that could not renew
       * it for this long stops the run, and the reconciler resumes it elsewhere. */
      leaseMs: int('AUTERITY_WORKER_LEASE_MS', 30_000),
      /** SIGTERM waits this long for running jobs; the rest are redelivered once their lock expires. Below
       * `npm start`'s 30 s before it SIGKILLs a child. */
      drainMs: int('AUTERITY_WORKER_DRAIN_MS', 25_000),
    },
    /** Sharing the workers between workspaces and workflows (lib/queue/fairness.ts, workers/runtime/concurrency.ts). */
    fairness: {
      /** Runs a workspace may have waiting before its further runs queue behind other workspaces' (0: plain FIFO). */
      burst: int('AUTERITY_FAIR_BURST', 50),
      /** Runs of one workspace running at once, across all workers (0: no limit). A workflow's own limit is its
       * `settings.maxConcurrency`. */
      workspaceConcurrency: int('AUTERITY_WORKSPACE_CONCURRENCY', 0),
    },
    reconciler: {
      /** How often each worker looks for lost and stuck runs (one worker at a time does, under an advisory lock). */
      intervalMs: int('AUTERITY_RECONCILE_INTERVAL_MS', 15_000),
      /** A queued run older than this whose BullMQ job is gone (Redis restarted or evicted keys) is enqueued again. */
      queuedAfterMs: int('AUTERITY_RECONCILE_QUEUED_AFTER_MS', 60_000),
      /** Only runs created within this window are looked at (bounds the scan). */
      lookbackHours: int('AUTERITY_RECONCILE_LOOKBACK_HOURS', 72),
      /** A run claimed this many times without finishing is failed instead of resumed again. */
      maxDeliveries: int('AUTERITY_RECONCILE_MAX_DELIVERIES', 10),
    },
    sandbox: {
      /** Child processes running Code nodes per worker; unset: sized from the worker's concurrency; 0: in process. */
      processes: process.env.AUTERITY_SANDBOX_PROCESSES ? int('AUTERITY_SANDBOX_PROCESSES', 2) : undefined,
      /** A Code child process whose resident memory passes this is replaced after its running calls. */
      maxRssMb: int('AUTERITY_SANDBOX_MAX_RSS_MB', 1536),
    },
    /** Files as data (lib/files): where their bytes are kept and the largest one accepted. */
    files: {
      /** Unset: `<dataDir>/files`. `s3://bucket/prefix?endpoint=…&region=…` for S3-compatible storage (credentials from
       * the AWS SDK's usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), `file:///path` for another folder. */
      url: process.env.AUTERITY_FILES_URL || undefined,
      dataDir,
      maxFileBytes,
    },
    /** Schedule triggers (lib/services/schedules.ts, workers/runtime/schedules.ts). */
    schedules: {
      /** The workspace minimum between two fire times: activating a schedule that fires more often is refused. */
      minIntervalMs: count('AUTERITY_SCHEDULE_MIN_INTERVAL_MS', 10_000),
      /** How often each worker compares BullMQ's job schedulers with the registrations (besides change messages). */
      syncIntervalMs: count('AUTERITY_SCHEDULE_SYNC_MS', 30_000),
      /** The zone of a schedule whose node leaves `timezone` empty: TZ, else the system's. */
      defaultTimezone: process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    },
    queuePrefix: process.env.AUTERITY_QUEUE_PREFIX ?? 'auterity',
    chromiumPath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
    /** Browser steps (lib/browser): the worker's page cap, executables, step timeout and download cap. */
    browser: {
      /** Pages open at once per worker process, all runs together; more wait their turn (up to their timeout). */
      // Default: one per core (a page keeps about one core busy while it loads and renders; bench/browser.ts).
      maxPages: count('AUTERITY_BROWSER_MAX_PAGES', Math.min(8, os.availableParallelism()), 64) || 1,
      /** Chromium is found as the tests find it; Firefox and WebKit only when their executables are configured. */
      executables: {
        chromium: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
        firefox: process.env.AUTERITY_BROWSER_FIREFOX_PATH || undefined,
        webkit: process.env.AUTERITY_BROWSER_WEBKIT_PATH || undefined,
      },
      /** A browser step's default timeout (a node's own setting overrides it). */
      stepTimeoutMs: count('AUTERITY_BROWSER_STEP_TIMEOUT_MS', 30_000),
      /** Largest file a page may download into the run's files. */
      maxDownloadBytes: count('AUTERITY_BROWSER_MAX_DOWNLOAD_MB', 50) * 1024 * 1024,
      /** Pages a "test this step" in the web process may hold at once. */
      webMaxPages: count('AUTERITY_BROWSER_WEB_MAX_PAGES', 2, 16) || 1,
      /** Page Changed triggers: the shortest interval between two checks that activation accepts. */
      monitorMinIntervalMs: count('AUTERITY_PAGE_MONITOR_MIN_INTERVAL_MS', 60_000),
      /** How often each worker looks for Page Changed monitors that are due (besides change messages). */
      monitorPollMs: count('AUTERITY_PAGE_MONITOR_POLL_MS', 5_000) || 5_000,
    },
    /** Retrieval (lib/vector): where collections are stored and the limits on what goes in and what is asked. */
    vectors: {
      /** LanceDB storage: a folder (default .data/vectors) or an object-store URI (s3://bucket/prefix) shared by
       * several machines; S3 settings from AUTERITY_VECTOR_S3_* (endpoint, region, keys). */
      uri: process.env.AUTERITY_VECTOR_URI || path.join(dataDir, 'vectors'),
      s3: {
        endpoint: process.env.AUTERITY_VECTOR_S3_ENDPOINT || undefined,
        region: process.env.AUTERITY_VECTOR_S3_REGION || undefined,
        accessKeyId: process.env.AUTERITY_VECTOR_S3_ACCESS_KEY_ID || undefined,
        secretAccessKey: process.env.AUTERITY_VECTOR_S3_SECRET_ACCESS_KEY || undefined,
      },
      /** A collection gets an ANN index once it holds this many chunks (exact scan below it). */
      indexThreshold: count('AUTERITY_VECTOR_INDEX_THRESHOLD', 20_000),
      /** Largest document (file) an ingest reads. */
      maxDocumentBytes: count('AUTERITY_VECTOR_MAX_DOCUMENT_MB', 50) * 1024 * 1024,
      /** Longest search query, in characters. */
      maxQueryChars: count('AUTERITY_VECTOR_MAX_QUERY_CHARS', 8_000),
      /** Inputs per embedding request to the provider. */
      embedBatch: count('AUTERITY_VECTOR_EMBED_BATCH', 96, 2048) || 96,
    },
    /** Accounts and sign-in (lib/auth, lib/accounts). */
    auth: {
      /** A studio session's longest life; "sign out everywhere" and revocations end it sooner. */
      sessionMaxAgeS: count('AUTERITY_SESSION_MAX_AGE_S', 7 * 24 * 3600),
      /** Password reset links and invitations expire after these. */
      resetLinkTtlS: count('AUTERITY_RESET_LINK_TTL_S', 3600),
      inviteTtlS: count('AUTERITY_INVITE_TTL_S', 7 * 24 * 3600),
      /** Single sign-on with an OIDC provider: all three set turns it on. */
      oidc: {
        issuer: process.env.AUTERITY_OIDC_ISSUER || undefined,
        clientId: process.env.AUTERITY_OIDC_CLIENT_ID || undefined,
        clientSecret: process.env.AUTERITY_OIDC_CLIENT_SECRET || undefined,
        /** The button's label: "Sign in with <name>". */
        name: process.env.AUTERITY_OIDC_NAME || 'SSO',
      },
    },
    /** The studio's own email (password resets, invitations): smtp://user:pass@host:port or smtps://…; unset: links
     * are shown to the admin instead of sent. */
    mail: {
      smtpUrl: process.env.AUTERITY_SMTP_URL || undefined,
      from: process.env.AUTERITY_MAIL_FROM || 'Auterity Studio <no-reply@localhost>',
    },
    /** Rate limits (lib/security/rate-limit.ts), per window of `windowS` seconds; 0 turns one off. */
    rateLimits: {
      /** Failed sign-ins per account before it is locked for lockoutS, and per IP. */
      signInPerAccount: count('AUTERITY_RATE_SIGNIN_ACCOUNT', 10),
      signInPerIp: count('AUTERITY_RATE_SIGNIN_IP', 50),
      lockoutS: count('AUTERITY_SIGNIN_LOCKOUT_S', 15 * 60),
      /** Password reset and invite emails per account / per IP. */
      resetPerAccount: count('AUTERITY_RATE_RESET_ACCOUNT', 5),
      resetPerIp: count('AUTERITY_RATE_RESET_IP', 20),
      invitesPerWorkspace: count('AUTERITY_RATE_INVITES', 50),
      /** Authenticated API requests per workspace, and webhook calls per workflow. */
      apiPerWorkspace: count('AUTERITY_RATE_API', 6000),
      webhookPerWorkflow: count('AUTERITY_RATE_WEBHOOK', 60000),
      windowS: count('AUTERITY_RATE_WINDOW_S', 60) || 60,
    },
    /** The audit log keeps entries this many days (a workspace setting may keep them shorter). */
    audit: { retentionDays: count('AUTERITY_AUDIT_RETENTION_DAYS', 365) },
    /** Finished runs (steps, output pages, files) kept per workspace: docs/retention.md. */
    executionRetention: {
      /** Days a workspace without its own setting keeps finished runs; 0: for ever (the default). */
      defaultDays: count('AUTERITY_EXECUTION_RETENTION_DAYS', 0, 3650),
      /** How often a worker prunes (one worker at a time, under an advisory lock); 0: this worker never does. */
      intervalMs: count('AUTERITY_EXECUTION_PRUNE_INTERVAL_MS', 300_000),
      /** Runs deleted per transaction: short transactions never hold up the workers writing new runs. */
      batchSize: count('AUTERITY_EXECUTION_PRUNE_BATCH', 500, 10_000) || 500,
    },
    /** OpenTelemetry traces (lib/telemetry, docs/traces-and-step-logs.md): on when an OTLP endpoint is set. */
    tracing: {
      tracesUrl: otlpTracesUrl(),
      /** Replaces the process's own name (auterity-web, auterity-worker). */
      serviceName: process.env.OTEL_SERVICE_NAME || undefined,
    },
    /** Origins whose pages may call /api/* with an API key (CORS); empty: none, the default. */
    cors: { origins: list('AUTERITY_CORS_ORIGINS').map(corsOrigin) },
    logLevel: readLogLevel(),
    /** Prometheus metrics (lib/metrics, docs/metrics-and-logs.md). */
    metrics: {
      /** Bearer token for GET /api/metrics and the worker's /metrics; unset: the web route answers 404. */
      token: metricsToken(),
      /** The worker's own metrics listener; unset: none. */
      port: process.env.AUTERITY_METRICS_PORT ? count('AUTERITY_METRICS_PORT', 0, 65_535) : undefined,
      /** Where that listener binds: loopback unless said otherwise (a scraper on another host needs 0.0.0.0 and the token). */
      host: process.env.AUTERITY_METRICS_HOST || '127.0.0.1',
    },
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
