// Language- and embedding-model instances per deployment, through the Vercel AI SDK providers. OpenAI-compatible
// endpoints (Ollama, vLLM, LM Studio, OpenRouter) use createOpenAI({ baseURL }).chat(): the chat-completions wire
// format, not the Responses API that `openai(id)` targets; embeddings use `.embedding()` (POST /embeddings) for
// both. Anthropic has no embeddings API. Instances are cached per deployment and key. Every SDK call goes out
// through the host's guarded fetch (lib/net/guarded-fetch.ts): base URLs are user-supplied. A provider package is
// imported when its first model is built (./sdk.ts).
import type { EmbeddingModel, LanguageModel } from 'ai'
import { NodeError } from '../engine/types'
import { AiError, BaseUrlBlockedError } from './errors'
import type { Deployment } from './types'
import { credentialFetch } from '../credentials/hosts'
import { loadAnthropicProvider, loadOpenAiProvider } from './sdk'

export interface ResolvedCredential {
  apiKey?: string
  baseUrl?: string
  headers?: Record<string, string>
  /** The credential's allowed hosts (lib/credentials/hosts.ts): its key is never sent anywhere else. */
  allowedHosts?: string[]
  /** Named in the error when a host is refused. */
  name?: string
}

/** Decrypts a deployment's credential (tenant-scoped). Keys never come from code or env. */
export type CredentialResolver = (tenantId: string, credentialId: string) => Promise<ResolvedCredential>

/** What code that calls a deployment outside the router needs (connection test, fine-tuning): its key, and the
 * guarded fetch every call to a user-supplied base URL goes through. */
export interface DeploymentAccess {
  credentials: CredentialResolver
  fetch: typeof globalThis.fetch
}

const CACHE_TTL_MS = 60_000

export class ModelFactory {
  private readonly cache = new Map<string, { model: LanguageModel | EmbeddingModel; at: number }>()
  constructor(
    private readonly resolveCredential: CredentialResolver,
    private readonly fetch: typeof globalThis.fetch,
    private readonly now: () => number = Date.now,
  ) {}

  get(tenantId: string, dep: Deployment): Promise<LanguageModel> {
    return this.cached('chat', tenantId, dep, (cred) => buildModel(dep, cred, this.fetch))
  }

  embedding(tenantId: string, dep: Deployment): Promise<EmbeddingModel> {
    return this.cached('embedding', tenantId, dep, (cred) => buildEmbeddingModel(dep, cred, this.fetch))
  }

  private async cached<M extends LanguageModel | EmbeddingModel>(kind: string, tenantId: string, dep: Deployment, build: (cred: ResolvedCredential) => Promise<M>): Promise<M> {
    const key = `${kind}|${tenantId}|${dep.id}|${dep.baseUrl ?? ''}|${dep.credentialId ?? ''}|${dep.modelId}`
    const hit = this.cache.get(key)
    if (hit && this.now() - hit.at < CACHE_TTL_MS) return hit.model as M
    const cred = dep.credentialId ? await this.resolveCredential(tenantId, dep.credentialId) : {}
    const model = await build(cred)
    this.cache.set(key, { model, at: this.now() })
    return model
  }

  invalidate(): void {
    this.cache.clear()
  }
}

export async function buildModel(dep: Deployment, cred: ResolvedCredential, guardedFetch: typeof globalThis.fetch): Promise<LanguageModel> {
  if (dep.provider === 'anthropic') {
    if (!cred.apiKey) throw missingKey(dep)
    const { createAnthropic } = await loadAnthropicProvider()
    return createAnthropic({ apiKey: cred.apiKey, baseURL: dep.baseUrl ?? cred.baseUrl ?? undefined, headers: cred.headers, fetch: forDeployment(dep.name, guardedFetch, cred) })(dep.modelId)
  }
  return (await openAiProvider(dep, cred, guardedFetch)).chat(dep.modelId)
}

export async function buildEmbeddingModel(dep: Deployment, cred: ResolvedCredential, guardedFetch: typeof globalThis.fetch): Promise<EmbeddingModel> {
  if (dep.provider === 'anthropic') throw new AiError(422, 'AI_DEPLOYMENT_MISCONFIGURED', `Deployment "${dep.name}": Anthropic has no embeddings API`)
  return (await openAiProvider(dep, cred, guardedFetch)).embedding(dep.modelId)
}

/** OpenAI itself, or any server speaking its wire format at a base URL. */
async function openAiProvider(dep: Deployment, cred: ResolvedCredential, guardedFetch: typeof globalThis.fetch) {
  const baseURL = dep.baseUrl ?? cred.baseUrl ?? undefined
  const fetch = forDeployment(dep.name, guardedFetch, cred)
  const { createOpenAI } = await loadOpenAiProvider()
  if (dep.provider === 'openai') {
    if (!cred.apiKey) throw missingKey(dep)
    return createOpenAI({ apiKey: cred.apiKey, baseURL, headers: cred.headers, fetch })
  }
  if (!baseURL) throw new AiError(422, 'AI_DEPLOYMENT_MISCONFIGURED', `Deployment "${dep.name}" needs a base URL`)
  // Local servers (Ollama, LM Studio) accept any key; the SDK insists on one being set.
  return createOpenAI({ apiKey: cred.apiKey ?? 'not-needed', baseURL, headers: cred.headers, name: 'openai-compatible', fetch })
}

const REFUSED = new Set(['SSRF_BLOCKED', 'HTTP_BAD_URL', 'CREDENTIAL_HOST_NOT_ALLOWED'])

/** A refused destination becomes a typed, non-retryable router error naming the deployment's `baseUrl`; other
 * guard errors (a redirect loop) look like any failed fetch to the SDKs. */
export function forDeployment(deployment: string, guardedFetch: typeof globalThis.fetch, cred?: ResolvedCredential): typeof globalThis.fetch {
  // The credential's allowed hosts first (lib/credentials/hosts.ts), then the outbound guard.
  const send = credentialFetch(guardedFetch, cred && { id: 'of the deployment', name: cred.name, allowedHosts: cred.allowedHosts }, 'baseUrl')
  return (async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => {
    try {
      return await send(input, init)
    } catch (err) {
      if (err instanceof NodeError && REFUSED.has(err.code)) throw new BaseUrlBlockedError(deployment, err.message, err.details ?? { code: err.code })
      if (err instanceof NodeError) throw new TypeError('fetch failed', { cause: err })
      throw err
    }
  }) as typeof globalThis.fetch
}

function missingKey(dep: Deployment) {
  return new AiError(422, 'AI_DEPLOYMENT_MISCONFIGURED', `Deployment "${dep.name}" has no credential with an API key`)
}
