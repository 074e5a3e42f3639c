// What every provider call of the router shares, chat or embeddings: a per-call signal with the deployment's
// timeout, the classification of a failure (fail over, or the request's own fault), the backoff sleep, and the
// ledger row built from what happened.
import { AiError } from './errors'
import type { AttemptRecord, Deployment, Usage, UsageRow } from './types'

export type Failure = { kind: 'transient' | 'reject' | 'aborted'; code: string; message: string; status?: number }

/**
 * A signal that follows `parent` and, with `timeoutMs`, times out. Unlike AbortSignal.any/timeout it leaves no
 * listener on the parent and no pending timer behind once disposed: a step signal lives across many calls.
 */
export function linkedSignal(parent: AbortSignal | undefined, timeoutMs?: number) {
  const ctl = new AbortController()
  const onAbort = () => ctl.abort(parent!.reason)
  if (parent?.aborted) ctl.abort(parent.reason)
  else parent?.addEventListener('abort', onAbort, { once: true })
  const fire = () => ctl.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError'))
  let timer = timeoutMs ? setTimeout(fire, timeoutMs) : undefined
  return {
    signal: ctl.signal,
    /** Streams: the timeout is an idle timeout, restarted by every part that arrives. */
    touch: () => {
      if (!timer) return
      clearTimeout(timer)
      timer = setTimeout(fire, timeoutMs)
    },
    abort: () => ctl.abort(new DOMException('cancelled', 'AbortError')),
    dispose: () => {
      if (timer) clearTimeout(timer)
      parent?.removeEventListener('abort', onAbort)
    },
  }
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error('aborted'), { name: 'AbortError' })
}

/** transient: retry, then fail over; reject: the request's fault (or ours), no failover; aborted: the caller left. */
export function classify(err: unknown, callerSignal?: AbortSignal): Failure {
  if (callerSignal?.aborted) return { kind: 'aborted', code: 'ABORTED', message: 'cancelled by the caller' }
  if (err instanceof AiError) return { kind: 'reject', code: err.code, message: err.message }
  const e = (err as { lastError?: unknown })?.lastError ?? err
  const name = (e as Error)?.name ?? ''
  const message = String((e as Error)?.message ?? e).slice(0, 500)
  if (name === 'TimeoutError' || name === 'AbortError' || /aborted|timed? ?out/i.test(message)) return { kind: 'transient', code: 'TIMEOUT', message: 'timed out' }
  const status = (e as { statusCode?: number })?.statusCode
  if (typeof status === 'number') {
    if (status === 429) return { kind: 'transient', code: 'RATE_LIMITED', message, status }
    if (status === 408 || status === 409 || status >= 500) return { kind: 'transient', code: `HTTP_${status}`, message, status }
    return { kind: 'reject', code: `HTTP_${status}`, message, status }
  }
  if (name === 'AI_NoObjectGeneratedError') return { kind: 'reject', code: 'AI_OUTPUT_INVALID', message }
  return { kind: 'transient', code: 'NETWORK', message }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true })
  })
}

/** The ledger fields every row of one call shares (who called, what they named). */
export type RowBase = Omit<UsageRow, 'inputTokens' | 'outputTokens' | 'costPico' | 'latencyMs' | 'outcome' | 'fallbackIndex' | 'createdAt'>
/** What one outcome adds: the deployment that answered (or last failed), tokens and exact cost. */
export type RowFields = { outcome: UsageRow['outcome']; errorCode?: string; dep?: Deployment; usage?: Usage; cost?: bigint; fallbackIndex?: number; attempts?: AttemptRecord[] }

export function rowBase(meta: { tenantId: string; workflowId?: string; executionId?: string; stepId?: string; apiKeyId?: string; source?: string }, target: string, streamed: boolean): RowBase {
  return { tenantId: meta.tenantId, workflowId: meta.workflowId, executionId: meta.executionId, stepId: meta.stepId, apiKeyId: meta.apiKeyId, source: meta.source ?? 'workflow', target, streamed }
}

export function usageRow(base: RowBase, started: number, now: number, r: RowFields): UsageRow {
  return {
    ...base,
    deploymentId: r.dep?.id ?? null,
    deploymentName: r.dep?.name ?? null,
    provider: r.dep?.provider ?? null,
    model: r.dep?.modelId ?? null,
    inputTokens: r.usage?.inputTokens ?? 0,
    outputTokens: r.usage?.outputTokens ?? 0,
    costPico: r.cost ?? 0n,
    latencyMs: now - started,
    outcome: r.outcome,
    errorCode: r.errorCode ?? null,
    fallbackIndex: r.fallbackIndex ?? 0,
    attempts: r.attempts?.length ? [...r.attempts] : undefined,
    createdAt: new Date(now),
  }
}
