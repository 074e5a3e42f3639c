// Who may call a webhook: the Webhook trigger's own check, made before its run starts. A header secret (an
// "API key (header)" credential: header name and value), an HMAC signature of the body (an "HMAC secret"
// credential; GitHub's X-Hub-Signature-256 "sha256=<hex>", or a timestamped "<t>.<body>" signature whose timestamp
// must fall inside a window, so a captured request cannot be replayed later), HTTP basic auth (a "Basic auth"
// credential), and an IP allowlist of exact CIDR ranges. Every comparison of a secret runs in constant time.
// Refusals: 401 (who you are) or 403 (where you are), with a short reason and no run.
import { createHmac, timingSafeEqual } from 'node:crypto'
import ipaddr from 'ipaddr.js'
import { z } from 'zod'
import { parseRange, webhookAuthParams, type Range } from '../nodes/webhook-trigger/auth-params'
import { AppError } from '../errors'
import { headerValue, type RequestHeaders } from './webhook-headers'

const authConfigSchema = z.object(webhookAuthParams)
export type WebhookAuthConfig = z.infer<typeof authConfigSchema>

/** The check a trigger's params ask for, or null when it asks none (the usual webhook pays nothing). */
export function webhookAuthConfig(params: unknown): CompiledWebhookAuth | null {
  const parsed = authConfigSchema.safeParse(params ?? {})
  if (!parsed.success) return { config: null, ranges: [], seen: new Map() } // a saved graph that no longer parses: refuse rather than open
  const config = parsed.data
  if (config.auth === 'none' && config.ipAllowlist.length === 0) return null
  return { config, ranges: config.ipAllowlist.map((c) => parseRange(c)!).filter(Boolean), seen: new Map() }
}

export interface CompiledWebhookAuth {
  /** null: the trigger's auth settings did not parse; every call is refused. */
  config: WebhookAuthConfig | null
  ranges: Range[]
  /** Addresses already matched against `ranges` (parsing and matching costs tens of µs; callers repeat). */
  seen: Map<string, boolean>
}

/** An address as ipaddr reads it; an IPv4-mapped IPv6 address (::ffff:203.0.113.7) is its IPv4 address. */
function parseAddress(value: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!value) return null
  try {
    return ipaddr.process(value.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, ''))
  } catch {
    return null
  }
}

export function ipAllowed(address: string | undefined, ranges: Range[]): boolean {
  const addr = parseAddress(address)
  if (!addr) return false
  return ranges.some(([net, bits]) => {
    if (addr.kind() === net.kind()) return addr.match(net, bits)
    // A v4-mapped IPv6 range (::ffff:10.0.0.0/104) matches the IPv4 address it maps.
    if (addr.kind() === 'ipv4' && net.kind() === 'ipv6' && (net as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return addr.match((net as ipaddr.IPv6).toIPv4Address(), bits - 96)
    }
    return false
  })
}

/** The caller's address: the socket's, or with a trusted proxy the last X-Forwarded-For entry (the one it added). */
export function callerAddress(headers: RequestHeaders, socketAddress: string | undefined, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = headerValue(headers['x-forwarded-for'])
    const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).pop()
    if (last) return last
  }
  return socketAddress
}

function allowedCached(auth: CompiledWebhookAuth, address: string | undefined): boolean {
  if (address === undefined) return false
  let ok = auth.seen.get(address)
  if (ok === undefined) {
    ok = ipAllowed(address, auth.ranges)
    if (auth.seen.size >= 1000) auth.seen.clear()
    auth.seen.set(address, ok)
  }
  return ok
}

export class WebhookAuthError extends AppError {
  constructor(status: 401 | 403, reason: string) {
    super(status, status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', reason)
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  // Lengths differ: compare b with itself so the time taken does not depend on how much of the secret matched.
  return timingSafeEqual(a.length === b.length ? a : b, b) && a.length === b.length
}

/** Refused before the body is read: where the call comes from, and a header secret or basic auth. */
export function checkBeforeBody(auth: CompiledWebhookAuth, headers: RequestHeaders, address: string | undefined, secret: Record<string, string> | null): void {
  const { config } = auth
  if (!config) throw new WebhookAuthError(401, 'This webhook’s authentication settings are invalid; fix them in the designer')
  if (auth.ranges.length > 0 && !allowedCached(auth, address)) throw new WebhookAuthError(403, 'This address may not call this webhook')
  if (config.auth === 'none' || config.auth === 'hmac') return
  if (!secret) throw new WebhookAuthError(401, 'This webhook’s credential is missing; choose one in the designer')
  if (config.auth === 'header') {
    const name = (secret.headerName ?? '').toLowerCase()
    const given = name ? headerValue(headers[name]) : undefined
    if (given === undefined || !sameSecret(given, secret.value ?? '')) throw new WebhookAuthError(401, `Missing or wrong ${secret.headerName} header`)
    return
  }
  const m = /^Basic\s+(.+)$/i.exec(headerValue(headers.authorization) ?? '')
  const given = m ? Buffer.from(m[1], 'base64').toString('utf8') : ''
  if (!m || !sameSecret(given, `${secret.username ?? ''}:${secret.password ?? ''}`)) throw new WebhookAuthError(401, 'Missing or wrong basic auth')
}

/** An HMAC signature over the raw body (and the timestamp), checked once the body is read. */
export function checkSignature(auth: CompiledWebhookAuth, headers: RequestHeaders, rawBody: Buffer, secret: Record<string, string> | null, now = Date.now()): void {
  const config = auth.config
  if (!config || config.auth !== 'hmac') return
  if (!secret?.secret) throw new WebhookAuthError(401, 'This webhook’s credential is missing; choose one in the designer')
  let signed: Buffer = rawBody
  if (config.timestampHeader) {
    const ts = headerValue(headers[config.timestampHeader])
    const seconds = ts !== undefined && /^\d{1,12}$/.test(ts.trim()) ? Number(ts) : NaN
    if (!Number.isFinite(seconds)) throw new WebhookAuthError(401, `Missing or malformed ${config.timestampHeader} header`)
    if (Math.abs(now / 1000 - seconds) > config.toleranceSeconds) {
      throw new WebhookAuthError(401, `Request timestamp is outside the ${config.toleranceSeconds} s window (a replay, or a clock far off)`)
    }
    signed = Buffer.concat([Buffer.from(`${ts!.trim()}.`), rawBody])
  }
  const header = headerValue(headers[config.signatureHeader]) ?? ''
  const given = header.startsWith(config.signaturePrefix) ? header.slice(config.signaturePrefix.length).trim() : null
  const expected = createHmac(config.signatureAlgorithm, secret.secret).update(signed).digest(config.signatureEncoding)
  if (given === null || !sameSecret(config.signatureEncoding === 'hex' ? given.toLowerCase() : given, expected)) {
    throw new WebhookAuthError(401, `Missing or wrong ${config.signatureHeader} signature`)
  }
}
