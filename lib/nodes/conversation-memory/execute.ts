import { NodeError, type ExecuteContext, type Item } from '../../engine/types'
import type { Executor } from '../define'
import type { HostServices } from '../host-services'
import { historyFor, type Conversation, type MemoryMessage } from '../../ai/memory'
import { routedChat } from '../../ai/node-support'
import type { ConversationMemoryParams } from './definition'

async function compact(ctx: ExecuteContext<ConversationMemoryParams, Pick<HostServices, 'ai'>>, p: ConversationMemoryParams, c: Conversation): Promise<Conversation> {
  if (c.messages.length <= p.windowSize) return c
  const older = c.messages.slice(0, c.messages.length - p.windowSize)
  const kept = c.messages.slice(-p.windowSize)
  if (p.strategy === 'window') return { ...c, messages: kept }
  if (!p.summaryModel) throw new NodeError('The summary strategy needs a summary model', { code: 'INVALID_PARAM', field: 'summaryModel' })
  const transcript = older.map((m) => `${m.role}: ${m.content}`).join('\n')
  const r = await routedChat(ctx, {
    target: p.summaryModel,
    messages: [
      { role: 'system', content: 'Update the running summary of a conversation. Keep facts, names, decisions and open questions. Answer with the summary only.' },
      { role: 'user', content: `Current summary:\n${c.summary || '(none)'}\n\nNew messages:\n${transcript}` },
    ],
    temperature: 0,
    maxTokens: 500,
  })
  return { ...c, summary: r.text.trim(), messages: kept }
}

export const execute: Executor<ConversationMemoryParams, 'ai' | 'aiMemory'> = async (ctx) => {
  const store = ctx.services.aiMemory
  const out: Item[] = []
  const count = Math.max(1, ctx.items.length)
  for (let i = 0; i < count; i++) {
    const p = ctx.items.length ? await ctx.paramsFor(i) : ctx.params
    const item = ctx.items[i] ?? {}
    if (p.operation === 'clear') {
      await store.clear(ctx.tenantId, p.sessionKey)
      out.push({ ...item, [p.outputField]: [] })
      continue
    }
    let c = await store.load(ctx.tenantId, p.sessionKey)
    if (p.operation === 'save') {
      const turn: MemoryMessage[] = [
        ...(p.userMessage ? [{ role: 'user' as const, content: p.userMessage }] : []),
        ...(p.assistantMessage ? [{ role: 'assistant' as const, content: p.assistantMessage }] : []),
      ]
      if (!turn.length) throw new NodeError('save needs a user or an assistant message', { code: 'INVALID_PARAM', field: 'userMessage' })
      c = await compact(ctx, p, { ...c, messages: [...c.messages, ...turn] })
      await store.save(ctx.tenantId, c)
    }
    out.push({ ...item, [p.outputField]: historyFor(c), summary: c.summary })
  }
  return { main: out }
}
