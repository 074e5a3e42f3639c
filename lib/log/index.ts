// Operational logs of the server processes (web, realtime, worker): one JSON object per line on stdout (pino), for a
// collector to ship. Bindings name what a line is about (component, tenantId, workflowId, executionId, nodeId); the
// level comes from LOG_LEVEL (lib/env readLogLevel). Secrets never reach a line: the usual fields that carry them are
// redacted wherever they sit in a logged object (redactSecrets). A run's own step logs are not here: they
// are kept with the step (the node's ctx.log).
import pino from 'pino'
import { readLogLevel } from '../env'

export type Logger = pino.Logger

/** Field names whose values are secrets, wherever they appear in a logged object (compared lower-cased). */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token',
  'password', 'passwd', 'passwordhash', 'newpassword', 'currentpassword',
  'token', 'accesstoken', 'refreshtoken', 'idtoken', 'access_token', 'refresh_token', 'id_token', 'authtoken',
  'apikey', 'api_key', 'secret', 'clientsecret', 'client_secret', 'secretaccesskey', 'privatekey', 'private_key',
  'encryptionkey', 'totpsecret', 'signingsecret',
])

/** Names code holds a credential by: their `data` (the decrypted fields) is a secret as a whole. */
const CREDENTIAL_HOLDERS: ReadonlySet<string> = new Set(['credential', 'credentials', 'cred'])

export const REDACTED = '[redacted]'

/** Deeper than this, a logged object is cut off rather than walked (log lines are not for whole payloads). */
const MAX_DEPTH = 8

/**
 * A copy of `value` with every secret field's value replaced, at any depth; objects without one are returned as they
 * are (no copy). One walk over the object: pino's own `redact` (fast-redact) needs a path per key and depth, and with
 * this many keys cost ~40 times a plain line.
 */
export function redactSecrets(value: unknown, depth = 0, credential = false): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Error || value instanceof Date) return value
  if (depth >= MAX_DEPTH) return '[too deep]'
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    value.forEach((v, i) => {
      const r = redactSecrets(v, depth + 1, credential)
      if (r !== v) (copy ??= value.slice())[i] = r
    })
    return copy ?? value
  }
  let copy: Record<string, unknown> | undefined
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key]
    const lower = key.toLowerCase()
    const r = SECRET_KEYS.has(lower) || (credential && lower === 'data') ? REDACTED : redactSecrets(v, depth + 1, CREDENTIAL_HOLDERS.has(lower))
    if (r !== v) (copy ??= { ...(value as Record<string, unknown>) })[key] = r
  }
  return copy ?? value
}

export interface LoggerOptions {
  level?: string
  /** Where lines go; default process.stdout (synchronous for files and pipes on Linux, so exits lose nothing). */
  destination?: pino.DestinationStream
  /** Bindings on every line of this logger. */
  base?: Record<string, unknown>
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: opts.level ?? readLogLevel(),
      base: { pid: process.pid, ...opts.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        // "level":"warn" rather than 30: what log collectors and people filter on.
        level: (label) => ({ level: label }),
        log: (obj) => redactSecrets(obj) as Record<string, unknown>,
        bindings: (bindings) => redactSecrets(bindings) as Record<string, unknown>,
      },
    },
    opts.destination ?? process.stdout,
  )
  // pino applies the bindings formatter to the base only, not to a child's bindings: children (which inherit this
  // method through their prototype) redact theirs here.
  const child = logger.child
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, redactSecrets(bindings) as typeof bindings, options)
  } as typeof logger.child
  return logger
}

/** The process's logger. Children (`log.child({ component })`) follow its level. */
export const log: Logger = createLogger()

/** The fields a run's lines carry (the same names the traces and step logs use). */
export interface RunBindings {
  tenantId: string
  workflowId: string
  executionId: string
}

/** A logger for one run's lines: `runLogger(scope).child({ nodeId })` for one step's. */
export function runLogger(scope: RunBindings, parent: Logger = log): Logger {
  return parent.child({ tenantId: scope.tenantId, workflowId: scope.workflowId, executionId: scope.executionId })
}
