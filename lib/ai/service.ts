// The web process's router (the OpenAI-compatible endpoint, evaluations): one per process over getPrisma(),
// calling out through one guarded fetch with the same outbound policy as the HTTP node.
import { getPrisma } from '../db/client'
import { env } from '../env'
import { createGuardedFetch, type GuardedFetch } from '../net/ssrf'
import { createAiRouter, credentialStoreResolver } from './index'
import type { AiRouter } from './router'
import { prismaConversationStore } from './memory'
import type { DeploymentAccess } from './providers'
import type { HostServices } from '../nodes/host-services'

const g = globalThis as unknown as { __auterityAiRouter?: AiRouter; __auterityAiFetch?: GuardedFetch }

function webAiFetch(): typeof globalThis.fetch {
  g.__auterityAiFetch ??= createGuardedFetch({ ...env().http, field: 'baseUrl' })
  return g.__auterityAiFetch.fetch
}

export function getAiRouter(): AiRouter {
  g.__auterityAiRouter ??= createAiRouter({ prisma: getPrisma(), fetch: webAiFetch() })
  return g.__auterityAiRouter
}

/** Connection tests and fine-tuning from route handlers: stored credentials, the guarded fetch. */
export function webDeploymentAccess(): DeploymentAccess {
  return { credentials: credentialStoreResolver, fetch: webAiFetch() }
}

/** The AI host services for nodes run in the web process ("test this step"). */
export function webAiServices(): Pick<HostServices, 'ai' | 'aiMemory'> {
  return { ai: getAiRouter(), aiMemory: prismaConversationStore(getPrisma()) }
}
