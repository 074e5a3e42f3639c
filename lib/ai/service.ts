// The web process's router (the OpenAI-compatible endpoint, evaluations): one per process over getPrisma(),
// calling out through one guarded fetch with the same outbound policy as the HTTP node.
import { webProcess } from '../composition/web'
import { getPrisma } from '../db/client'
import { env } from '../env'
import { createGuardedFetch } from '../net/ssrf'
import { createAiRouter, credentialStoreResolver } from './index'
import type { AiRouter } from './router'
import { prismaConversationStore } from './memory'
import { webMetrics } from '../metrics/web'
import type { DeploymentAccess } from './providers'
import type { HostServices } from '../nodes/host-services'

function webAiFetch(): typeof globalThis.fetch {
  const web = webProcess()
  web.aiFetch ??= createGuardedFetch({ ...env().http, field: 'baseUrl' })
  return web.aiFetch.fetch
}

export function getAiRouter(): AiRouter {
  const web = webProcess()
  web.aiRouter ??= createAiRouter({ prisma: getPrisma(), fetch: webAiFetch(), usage: webMetrics() })
  return web.aiRouter
}

/** Connection tests and fine-tuning from route handlers: stored credentials, the guarded fetch. */
export function webDeploymentAccess(): DeploymentAccess {
  return { credentials: credentialStoreResolver, fetch: webAiFetch() }
}

/** The AI host services for nodes run in the web process ("test this step"). */
export function webAiServices(): Pick<HostServices, 'ai' | 'aiMemory'> {
  return { ai: getAiRouter(), aiMemory: prismaConversationStore(getPrisma()) }
}
