// CSRF: a change authenticated by the session cookie must come from the studio's own pages. SameSite=Lax alone lets a
// same-site page (another subdomain) post with the cookie, and older browsers ignore it. Where a request comes from is
// said by headers a page cannot set for a cross-site request: Origin (sent by every current browser on
// POST/PUT/PATCH/DELETE), else Sec-Fetch-Site, else Referer. With none of them the change is refused: only
// non-browser clients omit all three, and they use API keys.
//
// The studio's own origin is NEXTAUTH_URL's, or the host the request was sent to: Host, or X-Forwarded-Host from a
// proxy (a cross-site page cannot add that header without a CORS preflight, which the studio never grants). Behind a
// proxy that rewrites Host and does not pass X-Forwarded-Host, set NEXTAUTH_URL to the public URL.
import { CrossSiteRequestError } from '../errors'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function assertSameOrigin(req: Request, publicUrl: string): void {
  if (SAFE_METHODS.has(req.method)) return
  const origin = req.headers.get('origin')
  if (origin) {
    if (isOwnOrigin(origin, requestHost(req), publicUrl)) return
    throw new CrossSiteRequestError(`Cross-site request refused: Origin ${origin} is not this studio`)
  }
  const site = req.headers.get('sec-fetch-site')
  if (site) {
    // 'none': the user's own navigation (typed URL, bookmark), never a page's doing.
    if (site === 'same-origin' || site === 'none') return
    throw new CrossSiteRequestError(`Cross-site request refused: Sec-Fetch-Site is ${site}`)
  }
  const referer = req.headers.get('referer')
  if (referer && isOwnOrigin(referer, requestHost(req), publicUrl)) return
  throw new CrossSiteRequestError('Cross-site request refused: a change signed in by cookie must carry an Origin header from this studio')
}

/** Where the request was sent: the Host header, and the first X-Forwarded-Host a proxy set. */
export interface RequestHost {
  host: string | null
  forwardedHost: string | null
}

export function requestHost(req: Request): RequestHost {
  return { host: req.headers.get('host') ?? new URL(req.url).host, forwardedHost: req.headers.get('x-forwarded-host') }
}

export function isOwnOrigin(value: string, to: RequestHost, publicUrl: string): boolean {
  let url: URL
  try {
    url = new URL(value) // 'null' (opaque origins: sandboxed frames, file:) does not parse
  } catch {
    return false
  }
  if (url.origin === new URL(publicUrl).origin) return true
  const forwarded = to.forwardedHost?.split(',')[0].trim()
  return url.host === to.host || (!!forwarded && url.host === forwarded)
}
