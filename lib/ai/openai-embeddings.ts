// The OpenAI embeddings wire format on top of the router: the request schema, the answer (float arrays, or
// base64 of little-endian float32, which the `openai` client asks for by default and decodes), and errors in
// OpenAI's shape. Used by POST /api/ai/v1/embeddings so any OpenAI client can embed through the router
// (failover within one embedding space, budgets, ledger). Input limits (≤ 2048 non-empty texts) are the router's.
import { z } from 'zod'
import { MAX_DIMENSIONS } from './embeddings'
import type { AiRouter } from './router'
import type { CallMeta, EmbedResult } from './types'

export const embeddingsBodySchema = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string())], { error: 'must be a string or an array of strings (token arrays are not accepted)' }),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int('must be a whole number').positive('must be positive').max(MAX_DIMENSIONS, `at most ${MAX_DIMENSIONS}`).optional(),
  /** Accepted for compatibility; not forwarded (a tenant's end-user ids stay here). */
  user: z.string().optional(),
})
export type EmbeddingsBody = z.infer<typeof embeddingsBodySchema>

/** Little-endian float32, the bytes OpenAI's base64 encoding carries. */
export function float32Base64(v: number[]): string {
  const buf = Buffer.alloc(v.length * 4)
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4))
  return buf.toString('base64')
}

export function toEmbeddingList(r: EmbedResult, body: EmbeddingsBody) {
  const base64 = body.encoding_format === 'base64'
  return {
    object: 'list' as const,
    data: r.embeddings.map((e, index) => ({ object: 'embedding' as const, index, embedding: base64 ? float32Base64(e) : e })),
    model: body.model,
    usage: { prompt_tokens: r.usage.inputTokens, total_tokens: r.usage.inputTokens },
    /** Router extras, ignored by OpenAI clients. */
    auterity: { deployment: r.deployment, provider: r.provider, cost_usd: r.costUsd, fallback_index: r.fallbackIndex, dimensions: r.dimensions, batches: r.batches },
  }
}

export async function handleEmbeddings(router: AiRouter, body: EmbeddingsBody, meta: CallMeta): Promise<Response> {
  const input = typeof body.input === 'string' ? [body.input] : body.input
  const r = await router.embed({ target: body.model, input, dimensions: body.dimensions }, meta)
  return Response.json(toEmbeddingList(r, body))
}

const ERROR_TYPE: Record<number, string> = { 401: 'authentication_error', 402: 'insufficient_quota', 403: 'permission_error', 429: 'rate_limit_error' }

/**
 * Adds OpenAI's `type` and `param` (the first field named) to the studio's `{ error: { code, message, fields } }`
 * answers, so OpenAI clients show which parameter was wrong (`err.param` in the `openai` SDK).
 */
export function withOpenAiErrors<C>(handler: (req: Request, ctx: C) => Promise<Response> | Response): (req: Request, ctx: C) => Promise<Response> {
  return async (req, ctx) => {
    const res = await handler(req, ctx)
    if (res.ok || !res.headers.get('content-type')?.includes('json')) return res
    const body = (await res.json()) as { error?: { fields?: Record<string, string> } & Record<string, unknown> }
    const headers = new Headers(res.headers)
    headers.delete('content-length')
    if (!body.error) return Response.json(body, { status: res.status, headers })
    const type = ERROR_TYPE[res.status] ?? (res.status >= 500 ? 'server_error' : 'invalid_request_error')
    const param = Object.keys(body.error.fields ?? {})[0] ?? null
    return Response.json({ error: { ...body.error, type, param } }, { status: res.status, headers })
  }
}
