// Shared by the AI node types (llm-chat, agent, classify, extract): the model param, running one routed call
// with ledger attribution and live token events, and turning router errors into NodeErrors.
import type { ExecuteContext } from '../engine/types'
import type { HostServices } from '../nodes/host-services'
import { NodeError } from '../engine/types'
import { toNodeError } from './errors'
import { metaFromContext } from './index'
import type { ChatMessage, ChatRequest, ChatResult } from './types'

export async function routedChat(ctx: ExecuteContext<any, Pick<HostServices, 'ai'>>, req: ChatRequest, opts: { stream?: boolean; itemIndex?: number } = {}): Promise<ChatResult> {
  const router = ctx.services.ai
  const meta = metaFromContext(ctx)
  try {
    if (!opts.stream) return await router.chat(req, meta)
    let result: ChatResult | undefined
    for await (const ev of router.stream(req, meta)) {
      if (ev.type === 'text') ctx.emit('llm.token', { item: opts.itemIndex ?? 0, delta: ev.delta })
      else if (ev.type === 'finish') result = ev.result
    }
    return result!
  } catch (err) {
    throw toNodeError(err)
  }
}

/** What a node puts next to its answer: enough to see cost and routing in the run view. */
export function usageSummary(r: ChatResult) {
  return { deployment: r.deployment, model: r.model, inputTokens: r.usage.inputTokens, outputTokens: r.usage.outputTokens, costUsd: r.costUsd, latencyMs: r.latencyMs, fallbackIndex: r.fallbackIndex }
}

/** History from a param (e.g. the Conversation Memory node's output): an array of { role, content }. */
export function historyMessages(value: unknown, field: string): ChatMessage[] {
  if (value === undefined || value === null || value === '') return []
  const list = typeof value === 'string' ? safeJson(value, field) : value
  if (!Array.isArray(list)) throw new NodeError(`${field} must be a list of { role, content } messages`, { code: 'INVALID_PARAM', field })
  return list.map((m, i) => {
    const role = (m as { role?: unknown })?.role
    const content = (m as { content?: unknown })?.content
    if ((role !== 'user' && role !== 'assistant' && role !== 'system') || typeof content !== 'string')
      throw new NodeError(`${field}[${i}] must be { role: "user" | "assistant" | "system", content: string }`, { code: 'INVALID_PARAM', field })
    return role === 'assistant' ? { role, content } : { role, content }
  })
}

function safeJson(s: string, field: string): unknown {
  try {
    return JSON.parse(s)
  } catch {
    throw new NodeError(`${field} is not valid JSON`, { code: 'INVALID_PARAM', field })
  }
}

/** A JSON Schema given as an object or JSON text; undefined when blank. */
export function schemaParam(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const v = typeof value === 'string' ? safeJson(value, field) : value
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new NodeError(`${field} must be a JSON Schema object`, { code: 'INVALID_PARAM', field })
  return v as Record<string, unknown>
}
