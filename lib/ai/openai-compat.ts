// The OpenAI chat-completions wire format on top of the router: request schema, mapping to a ChatRequest,
// JSON answers and SSE streams. Used by POST /api/ai/v1/chat/completions so any OpenAI client can use the
// router (failover, budgets, ledger) by pointing its base URL at /api/ai/v1.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { ValidationError } from '../errors'
import type { AiRouter } from './router'
import type { CallMeta, ChatMessage, ChatRequest, ChatResult, ContentPart, ToolCall } from './types'

const textPart = z.object({ type: z.literal('text'), text: z.string() })
const imagePart = z.object({ type: z.literal('image_url'), image_url: z.object({ url: z.string() }) })
const wireToolCall = z.object({ id: z.string(), type: z.literal('function').default('function'), function: z.object({ name: z.string(), arguments: z.string() }) })
const wireMessage = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content: z.union([z.string(), z.array(textPart)]) }),
  z.object({ role: z.literal('user'), content: z.union([z.string(), z.array(z.union([textPart, imagePart]))]) }),
  z.object({ role: z.literal('assistant'), content: z.union([z.string(), z.array(textPart)]).nullish(), tool_calls: z.array(wireToolCall).optional() }),
  z.object({ role: z.literal('tool'), tool_call_id: z.string(), content: z.union([z.string(), z.array(textPart)]) }),
])

export const chatCompletionBodySchema = z.object({
  model: z.string().min(1),
  messages: z.array(wireMessage).min(1),
  tools: z.array(z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }) })).optional(),
  tool_choice: z.union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) })]).optional(),
  response_format: z
    .union([
      z.object({ type: z.literal('text') }),
      z.object({ type: z.literal('json_object') }),
      z.object({ type: z.literal('json_schema'), json_schema: z.object({ name: z.string().optional(), schema: z.record(z.string(), z.unknown()).optional() }) }),
    ])
    .optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  stop: z.union([z.string(), z.array(z.string())]).optional(),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
})
export type ChatCompletionBody = z.infer<typeof chatCompletionBodySchema>

/** Who is calling an OpenAI-compatible endpoint: the API key's workspace, and the workflow budget named by
 * X-Auterity-Workflow-Id. The request's signal stops the provider call when the client goes away. */
export function apiCallMeta(req: Request, auth: { tenantId: string; apiKeyId?: string }): CallMeta {
  return { tenantId: auth.tenantId, workflowId: req.headers.get('x-auterity-workflow-id') ?? undefined, source: 'api', apiKeyId: auth.apiKeyId, signal: req.signal }
}

const joinText = (c: string | { text: string }[]) => (typeof c === 'string' ? c : c.map((p) => p.text).join(''))

function parseArgs(raw: string, at: string): unknown {
  try {
    return raw ? JSON.parse(raw) : {}
  } catch {
    throw new ValidationError(`${at}: arguments is not valid JSON`, { [at]: 'arguments is not valid JSON' })
  }
}

export function toChatRequest(body: ChatCompletionBody): ChatRequest {
  const messages = body.messages.map((m, i): ChatMessage => {
    switch (m.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: joinText(m.content) }
      case 'user':
        return {
          role: 'user',
          content: typeof m.content === 'string' ? m.content : m.content.map((p): ContentPart => (p.type === 'text' ? p : { type: 'image', url: p.image_url.url })),
        }
      case 'assistant':
        return {
          role: 'assistant',
          content: m.content == null ? null : joinText(m.content),
          toolCalls: m.tool_calls?.map((c, j) => ({ id: c.id, name: c.function.name, arguments: parseArgs(c.function.arguments, `messages.${i}.tool_calls.${j}.function`) })),
        }
      case 'tool':
        return { role: 'tool', toolCallId: m.tool_call_id, content: joinText(m.content) }
    }
  })
  const rf = body.response_format
  return {
    target: body.model,
    messages,
    tools: body.tools?.map((t) => ({ name: t.function.name, description: t.function.description, parameters: t.function.parameters ?? { type: 'object', properties: {} } })),
    toolChoice: typeof body.tool_choice === 'object' ? { name: body.tool_choice.function.name } : body.tool_choice,
    responseFormat: !rf || rf.type === 'text' ? undefined : rf.type === 'json_object' ? { type: 'json' } : { type: 'json', schema: rf.json_schema.schema, name: rf.json_schema.name },
    temperature: body.temperature,
    topP: body.top_p,
    maxTokens: body.max_completion_tokens ?? body.max_tokens,
    stop: typeof body.stop === 'string' ? [body.stop] : body.stop,
  }
}

const FINISH: Record<string, string> = { stop: 'stop', length: 'length', 'tool-calls': 'tool_calls', 'content-filter': 'content_filter' }

const wireCalls = (calls: ToolCall[]) => calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.arguments ?? {}) } }))

function usageWire(r: ChatResult) {
  return { prompt_tokens: r.usage.inputTokens, completion_tokens: r.usage.outputTokens, total_tokens: r.usage.inputTokens + r.usage.outputTokens }
}

/** Router extras, ignored by OpenAI clients: which deployment served and what it cost. */
function extras(r: ChatResult) {
  return { deployment: r.deployment, provider: r.provider, cost_usd: r.costUsd, fallback_index: r.fallbackIndex }
}

export function toCompletion(r: ChatResult, model: string, id = `chatcmpl-${randomUUID()}`) {
  return {
    id,
    object: 'chat.completion' as const,
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: r.toolCalls.length && !r.text ? null : r.text, refusal: null, ...(r.toolCalls.length ? { tool_calls: wireCalls(r.toolCalls) } : {}) },
        finish_reason: r.toolCalls.length ? 'tool_calls' : (FINISH[r.finishReason] ?? 'stop'),
        logprobs: null,
      },
    ],
    usage: usageWire(r),
    auterity: extras(r),
  }
}

/** Answers a chat-completions request. Errors before the first token become HTTP errors (thrown). */
export async function handleChatCompletion(router: AiRouter, body: ChatCompletionBody, meta: CallMeta): Promise<Response> {
  const req = toChatRequest(body)
  if (!body.stream) return Response.json(toCompletion(await router.chat(req, meta), body.model))

  const events = router.stream(req, meta)
  const first = await events.next()
  const id = `chatcmpl-${randomUUID()}`
  const created = Math.floor(Date.now() / 1000)
  const chunk = (delta: unknown, finish_reason: string | null = null) => ({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason, logprobs: null }] })
  const enc = new TextEncoder()
  const sse = (data: unknown) => enc.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`)
  let toolIndex = 0
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(sse(chunk({ role: 'assistant', content: '' })))
      try {
        for (let r = first; !r.done; r = await events.next()) {
          const ev = r.value
          if (ev.type === 'text') controller.enqueue(sse(chunk({ content: ev.delta })))
          else if (ev.type === 'tool-call') controller.enqueue(sse(chunk({ tool_calls: [{ index: toolIndex++, ...wireCalls([ev.toolCall])[0] }] })))
          else {
            const res = ev.result
            controller.enqueue(sse(chunk({}, res.toolCalls.length ? 'tool_calls' : (FINISH[res.finishReason] ?? 'stop'))))
            if (body.stream_options?.include_usage) controller.enqueue(sse({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage: usageWire(res), auterity: extras(res) }))
          }
        }
        controller.enqueue(sse('[DONE]'))
      } catch (err) {
        const e = err as { code?: string; message?: string }
        controller.enqueue(sse({ error: { code: e.code ?? 'AI_STREAM_FAILED', message: e.message ?? 'stream failed', type: 'server_error' } }))
      }
      controller.close()
    },
    async cancel() {
      await events.return(undefined)
    },
  })
  return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive' } })
}
