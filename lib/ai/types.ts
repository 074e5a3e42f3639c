// The router's vocabulary: requests in an OpenAI-chat-like shape (so the OpenAI-compatible endpoint maps 1:1),
// deployments and routes as the catalog resolves them, and results with usage and cost.

export type ProviderKind = 'openai' | 'anthropic' | 'openaiCompatible'

export type ContentPart = { type: 'text'; text: string } | { type: 'image'; url: string }

export interface ToolCall {
  id: string
  name: string
  /** Parsed JSON arguments. */
  arguments: unknown
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ContentPart[] }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string }

export interface ToolSpec {
  name: string
  description?: string
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>
}

export interface ChatRequest {
  /** A deployment name or a route name. */
  target: string
  messages: ChatMessage[]
  tools?: ToolSpec[]
  toolChoice?: 'auto' | 'none' | 'required' | { name: string }
  /** JSON output; with a schema, the answer is validated against it. */
  responseFormat?: { type: 'json'; schema?: Record<string, unknown>; name?: string }
  temperature?: number
  maxTokens?: number
  topP?: number
  stop?: string[]
}

/** Who is calling: recorded on the ledger row and used for budgets. */
export interface CallMeta {
  tenantId: string
  workflowId?: string
  executionId?: string
  stepId?: string
  apiKeyId?: string
  source?: 'workflow' | 'api' | 'evaluation'
  signal?: AbortSignal
  /** The calling step's log (ctx.log): retries and fallbacks between deployments are noted there. */
  log?: { warn(message: string, data?: Record<string, unknown>): void }
}

export interface Capabilities {
  tools: boolean
  json: boolean
  vision: boolean
}

export interface Deployment {
  id: string
  name: string
  provider: ProviderKind
  modelId: string
  /** chat (default) or embedding: chat calls never go to an embedding deployment, nor the reverse. */
  kind?: 'chat' | 'embedding'
  /** Embedding deployments: the vector length they return (null: the provider's default). */
  dimensions?: number | null
  baseUrl?: string | null
  credentialId?: string | null
  contextLength: number
  capabilities: Capabilities
  /** micro-USD per 1M tokens. */
  inputPriceMicros: bigint
  outputPriceMicros: bigint
  timeoutMs: number
  maxRetries: number
  status: 'draft' | 'active' | 'retired'
}

export type RouteStrategy = 'failover' | 'cheapest' | 'fastest'

export interface Requirements {
  tools?: boolean
  json?: boolean
  vision?: boolean
  minContext?: number
}

export interface RoutePolicy {
  name: string
  strategy: RouteStrategy
  /** Candidate deployment names; the failover order for 'failover'. */
  deployments: string[]
  requires?: Requirements
  /** Over budget: fail the call, or pick a cheaper candidate that fits. */
  onBudgetExceeded?: 'fail' | 'cheaper'
}

export interface Budget {
  tenantId: string
  /** null = the whole tenant. */
  workflowId: string | null
  period: 'day' | 'month'
  /** USD as a decimal string, e.g. "5.00". */
  limitUsd: string
}

export interface Usage {
  inputTokens: number
  outputTokens: number
}

export interface AttemptRecord {
  deployment: string
  error: string
  code: string
}

/** Who served a routed call, what it cost and how long it took (chat and embeddings alike). */
export interface ServedCall {
  /** USD decimal string, exact. */
  costUsd: string
  deployment: string
  provider: ProviderKind
  model: string
  /** 0 = the first candidate served it. */
  fallbackIndex: number
  attempts: AttemptRecord[]
  latencyMs: number
}

export interface ChatResult extends ServedCall {
  text: string
  toolCalls: ToolCall[]
  finishReason: string
  /** Parsed (and, with a schema, validated) JSON when responseFormat is json. */
  json?: unknown
  usage: Usage
  /** Time inside the provider call that served (sub-millisecond), to tell router overhead from provider time. */
  providerMs: number
}

export type StreamEvent =
  | { type: 'text'; delta: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  | { type: 'finish'; result: ChatResult }

export interface UsageRow {
  tenantId: string
  workflowId?: string | null
  executionId?: string | null
  stepId?: string | null
  apiKeyId?: string | null
  source: string
  target: string
  deploymentId?: string | null
  deploymentName?: string | null
  provider?: string | null
  model?: string | null
  inputTokens: number
  outputTokens: number
  /** picodollars (1e-12 USD): exact integer arithmetic. */
  costPico: bigint
  latencyMs: number
  outcome: 'ok' | 'error' | 'budget_exceeded'
  errorCode?: string | null
  fallbackIndex: number
  attempts?: AttemptRecord[]
  streamed: boolean
  createdAt: Date
}

/** Embeddings through the router (`AiRouter.embed`): batched, retried, failed over between deployments of the
 * same model, costed on the ledger (input tokens only) and held to budgets like chat calls. */
export interface EmbedRequest {
  /** An embedding deployment or a route over embedding deployments. */
  target: string
  input: string[]
  /** Ask the provider for this length (models that support shortening, e.g. text-embedding-3-*). */
  dimensions?: number
  /** Every vector must have this length, else AI_EMBEDDING_DIMENSION (a collection's fixed dimension). */
  expectDimensions?: number
  /** Inputs per provider request (default: the router's, 96; at most 2048). */
  maxBatch?: number
}

export interface EmbedResult extends ServedCall {
  /** One vector per input, in input order. */
  embeddings: number[][]
  dimensions: number
  usage: { inputTokens: number }
  /** Provider calls made (inputs are sent in batches). */
  batches: number
}
