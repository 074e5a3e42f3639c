// Typed router errors. They are AppErrors (HTTP answers for the OpenAI-compatible endpoint) and nodes turn them
// into NodeErrors with toNodeError(): budget and bad-request errors fail the step, exhausted failover may retry.
import { AppError } from '../errors'
import { NodeError } from '../engine/types'
import type { AttemptRecord } from './types'

export class AiError extends AppError {
  readonly retryable: boolean
  constructor(status: number, code: string, message: string, opts: { retryable?: boolean; details?: unknown; fields?: Record<string, string> } = {}) {
    super(status, code, message, { details: opts.details, fields: opts.fields })
    this.name = 'AiError'
    this.retryable = opts.retryable ?? false
  }
}

export class BudgetExceededError extends AiError {
  constructor(message: string, details: { scope: string; period: string; limitUsd: string; spentUsd: string; estimateUsd: string }) {
    super(402, 'BUDGET_EXCEEDED', message, { details })
    this.name = 'BudgetExceededError'
  }
}

export class UnknownTargetError extends AiError {
  constructor(target: string) {
    super(404, 'AI_TARGET_NOT_FOUND', `No active deployment or route named "${target}"`)
  }
}

export class NoCandidateError extends AiError {
  constructor(target: string, why: string) {
    super(422, 'AI_NO_CANDIDATE', `No deployment of "${target}" can serve this request: ${why}`)
  }
}

export class AllDeploymentsFailedError extends AiError {
  constructor(target: string, attempts: AttemptRecord[]) {
    const last = attempts.at(-1)
    super(502, 'AI_ALL_FAILED', `Every deployment for "${target}" failed${last ? ` (last: ${last.deployment}: ${last.error})` : ''}`, { retryable: true, details: { attempts } })
  }
}

/** The provider rejected the request itself (400-class other than 429): failing over would not help. */
export class ProviderRequestError extends AiError {
  constructor(deployment: string, status: number, message: string) {
    super(400, 'AI_PROVIDER_REJECTED', `${deployment} rejected the request (${status}): ${message}`)
  }
}

/** The outbound guard refused a deployment's base URL (internal address, bad scheme): no call was made. */
export class BaseUrlBlockedError extends AiError {
  constructor(deployment: string, reason: string, details?: unknown) {
    super(422, 'AI_BASE_URL_BLOCKED', `Deployment "${deployment}" baseUrl: ${reason}`, { details, fields: { baseUrl: reason } })
    this.name = 'BaseUrlBlockedError'
  }
}

export class OutputInvalidError extends AiError {
  constructor(message: string, details?: unknown) {
    super(422, 'AI_OUTPUT_INVALID', message, { details })
  }
}

/** A chat call named an embedding deployment, or the reverse: the wire formats differ, nothing is sent. */
export class WrongKindError extends AiError {
  constructor(target: string, what: 'deployment' | 'route', is: 'chat' | 'embedding', wanted: 'chat' | 'embedding') {
    const needs = wanted === 'embedding' ? 'embeddings need an embedding deployment' : 'chat calls need a chat deployment'
    super(422, 'AI_WRONG_KIND', `"${target}" is ${what === 'route' ? 'a route of' : 'an'} ${is === 'embedding' ? 'embedding' : 'chat'} ${what === 'route' ? 'deployments' : 'deployment'}: ${needs}`, { details: { target, kind: is, wanted } })
  }
}

/** The provider returned vectors of another length than the collection or the deployment says: never stored. */
export class EmbeddingDimensionError extends AiError {
  constructor(deployment: string, expected: number, received: number, source: 'request' | 'deployment' | 'first vector') {
    const why = source === 'request' ? 'the caller expects' : source === 'deployment' ? 'the deployment is configured for' : 'the first vector has'
    super(502, 'AI_EMBEDDING_DIMENSION', `${deployment} returned an embedding of ${received} dimensions, ${why} ${expected}`, { details: { deployment, expected, received, source } })
  }
}

export function toNodeError(err: unknown): unknown {
  if (err instanceof AiError) {
    const field = err.fields ? Object.keys(err.fields)[0] : undefined
    return new NodeError(err.message, { code: err.code, retryable: err.retryable, details: err.details, field, cause: err })
  }
  return err
}
