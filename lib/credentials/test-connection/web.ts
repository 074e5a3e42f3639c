// The route handlers' side of "Test connection": guards from lib/env, a time limit, and the audit entry.
import { actorOf, clientIp, recordAudit } from '../../audit'
import type { AuthContext } from '../../auth/context'
import { getPrisma } from '../../db/client'
import type { CredentialData } from '../../engine/types'
import { env } from '../../env'
import { createTcpGuard } from '../../net/ssrf'
import { isOAuthKind, oauthServices } from '../oauth'
import { testCredential, type TestResult } from './index'

const TEST_TIMEOUT_MS = 15_000

export async function runCredentialTest(req: Request, auth: AuthContext, cred: CredentialData, opts: { url?: string; saved: boolean }): Promise<TestResult> {
  const { tokens, fetch } = oauthServices()
  const result = await testCredential(cred, {
    fetch,
    tcp: createTcpGuard(env().http),
    oauth: opts.saved && isOAuthKind(cred.kind) ? { tokens, tenantId: auth.tenantId } : undefined,
    url: opts.url,
    signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
  })
  await recordAudit(getPrisma(), {
    tenantId: auth.tenantId,
    actor: actorOf(auth),
    action: 'credential.tested',
    target: opts.saved ? cred.id : null,
    outcome: result.ok ? 'success' : 'failure',
    ip: clientIp(req),
    data: { kind: cred.kind },
  })
  return result
}
