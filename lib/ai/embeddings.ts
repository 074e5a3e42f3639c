// Embeddings through the router (`AiRouter.embed`). The inputs are split into provider requests (≤ maxBatch
// inputs and a size cap), a few in flight at once, each with the deployment's timeout and retries; a deployment
// that keeps failing hands the batches still to do to the next candidate. Candidates are only deployments of one
// embedding space (the model and vector length of the target's first deployment): vectors of two models are
// never mixed, in one answer or across calls on the same route. Every vector's length is checked before anything
// is returned. One ledger row per call, costed by the tokens each deployment billed; budgets are checked first.
import type { BreakerBoard } from './breaker'
import { BudgetGuard } from './budget'
import { classify, linkedSignal, rowBase, sleep, usageRow, type RowFields } from './call'
import { maxEstimate, ordered, resolveTarget, withinBudget } from './candidates'
import type { AiCatalog } from './catalog'
import { AiError, AllDeploymentsFailedError, EmbeddingDimensionError, NoCandidateError, ProviderRequestError } from './errors'
import type { LatencyBoard } from './latency'
import type { UsageLedger } from './ledger'
import { costPico, picoToUsd } from './pricing'
import type { ModelFactory } from './providers'
import { loadAiSdk } from './sdk'
import { loadTokenizer, type Tokenizer } from './tokens'
import type { AttemptRecord, CallMeta, Deployment, EmbedRequest, EmbedResult } from './types'

export interface EmbedOptions {
  /** Inputs per provider request (default 96; OpenAI takes at most 2048). */
  maxBatch?: number
  /** Size of one provider request, counted in UTF-8 bytes (never fewer than its tokens): default 300,000, OpenAI's
   * token limit per request and the size above which the AI SDK would split a request itself. */
  maxBatchBytes?: number
  /** Provider requests in flight at once for one call (default 4). */
  parallelism?: number
}

/** What the router lends the embedding path: the same catalog, breakers, latency stats, budgets and ledger as chat. */
export interface EmbedDeps {
  catalog: AiCatalog
  ledger: UsageLedger
  breakers: BreakerBoard
  latency: LatencyBoard
  budgets: BudgetGuard
  models: ModelFactory
  now: () => number
  retryBackoffMs: number
  options: EmbedOptions
}

export const MAX_EMBED_INPUTS = 2048
export const MAX_DIMENSIONS = 16_384

/** Token sizes of the inputs: the byte length bounds them from above for free; exact counts only where needed. */
class InputSizes {
  private readonly exact: (number | undefined)[] = []
  constructor(readonly inputs: string[], private readonly tokenizer: Tokenizer) {}
  bound(i: number): number {
    return Buffer.byteLength(this.inputs[i])
  }
  tokens(i: number): number {
    return (this.exact[i] ??= this.tokenizer.countOnce(this.inputs[i]))
  }
  sum(indices: number[], size: (i: number) => number): number {
    return indices.reduce((n, i) => n + size(i), 0)
  }
}

interface Batch {
  /** Input positions, consecutive. */
  items: number[]
}

/** Consecutive inputs, ≤ maxBatch per request and ≤ maxSize bytes (one larger input goes alone). */
export function splitBatches(sizes: number[], maxBatch: number, maxSize: number): Batch[] {
  const out: Batch[] = []
  let cur: number[] = []
  let size = 0
  sizes.forEach((s, i) => {
    if (cur.length && (cur.length >= maxBatch || size + s > maxSize)) {
      out.push({ items: cur })
      cur = []
      size = 0
    }
    cur.push(i)
    size += s
  })
  if (cur.length) out.push({ items: cur })
  return out
}

/** Model and vector length: deployments of one space give interchangeable vectors. */
export function sameSpace(a: Deployment, b: Deployment, dimensions?: number): boolean {
  return a.modelId === b.modelId && (dimensions ?? a.dimensions ?? null) === (dimensions ?? b.dimensions ?? null)
}

function inputError(field: string, reason: string): AiError {
  return new AiError(400, 'AI_INPUT_INVALID', `${field}: ${reason}`, { fields: { [field]: reason } })
}

function checkRequest(req: EmbedRequest): void {
  if (!Array.isArray(req.input) || !req.input.length) throw inputError('input', 'nothing to embed: give at least one text')
  if (req.input.length > MAX_EMBED_INPUTS) throw inputError('input', `at most ${MAX_EMBED_INPUTS} texts per call, got ${req.input.length}`)
  req.input.forEach((t, i) => {
    if (typeof t !== 'string' || !t.length) throw inputError(`input[${i}]`, 'must be a non-empty string')
  })
  for (const field of ['dimensions', 'expectDimensions'] as const) {
    const v = req[field]
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > MAX_DIMENSIONS)) throw inputError(field, `must be a whole number from 1 to ${MAX_DIMENSIONS}`)
  }
  if (req.maxBatch !== undefined && (!Number.isInteger(req.maxBatch) || req.maxBatch < 1)) throw inputError('maxBatch', 'must be a whole number of at least 1')
  if (req.dimensions && req.expectDimensions && req.dimensions !== req.expectDimensions) throw inputError('dimensions', `asks for ${req.dimensions} dimensions but ${req.expectDimensions} are expected`)
}

/** Deployments (of the target's embedding space) that may serve, after budgets, and those of other spaces. */
interface EmbedPlan {
  candidates: Deployment[]
  skipped: AttemptRecord[]
  budgets: ReturnType<typeof BudgetGuard.applicable>
  estimate: (d: Deployment) => bigint
  sizes: InputSizes
}

type Served = { embeddings: number[][]; tokens: number }
/** A batch gave up on a deployment after its retries: the next candidate takes the rest. */
class Exhausted extends Error {}

export class EmbedRunner {
  constructor(private readonly deps: EmbedDeps) {}

  async run(req: EmbedRequest, meta: CallMeta): Promise<EmbedResult> {
    checkRequest(req)
    const started = this.deps.now()
    const base = rowBase(meta, req.target, false)
    const record = (r: RowFields) => this.deps.ledger.record(usageRow(base, started, this.deps.now(), r))
    const plan = await this.plan(req, meta, (err) => record({ outcome: 'budget_exceeded', errorCode: err.code }))
    const reservation = this.deps.budgets.reserve(plan.budgets, maxEstimate(plan.candidates, plan.estimate))
    const call = new EmbedCall(this.deps, req, meta, plan)
    try {
      const done = await call.serve()
      const cost = call.cost()
      reservation.settle(cost)
      record({ outcome: 'ok', dep: done.dep, usage: { inputTokens: call.tokens(), outputTokens: 0 }, cost, fallbackIndex: done.index, attempts: call.attempts })
      return {
        embeddings: call.vectors(),
        dimensions: call.dimension!,
        usage: { inputTokens: call.tokens() },
        costUsd: picoToUsd(cost),
        deployment: done.dep.name,
        provider: done.dep.provider,
        model: done.dep.modelId,
        fallbackIndex: done.index,
        attempts: call.attempts,
        latencyMs: this.deps.now() - started,
        batches: call.batchCount,
      }
    } catch (err) {
      const cost = call.cost()
      reservation.settle(cost)
      const f = classify(err, meta.signal)
      const code = err instanceof AiError ? err.code : f.code
      record({ outcome: 'error', errorCode: code, dep: call.active?.dep, usage: { inputTokens: call.tokens(), outputTokens: 0 }, cost, fallbackIndex: call.active?.index ?? 0, attempts: call.attempts })
      if (f.kind === 'reject' && !(err instanceof AiError)) throw new ProviderRequestError(call.active?.dep.name ?? req.target, f.status ?? 400, f.message)
      throw err
    }
  }

  private async plan(req: EmbedRequest, meta: CallMeta, onBudgetBlocked: (err: AiError) => void): Promise<EmbedPlan> {
    const snap = await this.deps.catalog.snapshot(meta.tenantId)
    const { route, listed } = resolveTarget(snap, req.target, 'embedding')
    if (!listed.length) throw new NoCandidateError(req.target, 'no active embedding deployment in the route')
    // The first listed deployment fixes the space whatever the strategy: a route gives vectors of one model.
    const first = listed[0]
    const space = listed.filter((d) => sameSpace(first, d, req.dimensions))
    const skipped = listed
      .filter((d) => !space.includes(d))
      .map((d) => ({ deployment: d.name, code: 'AI_OTHER_EMBEDDING_SPACE', error: `${d.modelId} (${req.dimensions ?? d.dimensions ?? 'default'} dimensions) is not the embedding space of ${first.name}: ${first.modelId} (${req.dimensions ?? first.dimensions ?? 'default'} dimensions)` }))
    const sizes = new InputSizes(req.input, await loadTokenizer())
    req.input.forEach((_, i) => {
      if (sizes.bound(i) > first.contextLength && sizes.tokens(i) > first.contextLength)
        throw inputError(`input[${i}]`, `${sizes.tokens(i)} tokens, over the ${first.contextLength}-token context of ${first.modelId}`)
    })
    const budgets = BudgetGuard.applicable(snap.budgets, meta.workflowId)
    // Exact tokens only when a budget needs the estimate; otherwise it only orders candidates by price.
    const all = req.input.map((_, i) => i)
    const tokens = budgets.length ? sizes.sum(all, (i) => sizes.tokens(i)) : sizes.sum(all, (i) => sizes.bound(i))
    const estimate = (d: Deployment) => costPico(tokens, 0, d)
    const candidates = await withinBudget(this.deps.budgets, budgets, route, ordered(route, space, estimate, this.deps.latency), estimate, onBudgetBlocked)
    return { candidates, skipped, budgets, estimate, sizes }
  }
}

/** One embed call in progress: which batches are done, by whom, what they cost. */
class EmbedCall {
  readonly attempts: AttemptRecord[]
  active: { dep: Deployment; index: number } | undefined
  dimension: number | undefined
  private readonly batches: Batch[]
  private readonly results: (number[][] | undefined)[]
  private readonly billed: { dep: Deployment; tokens: number }[] = []
  private readonly signal: AbortSignal
  private readonly local: ReturnType<typeof linkedSignal>

  constructor(private readonly deps: EmbedDeps, private readonly req: EmbedRequest, private readonly meta: CallMeta, private readonly plan: EmbedPlan) {
    this.attempts = [...plan.skipped]
    const maxBatch = Math.min(req.maxBatch ?? deps.options.maxBatch ?? 96, MAX_EMBED_INPUTS)
    this.batches = splitBatches(req.input.map((_, i) => plan.sizes.bound(i)), maxBatch, deps.options.maxBatchBytes ?? 300_000)
    this.results = new Array(this.batches.length)
    this.local = linkedSignal(meta.signal)
    this.signal = this.local.signal
  }

  get batchCount(): number {
    return this.batches.length
  }

  /** Runs the batches on each candidate in turn until all are done. */
  async serve(): Promise<{ dep: Deployment; index: number }> {
    let pending = this.batches.map((_, i) => i)
    try {
      for (const [index, dep] of this.plan.candidates.entries()) {
        const breaker = this.deps.breakers.get(dep.id)
        if (!breaker.tryAcquire(this.deps.now())) {
          this.attempts.push({ deployment: dep.name, code: 'CIRCUIT_OPEN', error: 'circuit open' })
          continue
        }
        this.active = { dep, index }
        try {
          pending = await this.runOn(dep, pending)
        } catch (err) {
          breaker.release()
          throw err
        }
        if (!pending.length) {
          breaker.onSuccess()
          return this.active
        }
        breaker.onFailure(this.deps.now())
      }
      throw new AllDeploymentsFailedError(this.req.target, this.attempts)
    } finally {
      this.local.dispose()
    }
  }

  /** The batches left undone on `dep` (a batch ran out of retries); throws what failover cannot fix. */
  private async runOn(dep: Deployment, pending: number[]): Promise<number[]> {
    let next = 0
    let stop = false
    const left: number[] = []
    let fatal: unknown
    const worker = async () => {
      while (!stop && next < pending.length) {
        const b = pending[next++]
        try {
          this.results[b] = await this.withRetries(dep, this.batches[b])
        } catch (err) {
          stop = true
          left.push(b)
          if (!(err instanceof Exhausted) && fatal === undefined) {
            fatal = err
            this.local.abort()
          }
        }
      }
    }
    const lanes = Math.max(1, Math.min(this.deps.options.parallelism ?? 4, pending.length))
    await Promise.all(Array.from({ length: lanes }, worker))
    if (fatal !== undefined) throw this.meta.signal?.aborted ? this.meta.signal.reason : fatal
    return [...left, ...pending.slice(next)].sort((a, b) => a - b)
  }

  private async withRetries(dep: Deployment, batch: Batch): Promise<number[][]> {
    for (let attempt = 0; ; attempt++) {
      const t0 = this.deps.now()
      try {
        const served = await this.callOnce(dep, batch)
        this.deps.latency.record(dep.id, this.deps.now() - t0)
        this.billed.push({ dep, tokens: served.tokens })
        this.checkDimensions(dep, served.embeddings)
        return served.embeddings
      } catch (err) {
        const f = classify(err, this.signal)
        if (f.kind !== 'transient') throw err
        this.attempts.push({ deployment: dep.name, code: f.code, error: f.message })
        if (attempt >= dep.maxRetries) throw new Exhausted(f.message)
        await sleep(this.deps.retryBackoffMs * 2 ** attempt, this.signal)
      }
    }
  }

  private async callOnce(dep: Deployment, batch: Batch): Promise<Served> {
    const model = await this.deps.models.embedding(this.meta.tenantId, dep)
    const { embedMany } = await loadAiSdk()
    const values = batch.items.map((i) => this.req.input[i])
    const call = linkedSignal(this.signal, dep.timeoutMs)
    try {
      const providerOptions = this.req.dimensions ? { openai: { dimensions: this.req.dimensions } } : undefined
      const r = await embedMany({ model, values, maxRetries: 0, abortSignal: call.signal, providerOptions })
      if (r.embeddings.length !== values.length) throw new AiError(502, 'AI_EMBEDDING_COUNT', `${dep.name} returned ${r.embeddings.length} embeddings for ${values.length} inputs`)
      // A provider that reports no usage (some local servers) is charged by our own count.
      const tokens = Number.isFinite(r.usage.tokens) ? r.usage.tokens : this.plan.sizes.sum(batch.items, (i) => this.plan.sizes.tokens(i))
      return { embeddings: r.embeddings, tokens }
    } finally {
      call.dispose()
    }
  }

  private checkDimensions(dep: Deployment, vectors: number[][]): void {
    const [expected, source] =
      this.req.expectDimensions !== undefined ? [this.req.expectDimensions, 'request' as const]
      : this.req.dimensions !== undefined ? [this.req.dimensions, 'request' as const]
      : dep.dimensions ? [dep.dimensions, 'deployment' as const]
      : [this.dimension ?? vectors[0]?.length, 'first vector' as const]
    for (const v of vectors) if (v.length !== expected) throw new EmbeddingDimensionError(dep.name, expected!, v.length, source)
    this.dimension = expected
  }

  vectors(): number[][] {
    return this.results.flatMap((r) => r!)
  }

  tokens(): number {
    return this.billed.reduce((n, b) => n + b.tokens, 0)
  }

  /** Exact: each batch at the price of the deployment that served it. */
  cost(): bigint {
    return this.billed.reduce((c, b) => c + costPico(b.tokens, 0, b.dep), 0n)
  }
}
