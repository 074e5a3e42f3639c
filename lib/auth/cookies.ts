// The cookies that carry a studio sign-in (next-auth's defaults), in one place: lib/auth reads the session from
// them, and the webhook ingress keeps them out of run data and out of workflow-set Set-Cookie headers.

/** next-auth's session cookie names (`__Secure-` when NEXTAUTH_URL is https); long tokens are split into `.0`, `.1`… */
export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token']

/**
 * Cookies that would let their holder act as the visitor: every next-auth cookie (session, csrf, callback url,
 * pkce/state/nonce, with or without the `__Secure-`/`__Host-` prefix and chunk suffix) and the session cookies
 * of sign-in proxies commonly put in front of the studio (oauth2-proxy, Cloudflare Access, AWS ALB).
 */
export function isSignInCookie(name: string): boolean {
  const bare = name.startsWith('__Secure-') ? name.slice(9) : name.startsWith('__Host-') ? name.slice(7) : name
  return (
    bare.startsWith('next-auth.') ||
    bare.startsWith('_oauth2_proxy') ||
    bare === 'CF_Authorization' ||
    bare.startsWith('AWSELBAuthSessionCookie')
  )
}
