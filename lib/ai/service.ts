// The web process's router (the OpenAI-compatible endpoint, evaluations): one per process over getPrisma().
import { getPrisma } from '../db/client'
import { createAiRouter } from './index'
import type { AiRouter } from './router'
import { prismaConversationStore } from './memory'

const g = globalThis as unknown as { __auterityAiRouter?: AiRouter }

export function getAiRouter(): AiRouter {
  g.__auterityAiRouter ??= createAiRouter({ prisma: getPrisma() })
  return g.__auterityAiRouter
}

/** Registry writes from route handlers: drop this process's cached catalog for the tenant at once. */
export const catalogChanged = (tenantId: string) => getAiRouter().catalog.invalidate(tenantId)

/** `services.extra` entries for nodes run in the web process ("test this step"): `extra: { ...webAiServices() }`. */
export function webAiServices() {
  return { ai: getAiRouter(), aiMemory: prismaConversationStore(getPrisma()) }
}
