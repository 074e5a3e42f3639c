// The AI router: resolve a deployment or route to ordered candidates, check budgets before the call, call
// through the AI SDK with per-deployment timeouts, retries and circuit breakers, fail over on errors, timeouts
// and 429s, and record every call on the usage ledger with its exact cost. The AI SDK (./sdk.ts) and the tokenizer
// are loaded on the first call, not when the router is made.
import { BreakerBoard, type BreakerOptions } from './breaker'
import { BudgetGuard, type SpendSource } from './budget'
import { abortReason, classify, linkedSignal, rowBase, sleep, usageRow, type RowFields } from './call'
import { maxEstimate, ordered, resolveTarget, withinBudget } from './candidates'
import type { AiCatalog } from './catalog'
import { derivedRequirements, parseJsonOutput, toModelMessages, toToolChoice, toToolSet } from './convert'
import { loadAiSdk, type AiSdk } from './sdk'
import { EmbedRunner, type EmbedOptions } from './embeddings'
import { AllDeploymentsFailedError, AiError, NoCandidateError, ProviderRequestError } from './errors'
import { LatencyBoard } from './latency'
import type { UsageLedger } from './ledger'
import { costPico, picoToUsd } from './pricing'
import { ModelFactory, type CredentialResolver } from './providers'
import { loadTokenizer, type Tokenizer } from './tokens'
import { startLlmSpan } from '../telemetry/ai'
import type { AttemptRecord, Budget, CallMeta, ChatRequest, ChatResult, Deployment, EmbedRequest, EmbedResult, Requirements, StreamEvent, ToolCall, Usage } from './types'

// The AI SDK logs a warning per call for ignored settings (e.g. temperature on some models): noise on a router
// that serves every call of every tenant. Hosts can turn it back on by setting the global first.
const g = globalThis as { AI_SDK_LOG_WARNINGS?: unknown }
g.AI_SDK_LOG_WARNINGS ??= false

export interface AiRouterOptions {
  catalog: AiCatalog
  ledger: UsageLedger
  credentials: CredentialResolver
  /** Every provider call goes out through this: the host's guarded fetch (lib/net createGuardedFetch). */
  fetch: typeof globalThis.fetch
  spend: SpendSource
  breaker?: Partial<BreakerOptions>
  /** Output tokens assumed for the budget estimate when the request sets no maxTokens. */
  defaultMaxTokens?: number
  /** First retry delay on the same deployment; doubles per retry. */
  retryBackoffMs?: number
  budgetRefreshMs?: number
  /** Embedding calls: batch size, request size cap, requests in flight per call. */
  embeddings?: EmbedOptions
  now?: () => number
}

interface Plan {
  candidates: Deployment[]
  budgets: Budget[]
  promptTokens: number
  maxTokens: number
  tokens: Tokenizer
}

export class AiRouter {
  readonly breakers: BreakerBoard
  readonly latency = new LatencyBoard()
  readonly budgets: BudgetGuard
  private readonly models: ModelFactory
  private readonly embeddings: EmbedRunner
  private readonly now: () => number

  constructor(private readonly opts: AiRouterOptions) {
    this.now = opts.now ?? Date.now
    this.breakers = new BreakerBoard({ failureThreshold: opts.breaker?.failureThreshold ?? 3, cooldownMs: opts.breaker?.cooldownMs ?? 30_000 })
    this.budgets = new BudgetGuard(opts.spend, opts.budgetRefreshMs, this.now)
    this.models = new ModelFactory(opts.credentials, opts.fetch, this.now)
    this.embeddings = new EmbedRunner({
      catalog: opts.catalog,
      ledger: opts.ledger,
      breakers: this.breakers,
      latency: this.latency,
      budgets: this.budgets,
      models: this.models,
      now: this.now,
      retryBackoffMs: opts.retryBackoffMs ?? 100,
      options: opts.embeddings ?? {},
    })
  }

  get ledger(): UsageLedger {
    return this.opts.ledger
  }

  get catalog(): AiCatalog {
    return this.opts.catalog
  }

  async chat(req: ChatRequest, meta: CallMeta): Promise<ChatResult> {
    let result: ChatResult | undefined
    for await (const ev of this.run(req, meta, false)) if (ev.type === 'finish') result = ev.result
    return result!
  }

  /** Embeddings: batched, retried, failed over between deployments of the same model, costed and budgeted. */
  embed(req: EmbedRequest, meta: CallMeta): Promise<EmbedResult> {
    return this.embeddings.run(req, meta)
  }

  /** Streams text deltas and tool calls, then a final `finish` event with usage and cost. */
  stream(req: ChatRequest, meta: CallMeta): AsyncGenerator<StreamEvent> {
    return this.run(req, meta, true)
  }

  private async *run(req: ChatRequest, meta: CallMeta, streamed: boolean): AsyncGenerator<StreamEvent> {
    const started = this.now()
    const base = rowBase(meta, req.target, streamed)
    const plan = await this.plan(req, meta, (err) => this.opts.ledger.record(usageRow(base, started, this.now(), { outcome: 'budget_exceeded', errorCode: err.code })))
    const estimate = (d: Deployment) => costPico(plan.promptTokens, plan.maxTokens, d)
    const reservation = this.budgets.reserve(plan.budgets, maxEstimate(plan.candidates, estimate))
    // Aborts the provider call when the consumer stops iterating early (client closed the stream).
    const local = linkedSignal(meta.signal)
    const signal = local.signal
    const callMeta = { ...meta, signal }
    const attempts: AttemptRecord[] = []
    let partial = ''
    let active: { dep: Deployment; index: number } | undefined
    let recorded = false
    const record = (r: RowFields) => {
      recorded = true
      this.opts.ledger.record(usageRow(base, started, this.now(), { ...r, attempts }))
    }
    // Tokens the provider likely billed for a call cut short: the prompt plus what was streamed so far.
    const cutShort = (dep: Deployment) => {
      const usage = { inputTokens: plan.promptTokens, outputTokens: plan.tokens.countText(partial) }
      return { usage, cost: costPico(usage.inputTokens, usage.outputTokens, dep) }
    }
    try {
      for (const [index, dep] of plan.candidates.entries()) {
        const breaker = this.breakers.get(dep.id)
        if (!breaker.tryAcquire(this.now())) {
          attempts.push({ deployment: dep.name, code: 'CIRCUIT_OPEN', error: 'circuit open' })
          meta.log?.warn(`AI deployment "${dep.name}" skipped: its circuit is open after repeated failures${nextOf(plan.candidates, index)}`, { deployment: dep.name, code: 'CIRCUIT_OPEN' })
          continue
        }
        active = { dep, index }
        for (let attempt = 0; ; attempt++) {
          const callStart = this.now()
          const providerStart = performance.now()
          let emitted = false
          const span = startLlmSpan({ deployment: dep.name, provider: dep.provider, model: dep.modelId, fallbackIndex: index, attempt: attempt + 1, streamed })
          try {
            const out = streamed ? this.callStream(dep, req, callMeta, plan) : this.callOnce(dep, req, callMeta, plan)
            let final: Done['result'] | undefined
            for await (const ev of out) {
              if (ev.type === 'done') final = ev.result
              else {
                emitted = true
                if (ev.type === 'text') partial += ev.delta
                yield ev
              }
            }
            const providerMs = performance.now() - providerStart
            breaker.onSuccess()
            this.latency.record(dep.id, this.now() - callStart)
            const cost = costPico(final!.usage.inputTokens, final!.usage.outputTokens, dep)
            reservation.settle(cost)
            const result: ChatResult = { ...final!, costUsd: picoToUsd(cost), deployment: dep.name, provider: dep.provider, model: dep.modelId, fallbackIndex: index, attempts, latencyMs: this.now() - started, providerMs }
            span?.ok({ ...final!.usage, finishReason: final!.finishReason, costUsd: result.costUsd })
            record({ outcome: 'ok', dep, usage: final!.usage, cost, fallbackIndex: index })
            yield { type: 'finish', result }
            return
          } catch (err) {
            const f = classify(err, signal)
            span?.fail(f.code, f.message)
            if (f.kind === 'aborted' || f.kind === 'reject' || emitted) {
              // Not the deployment's health: caller cancelled, the request was bad, or the stream broke after
              // tokens reached the caller (it cannot be replayed on another deployment).
              if (f.kind === 'aborted' || f.kind === 'reject') breaker.release()
              else breaker.onFailure(this.now())
              const invalid = err instanceof AiError && err.code === 'AI_OUTPUT_INVALID' ? (err as AiError & { usage?: Usage }).usage : undefined
              const billed = invalid ? { usage: invalid, cost: costPico(invalid.inputTokens, invalid.outputTokens, dep) } : f.kind === 'reject' ? { usage: undefined, cost: 0n } : cutShort(dep)
              reservation.settle(billed.cost)
              record({ outcome: 'error', errorCode: f.code, dep, usage: billed.usage, cost: billed.cost, fallbackIndex: index })
              if (f.kind === 'reject' && !(err instanceof AiError)) throw new ProviderRequestError(dep.name, f.status ?? 400, f.message)
              throw err
            }
            attempts.push({ deployment: dep.name, code: f.code, error: f.message })
            if (attempt < dep.maxRetries) {
              const waitMs = (this.opts.retryBackoffMs ?? 100) * 2 ** attempt
              meta.log?.warn(`AI deployment "${dep.name}" failed (${f.code}: ${f.message}): retry ${attempt + 1} of ${dep.maxRetries} in ${waitMs} ms`, { deployment: dep.name, code: f.code, retry: attempt + 1, waitMs })
              await sleep(waitMs, signal)
              continue
            }
            meta.log?.warn(`AI deployment "${dep.name}" failed (${f.code}: ${f.message})${nextOf(plan.candidates, index)}`, { deployment: dep.name, code: f.code })
            breaker.onFailure(this.now())
            break
          }
        }
      }
      reservation.settle(0n)
      record({ outcome: 'error', errorCode: 'AI_ALL_FAILED', fallbackIndex: plan.candidates.length - 1 })
      throw new AllDeploymentsFailedError(req.target, attempts)
    } finally {
      if (!recorded) {
        // The consumer stopped iterating early: stop the provider call and record what it likely cost.
        local.abort()
        if (active) this.breakers.get(active.dep.id).release()
        const billed = active ? cutShort(active.dep) : { usage: undefined, cost: 0n }
        reservation.settle(billed.cost)
        record({ outcome: 'error', errorCode: 'CANCELLED', dep: active?.dep, usage: billed.usage, cost: billed.cost, fallbackIndex: active?.index ?? 0 })
      }
      reservation.settle(0n)
      local.dispose()
    }
  }

  private async plan(req: ChatRequest, meta: CallMeta, onBudgetBlocked: (err: AiError) => void): Promise<Plan> {
    const snap = await this.opts.catalog.snapshot(meta.tenantId)
    const { route, listed } = resolveTarget(snap, req.target, 'chat')
    const tokens = await loadTokenizer()
    const promptTokens = tokens.countPrompt(req.messages, req.tools)
    const maxTokens = req.maxTokens ?? this.opts.defaultMaxTokens ?? 1024
    const need = { ...route.requires, ...stripUndefined(derivedRequirements(req)) }
    const fitting = listed.filter((d) => fits(d, need, promptTokens + maxTokens))
    if (!fitting.length) throw new NoCandidateError(req.target, listed.length ? describeNeed(need, promptTokens + maxTokens) : 'no active deployment in the route')
    const estimate = (d: Deployment) => costPico(promptTokens, maxTokens, d)
    const budgets = BudgetGuard.applicable(snap.budgets, meta.workflowId)
    const candidates = await withinBudget(this.budgets, budgets, route, ordered(route, fitting, estimate, this.latency), estimate, onBudgetBlocked)
    return { candidates, budgets, promptTokens, maxTokens, tokens }
  }

  private async *callOnce(dep: Deployment, req: ChatRequest, meta: CallMeta, plan: Plan): AsyncGenerator<Done> {
    const model = await this.models.get(meta.tenantId, dep)
    const ai = await loadAiSdk()
    const call = linkedSignal(meta.signal, dep.timeoutMs)
    const r = await ai.generateText({ model, ...this.callOptions(ai, req, plan), abortSignal: call.signal, maxRetries: 0 }).finally(call.dispose)
    const toolCalls = r.toolCalls.map((c) => ({ id: c.toolCallId, name: c.toolName, arguments: c.input }))
    yield { type: 'done', result: finish(req, r.text, toolCalls, r.finishReason, usageOf(r.usage, plan, r.text)) }
  }

  private async *callStream(dep: Deployment, req: ChatRequest, meta: CallMeta, plan: Plan): AsyncGenerator<StreamEvent | Done> {
    const model = await this.models.get(meta.tenantId, dep)
    const ai = await loadAiSdk()
    const call = linkedSignal(meta.signal, dep.timeoutMs)
    try {
      yield* this.streamParts(ai.streamText({ model, ...this.callOptions(ai, req, plan), abortSignal: call.signal, maxRetries: 0, onError: () => {} }), req, plan, call)
    } finally {
      call.dispose()
    }
  }

  private async *streamParts(s: ReturnType<AiSdk['streamText']>, req: ChatRequest, plan: Plan, call: { signal: AbortSignal; touch(): void }): AsyncGenerator<StreamEvent | Done> {
    let text = ''
    const toolCalls: ToolCall[] = []
    let usage: Usage | undefined
    let finishReason = 'stop'
    for await (const part of s.fullStream) {
      call.touch()
      if (part.type === 'text-delta') {
        text += part.text
        yield { type: 'text', delta: part.text }
      } else if (part.type === 'tool-call') {
        const call = { id: part.toolCallId, name: part.toolName, arguments: part.input }
        toolCalls.push(call)
        yield { type: 'tool-call', toolCall: call }
      } else if (part.type === 'finish') {
        finishReason = part.finishReason
        usage = usageOf(part.totalUsage, plan, text)
      } else if (part.type === 'error') throw part.error
      else if (part.type === 'abort') throw abortReason(call.signal)
    }
    yield { type: 'done', result: finish(req, text, toolCalls, finishReason, usage ?? usageOf(undefined, plan, text)) }
  }

  private callOptions(ai: AiSdk, req: ChatRequest, plan: Plan) {
    const rf = req.responseFormat
    return {
      messages: toModelMessages(req.messages),
      allowSystemInMessages: true,
      tools: toToolSet(ai, req),
      toolChoice: toToolChoice(req),
      maxOutputTokens: plan.maxTokens,
      temperature: req.temperature,
      topP: req.topP,
      stopSequences: req.stop,
      output: rf ? (rf.schema ? ai.Output.object({ schema: ai.jsonSchema(rf.schema as Parameters<AiSdk['jsonSchema']>[0]), name: rf.name }) : ai.Output.json()) : undefined,
    }
  }
}

type Done = { type: 'done'; result: Pick<ChatResult, 'text' | 'toolCalls' | 'finishReason' | 'json' | 'usage'> }

function finish(req: ChatRequest, text: string, toolCalls: ToolCall[], finishReason: string, usage: Usage): Done['result'] {
  let json: unknown
  if (req.responseFormat && !toolCalls.length) {
    try {
      json = parseJsonOutput(text, req.responseFormat.schema)
    } catch (err) {
      Object.assign(err as object, { usage })
      throw err
    }
  }
  return { text, toolCalls, finishReason, json, usage }
}

/** How a failed deployment's log line ends: which deployment the router tries next, or that none is left. */
function nextOf(candidates: Deployment[], index: number): string {
  const next = candidates[index + 1]
  return next ? `; trying "${next.name}" next` : '; no deployment left to try'
}

function usageOf(u: { inputTokens: number | undefined; outputTokens: number | undefined } | undefined, plan: Plan, text: string): Usage {
  // Providers that report no usage (some local servers) are charged by our own count.
  return { inputTokens: u?.inputTokens ?? plan.promptTokens, outputTokens: u?.outputTokens ?? plan.tokens.countText(text) }
}

function fits(d: Deployment, need: Requirements, tokens: number): boolean {
  if (need.tools && !d.capabilities.tools) return false
  if (need.json && !d.capabilities.json) return false
  if (need.vision && !d.capabilities.vision) return false
  if (need.minContext && d.contextLength < need.minContext) return false
  return d.contextLength >= tokens
}

function describeNeed(need: Requirements, tokens: number): string {
  const caps = (['tools', 'json', 'vision'] as const).filter((k) => need[k])
  return `needs ${[...caps, `a context of ${Math.max(tokens, need.minContext ?? 0)} tokens`].join(', ')}`
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

