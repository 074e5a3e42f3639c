// Conversation memory per session key, in PostgreSQL. Windowed: keep the last N messages. Summarised: when the
// history grows past N, older messages are folded into a running summary by a model (through the router).
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'

export interface MemoryMessage {
  role: 'user' | 'assistant' | 'system'
  content: string
}

export interface Conversation {
  sessionKey: string
  messages: MemoryMessage[]
  summary: string
}

export interface ConversationStore {
  load(tenantId: string, sessionKey: string): Promise<Conversation>
  save(tenantId: string, conversation: Conversation): Promise<void>
  clear(tenantId: string, sessionKey: string): Promise<void>
}

export function prismaConversationStore(prisma: PrismaClient): ConversationStore {
  return {
    async load(tenantId, sessionKey) {
      const row = await forTenant(prisma, tenantId).aiConversation.findUnique({ where: { tenantId_sessionKey: { tenantId, sessionKey } } })
      return { sessionKey, messages: (row?.messages as unknown as MemoryMessage[]) ?? [], summary: row?.summary ?? '' }
    },
    async save(tenantId, c) {
      const data = { messages: c.messages as unknown as object[], summary: c.summary }
      await forTenant(prisma, tenantId).aiConversation.upsert({ where: { tenantId_sessionKey: { tenantId, sessionKey: c.sessionKey } }, create: { tenantId, sessionKey: c.sessionKey, ...data }, update: data })
    },
    async clear(tenantId, sessionKey) {
      await forTenant(prisma, tenantId).aiConversation.deleteMany({ where: { sessionKey } })
    },
  }
}

/** The history a model should see: the summary (if any) as a system message, then the kept messages. */
export function historyFor(c: Conversation): MemoryMessage[] {
  return [...(c.summary ? [{ role: 'system' as const, content: `Summary of the earlier conversation: ${c.summary}` }] : []), ...c.messages]
}
