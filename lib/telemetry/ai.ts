// The span of one provider call of the AI router (lib/ai/router.ts): `chat <model>`, a client span per attempt
// on a deployment, so retries and fallbacks show as siblings under the step. Attributes follow the OpenTelemetry
// GenAI conventions (gen_ai.*) plus the router's own (auterity.ai.*). Prompts and answers are never recorded.
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api'
import { tracer, tracingOn } from './spans'

export interface LlmCall {
  deployment: string
  provider: string
  model: string
  fallbackIndex: number
  attempt: number
  streamed: boolean
}

export interface LlmSpan {
  ok(r: { inputTokens: number; outputTokens: number; finishReason?: string; costUsd?: number | string }): void
  fail(code: string, message: string): void
}

/** Undefined when tracing is off. The span starts under the active one (the step's) and ends with ok/fail. */
export function startLlmSpan(call: LlmCall): LlmSpan | undefined {
  if (!tracingOn()) return undefined
  const span: Span = tracer().startSpan(`chat ${call.model}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': call.provider,
      'gen_ai.request.model': call.model,
      'auterity.ai.deployment': call.deployment,
      'auterity.ai.fallback_index': call.fallbackIndex,
      'auterity.ai.attempt': call.attempt,
      'auterity.ai.streamed': call.streamed,
    },
  })
  return {
    ok(r) {
      span.setAttributes({
        'gen_ai.usage.input_tokens': r.inputTokens,
        'gen_ai.usage.output_tokens': r.outputTokens,
        ...(r.finishReason && { 'gen_ai.response.finish_reasons': [r.finishReason] }),
        ...(r.costUsd !== undefined && { 'auterity.ai.cost_usd': Number(r.costUsd) }),
      })
      span.end()
    },
    fail(code, message) {
      span.setAttribute('error.type', code)
      span.recordException({ name: code, message })
      span.setStatus({ code: SpanStatusCode.ERROR, message })
      span.end()
    },
  }
}
