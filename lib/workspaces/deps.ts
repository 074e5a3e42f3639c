// What the workspace services need: the database, Redis (to drop every process's access cache after a change) and who
// is acting, for the audit log.
import type { Redis } from 'ioredis'
import type { AuthContext } from '../auth/context'
import { hasRole } from '../auth/roles'
import { keyAllows } from '../auth/scopes'
import type { PrismaClient } from '../db/client'
import { appServices } from '../services/app'
import { getPrisma } from '../db/client'

export interface WorkspaceDeps {
  prisma: PrismaClient
  redis: Redis
}

/** The web process's connections (route handlers). */
export function webWorkspaceDeps(): WorkspaceDeps {
  return { prisma: getPrisma(), redis: appServices().redis }
}

/** The caller as the services see it: their context plus the client address the audit entry keeps. */
export interface Actor {
  ctx: AuthContext
  ip: string | null
}

/** Admin work needs the admin role and, through an API key, the key's admin scope too. */
export function actsAsAdmin(ctx: AuthContext): boolean {
  return hasRole(ctx.role, 'admin') && (ctx.via !== 'apiKey' || keyAllows(ctx.scopes ?? [], 'admin'))
}
