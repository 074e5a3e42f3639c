// Server components (pages, layouts): who is signed in, checked like an API request (the session row, the
// membership), not only the token's signature. Null when nobody is (or their session was revoked).
import { headers } from 'next/headers'
import { authenticateSessionCookie, type AuthContext } from './context'

export async function pageAuth(): Promise<AuthContext | null> {
  return authenticateSessionCookie((await headers()).get('cookie'))
}
