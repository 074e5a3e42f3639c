// Router request → Vercel AI SDK call options; JSON output parsing and schema validation. The SDK itself comes
// from the caller (./sdk.ts loads it on the first call), so this module stays light.
import type { ModelMessage, ToolSet } from 'ai'
import { z } from 'zod'
import { OutputInvalidError } from './errors'
import type { AiSdk } from './sdk'
import type { ChatMessage, ChatRequest, Requirements } from './types'

export function toModelMessages(messages: ChatMessage[]): ModelMessage[] {
  const toolNames = new Map<string, string>()
  return messages.map((m): ModelMessage => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content }
      case 'user':
        return {
          role: 'user',
          content: typeof m.content === 'string' ? m.content : m.content.map((p) => (p.type === 'text' ? { type: 'text' as const, text: p.text } : { type: 'image' as const, image: new URL(p.url) })),
        }
      case 'assistant': {
        if (!m.toolCalls?.length) return { role: 'assistant', content: m.content ?? '' }
        for (const c of m.toolCalls) toolNames.set(c.id, c.name)
        return {
          role: 'assistant',
          content: [...(m.content ? [{ type: 'text' as const, text: m.content }] : []), ...m.toolCalls.map((c) => ({ type: 'tool-call' as const, toolCallId: c.id, toolName: c.name, input: c.arguments }))],
        }
      }
      case 'tool':
        return { role: 'tool', content: [{ type: 'tool-result', toolCallId: m.toolCallId, toolName: toolNames.get(m.toolCallId) ?? 'tool', output: { type: 'text', value: m.content } }] }
    }
  })
}

export function toToolSet(ai: Pick<AiSdk, 'tool' | 'jsonSchema'>, req: ChatRequest): ToolSet | undefined {
  if (!req.tools?.length) return undefined
  return Object.fromEntries(req.tools.map((t) => [t.name, ai.tool({ description: t.description, inputSchema: ai.jsonSchema(t.parameters as Parameters<AiSdk['jsonSchema']>[0]) })]))
}

export function toToolChoice(req: ChatRequest) {
  const c = req.toolChoice
  if (!c || typeof c === 'string') return c
  return { type: 'tool' as const, toolName: c.name }
}

/** What the request itself needs from a deployment. */
export function derivedRequirements(req: ChatRequest): Requirements {
  return {
    tools: Boolean(req.tools?.length) || undefined,
    json: req.responseFormat ? true : undefined,
    vision: req.messages.some((m) => m.role === 'user' && Array.isArray(m.content) && m.content.some((p) => p.type === 'image')) || undefined,
  }
}

const validators = new WeakMap<object, z.ZodType>()

/** Parse the model's JSON answer (tolerating a ```json fence) and validate it against the schema, if any. */
export function parseJsonOutput(text: string, schema?: Record<string, unknown>): unknown {
  const unfenced = text.trim().replace(/^```(?:json)?\s*/i, '').replace(/```$/, '').trim()
  let value: unknown
  try {
    value = JSON.parse(unfenced)
  } catch {
    throw new OutputInvalidError('The model did not answer with valid JSON', { text: text.slice(0, 2000) })
  }
  if (!schema) return value
  let validator = validators.get(schema)
  if (!validator) validators.set(schema, (validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0])))
  const parsed = validator.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const at = issue.path.length ? issue.path.join('.') : '(root)'
    throw new OutputInvalidError(`The model's JSON does not match the schema at ${at}: ${issue.message}`, { value, issues: parsed.error.issues.slice(0, 10) })
  }
  return parsed.data
}
