// Which errors mean "a dependency is down" rather than "this request is wrong": they become a 503 naming it.
// (And the one database error that is the request's fault however it arrived: text PostgreSQL cannot store.)
// Prisma (through @prisma/adapter-pg), the plain pg pool of lib/services/hot-db.ts and ioredis each say it their
// own way; the shapes below are the ones they throw when the server refuses, drops or does not answer.
import type { Dependency } from '../errors'

/** Prisma: can't reach (P1001), timed out (P1002), closed (P1017), no pooled connection in time (P2024). */
const PRISMA_UNREACHABLE = new Set(['P1001', 'P1002', 'P1017', 'P2024'])
const ADAPTER_UNREACHABLE = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'])
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EPIPE'])
/** PostgreSQL: shutting down / starting up (57P01-03), too many connections (53300), connection exceptions (08…). */
const PG_UNAVAILABLE = /^(57P0[123]|53300|08...)$/
const PG_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Can't reach database server/i
const REDIS_MESSAGES = /^(Command timed out|Stream isn't writeable|Connection is closed)/

interface ErrorShape {
  name?: unknown
  code?: unknown
  message?: unknown
  cause?: unknown
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } }
}

/**
 * PostgreSQL refused text it cannot store: NUL in text (22021) or \u0000 in jsonb (22P05). The API checks its input
 * for these first and names the field; this catches what arrives another way (a webhook body) as a 400, not a 500.
 */
export function isUnstorableText(err: unknown): boolean {
  const code = (err as ErrorShape | undefined)?.meta?.driverAdapterError?.cause?.originalCode ?? (err as ErrorShape | undefined)?.code
  return code === '22021' || code === '22P05'
}

export function unavailableDependency(err: unknown): Dependency | null {
  for (let e = err as ErrorShape | undefined, hops = 0; e && typeof e === 'object' && hops < 5; e = e.cause as ErrorShape | undefined, hops++) {
    if (e.name === 'MaxRetriesPerRequestError' || (typeof e.message === 'string' && REDIS_MESSAGES.test(e.message))) return 'redis'
    const adapter = e.meta?.driverAdapterError?.cause
    // A bare socket error comes from the hot path's pg pool; one found as a cause may be an outbound call's (fetch).
    if (typeof e.code === 'string' && (PRISMA_UNREACHABLE.has(e.code) || PG_UNAVAILABLE.test(e.code) || (hops === 0 && SOCKET_CODES.has(e.code)))) return 'postgres'
    if (adapter && (ADAPTER_UNREACHABLE.has(String(adapter.kind)) || PG_UNAVAILABLE.test(String(adapter.originalCode)))) return 'postgres'
    if (typeof e.message === 'string' && PG_MESSAGES.test(e.message)) return 'postgres'
  }
  return null
}
