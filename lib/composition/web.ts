// The web process's one home for its long-lived services (Prisma, the per-configuration app clients, the AI router
// and its guarded fetch, the vector host, the node services of "test this step", the access cache and its
// subscription, the metrics registry). Each is made on first use, from lib/env, by the module that knows how
// (lib/db/client.ts, lib/services/app.ts, lib/ai/service.ts, lib/services/vectors.ts, lib/services/node-runtime.ts,
// lib/auth/access.ts, lib/metrics/web.ts), and kept in the one slot it has here.
//
// Why globalThis at all: `next dev` re-evaluates changed modules, so a module-level variable would be a fresh, empty
// one after each reload while the old clients stay connected (leaked pools, a second Redis subscription). One
// holder on globalThis survives the reload; nothing else in lib/ may touch globalThis for state (the boundary test
// checks it). This file imports types only, so every module above can use it without an import cycle.
// Workers compose their own services explicitly (workers/worker.ts) and never reach this holder except through
// getPrisma, which the credential store uses.
import type { AiRouter } from '../ai/router'
import type { AccessState } from '../auth/access'
import type { PrismaClient } from '../db/generated/client'
import type { HostServices } from '../nodes/host-services'
import type { NodeServices } from '../engine/types'
import type { GuardedFetch } from '../net/ssrf'
import type { AppServices } from '../services/app'
import type { FileService } from '../files/service'
import type { EventDeliveryQueue } from '../queue/events'
import type { VectorHostWithClose } from '../vector/host'
import type { Metrics } from '../metrics/metrics'

export interface WebProcessServices {
  prisma?: PrismaClient
  /** Keyed by database URL, Redis URL and queue prefix: tests with their own never get another test's clients. */
  app: Map<string, AppServices>
  aiRouter?: AiRouter
  aiFetch?: GuardedFetch
  nodeServices?: NodeServices & HostServices
  access?: AccessState
  files?: FileService
  /** The event-delivery queue producers (lib/services/events-web.ts), keyed like `app`. */
  eventQueues?: Map<string, EventDeliveryQueue>
  /** The vector host (lib/services/vectors.ts): the collections API, the collection page and "test this step". */
  vectors?: VectorHostWithClose
  /** The process's Prometheus registry and instruments (lib/metrics/web.ts). */
  metrics?: Metrics
}

const holder = globalThis as unknown as { __auterityWeb?: WebProcessServices }

/** The one holder; its slots are filled by the modules that create each service. */
export function webProcess(): WebProcessServices {
  holder.__auterityWeb ??= { app: new Map() }
  return holder.__auterityWeb
}
