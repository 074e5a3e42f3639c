// What route handlers (and server.ts) are handed: the web process's long-lived services behind one accessor. Each is
// made on first use from lib/env and kept in the one holder of ./web.ts; a getter is read only when a handler needs
// it, so a route that only reads the database never opens the Redis clients.
import type { AiRouter } from '../ai/router'
import { getPrisma, type PrismaClient } from '../db/client'
import { AiAdmin } from '../services/ai-admin'
import { getAiRouter, webDeploymentAccess } from '../ai/service'
import { appServices, type AppServices } from '../services/app'
import { webFiles } from '../services/files'
import type { FileService } from '../files/service'

export interface WebServices {
  /** The web process's Prisma client (waits at most AUTERITY_DB_CONNECT_TIMEOUT_MS for a connection). */
  readonly prisma: PrismaClient
  /** Prisma plus the queue producer, Redis publisher and subscribers, realtime emitter, webhook waiters, watch tracker. */
  readonly app: AppServices
  readonly aiRouter: AiRouter
  readonly aiAdmin: AiAdmin
  /** The file store: downloads, webhook uploads, file deletion with executions. */
  readonly files: FileService
}

const services: WebServices = {
  get prisma() {
    return getPrisma()
  },
  get app() {
    return appServices()
  },
  get aiRouter() {
    return getAiRouter()
  },
  get files() {
    return webFiles()
  },
  get aiAdmin() {
    return new AiAdmin({ prisma: getPrisma(), router: getAiRouter(), access: webDeploymentAccess() })
  },
}

export function webServices(): WebServices {
  return services
}
