import type { Item } from '../../engine/types'
import type { Executor } from '../define'
import { routedChat, usageSummary } from '../../ai/node-support'
import { OTHER_PORT, type ClassifyParams } from './definition'

export const execute: Executor<ClassifyParams, 'ai'> = async (ctx) => {
  const out: Record<string, Item[]> = {}
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const names = p.categories.map((c) => c.name)
    const list = p.categories.map((c) => `- ${c.name}${c.description ? `: ${c.description}` : ''}`).join('\n')
    const r = await routedChat(ctx, {
      target: p.model,
      messages: [
        { role: 'system', content: `Classify the user's text into exactly one category, or "${OTHER_PORT}" if none fits.\nCategories:\n${list}\n${p.instructions}`.trim() },
        { role: 'user', content: p.text },
      ],
      temperature: 0,
      maxTokens: 200,
      responseFormat: { type: 'json', name: 'classification', schema: { type: 'object', properties: { category: { type: 'string', enum: [...names, OTHER_PORT] }, confidence: { type: 'number' } }, required: ['category'] } },
    })
    const { category, confidence } = r.json as { category: string; confidence?: number }
    const index = names.indexOf(category)
    const port = index >= 0 ? `out${index}` : OTHER_PORT
    ;(out[port] ??= []).push({ ...ctx.items[i], [p.outputField]: index >= 0 ? category : OTHER_PORT, confidence: confidence ?? null, ai: usageSummary(r) })
  }
  return out
}
