// Who may read the metrics: a scraper presenting AUTERITY_METRICS_TOKEN as a bearer token. The comparison takes the
// same time whatever the guess (digests of equal length through timingSafeEqual), so the token cannot be found a
// byte at a time. Without a token configured the web route does not exist (404): nothing about the studio leaks by
// default. The worker's listener, bound to loopback by default, is open when no token is set.
import { createHash, timingSafeEqual } from 'node:crypto'

export type ScrapeAccess = 'allowed' | 'unauthorized' | 'disabled'

const digest = (s: string) => createHash('sha256').update(s).digest()

export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected))
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | null | undefined): string | undefined {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '')
  return m?.[1]
}

/**
 * The web route's rule: no token configured, the route is off; else the header must carry it. `open` (the worker's
 * loopback listener) allows scrapes without a configured token.
 */
export function scrapeAccess(authorization: string | null | undefined, token: string | undefined, opts: { open?: boolean } = {}): ScrapeAccess {
  if (!token) return opts.open ? 'allowed' : 'disabled'
  const presented = bearerToken(authorization)
  return presented !== undefined && tokenMatches(presented, token) ? 'allowed' : 'unauthorized'
}
