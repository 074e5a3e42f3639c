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
import { env } from '../env'
import type { WebhookDeps } from '../services/webhook-ingress'
import type { EventBusDeps } from '../services/events'
import { webEventBus } from '../services/events-web'
import { webVectors } from '../services/vectors'
import type { VectorHost } from '../vector/types'
import { scrapeWebMetrics } from '../metrics/web'

export interface WebServices {
  /** The web process's Prisma client (waits at most AUTERITY_DB_CONNECT_TIMEOUT_MS for a connection). */
  readonly prisma: PrismaClient
  /** Prisma plus the queue producer, Redis publisher and subscribers, realtime emitter, webhook waiters, watch tracker. */
  readonly app: AppServices
  readonly aiRouter: AiRouter
  readonly aiAdmin: AiAdmin
  /** The file store: downloads, webhook uploads, file deletion with executions. */
  readonly files: FileService
  /** Publishing events and replaying deliveries: Prisma, the delivery queue's producer, the filters' sandbox. */
  readonly events: EventBusDeps
  /** Collections, documents and searches (lib/vector), through the web AI router. */
  readonly vectors: VectorHost
  /** GET /api/metrics: this process's Prometheus exposition, behind AUTERITY_METRICS_TOKEN (lib/metrics/web.ts). */
  scrapeMetrics(authorization: string | null): Promise<Response>
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
  get events() {
    return webEventBus()
  },
  get vectors() {
    return webVectors()
  },
  get aiAdmin() {
    return new AiAdmin({ prisma: getPrisma(), router: getAiRouter(), access: webDeploymentAccess() })
  },
  scrapeMetrics: scrapeWebMetrics,
}

export function webServices(): WebServices {
  return services
}

/**
 * What the webhook ingress needs, for the route handler and server.ts's listener alike (read per request). The file
 * store is made on first use: a JSON webhook never needs it.
 */
export function webhookDeps(): WebhookDeps {
  const { bodyLimitBytes, uploadLimitBytes } = env().webhook
  return {
    ...services.app,
    get files() {
      return services.files
    },
    bodyLimitBytes,
    uploadLimitBytes,
  }
}
