import type { Item } from '../../engine/types'
import type { Executor } from '../define'
import { historyMessages, routedChat, schemaParam, usageSummary } from '../../ai/node-support'
import type { ChatMessage } from '../../ai/types'
import type { LlmChatParams } from './definition'

// One call per input item (or one call when the node has no input items), in order.
export const execute: Executor<LlmChatParams, 'ai'> = async (ctx) => {
  const count = Math.max(1, ctx.items.length)
  const out: Item[] = []
  for (let i = 0; i < count; i++) {
    const p = ctx.items.length ? await ctx.paramsFor(i) : ctx.params
    const messages: ChatMessage[] = [
      ...(p.systemMessage ? [{ role: 'system' as const, content: p.systemMessage }] : []),
      ...historyMessages(p.history, 'history'),
      { role: 'user', content: p.userMessage },
    ]
    const json = p.outputFormat === 'json'
    const r = await routedChat(
      ctx,
      {
        target: p.model,
        messages,
        temperature: p.temperature,
        maxTokens: p.maxTokens,
        responseFormat: json ? { type: 'json', schema: schemaParam(p.jsonSchema, 'jsonSchema') } : undefined,
      },
      { stream: p.stream, itemIndex: i },
    )
    out.push({ ...(ctx.items[i] ?? {}), [p.outputField]: json ? r.json : r.text, ai: usageSummary(r) })
  }
  return { main: out }
}
