// Route-handler glue: the caller (session or API key) with their address, for the audit log.
import { clientIp } from '../audit'
import { requireAuth } from '../auth/context'
import type { Role } from '../auth/roles'
import type { Actor } from './deps'

export async function requireActor(req: Request, role: Role): Promise<Actor> {
  return { ctx: await requireAuth(req, role), ip: clientIp(req) }
}
