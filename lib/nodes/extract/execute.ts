import type { Item } from '../../engine/types'
import type { Executor } from '../define'
import { routedChat, usageSummary } from '../../ai/node-support'
import type { ExtractField, ExtractParams } from './definition'

export function fieldsToSchema(fields: ExtractField[]): Record<string, unknown> {
  const properties = Object.fromEntries(
    fields.map((f) => {
      const base: Record<string, unknown> = f.type === 'array' ? { type: 'array', items: {} } : { type: f.type }
      if (f.description) base.description = f.description
      return [f.name, f.required ? base : { anyOf: [base, { type: 'null' }], ...(f.description ? { description: f.description } : {}) }]
    }),
  )
  return { type: 'object', properties, required: fields.map((f) => f.name), additionalProperties: false }
}

export const execute: Executor<ExtractParams, 'ai'> = async (ctx) => {
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const r = await routedChat(ctx, {
      target: p.model,
      messages: [
        { role: 'system', content: `Extract the requested fields from the user's text as JSON. Use null for anything the text does not state; never guess.\n${p.instructions}`.trim() },
        { role: 'user', content: p.text },
      ],
      temperature: 0,
      responseFormat: { type: 'json', name: 'extraction', schema: fieldsToSchema(p.fields) },
    })
    out.push({ ...ctx.items[i], [p.outputField]: r.json, ai: usageSummary(r) })
  }
  return { main: out }
}
