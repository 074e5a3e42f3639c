// "Test connection" for a deployment, through the provider's official SDK (`openai`, `@anthropic-ai/sdk`):
// a chat model is looked up by id, which proves the endpoint answers, the credential is accepted and the model
// exists, without spending a token. An embedding model embeds a short text instead (a few tokens): local
// embedding servers seldom list their models, and the vector length it answers is checked against the model's.
import type OpenAI from 'openai'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { NotFoundError } from '../errors'
import { AiError } from '../ai/errors'
import { forDeployment, type DeploymentAccess } from '../ai/providers'
import { loadAnthropicClient, loadOpenAiClient } from '../ai/sdk'

export interface ConnectionResult {
  ok: boolean
  provider: string
  modelId: string
  latencyMs: number
  /** What the provider said when it refused, e.g. "401 invalid x-api-key". */
  error?: string
  /** Embedding deployments: the length of the vector the provider returned. */
  dimensions?: number
}

const TIMEOUT_MS = 10_000

export async function testDeploymentConnection(
  prisma: PrismaClient,
  access: DeploymentAccess,
  tenantId: string,
  deploymentId: string,
): Promise<ConnectionResult> {
  const dep = await forTenant(prisma, tenantId).aiDeployment.findUnique({ where: { id: deploymentId }, include: { model: true } })
  if (!dep) throw new NotFoundError('Deployment')
  const { provider, modelId, kind } = dep.model
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  try {
    const cred = dep.credentialId ? await access.credentials(tenantId, dep.credentialId) : { apiKey: undefined }
    const baseUrl = dep.baseUrl ?? cred.baseUrl
    const fetch = forDeployment(dep.name, access.fetch, cred)
    if (provider === 'anthropic') {
      // The Anthropic SDK adds /v1 itself; deployments store the /v1 form the AI SDK wants.
      const { default: Anthropic } = await loadAnthropicClient()
      const client = new Anthropic({ apiKey: cred.apiKey ?? null, baseURL: baseUrl?.replace(/\/v1\/?$/, ''), maxRetries: 0, timeout: TIMEOUT_MS, fetch })
      await client.models.retrieve(modelId)
    } else {
      const { default: OpenAI } = await loadOpenAiClient()
      const client = new OpenAI({ apiKey: cred.apiKey ?? 'not-needed', baseURL: baseUrl, maxRetries: 0, timeout: TIMEOUT_MS, fetch })
      if (kind === 'embedding') return await checkEmbedding(client, { provider, modelId, expected: dep.model.dimensions }, elapsed)
      await client.models.retrieve(modelId)
    }
    return { ok: true, provider, modelId, latencyMs: elapsed() }
  } catch (err) {
    // The SDKs wrap what fetch threw in a generic "Connection error.": a refused baseUrl is the real answer.
    const blocked = typedCause(err)
    if (blocked) return { ok: false, provider, modelId, latencyMs: elapsed(), error: blocked.message }
    const status = (err as { status?: number }).status
    const message = err instanceof Error ? err.message : String(err)
    return { ok: false, provider, modelId, latencyMs: elapsed(), error: status && !message.startsWith(String(status)) ? `${status} ${message}` : message }
  }
}

async function checkEmbedding(client: OpenAI, m: { provider: string; modelId: string; expected: number | null }, elapsed: () => number): Promise<ConnectionResult> {
  const r = await client.embeddings.create({ model: m.modelId, input: 'connection test', encoding_format: 'float' })
  const dimensions = r.data[0]?.embedding.length ?? 0
  const base = { provider: m.provider, modelId: m.modelId, latencyMs: elapsed(), dimensions }
  if (m.expected && dimensions !== m.expected) return { ...base, ok: false, error: `returned ${dimensions} dimensions, the model is configured for ${m.expected}` }
  return { ...base, ok: true }
}

function typedCause(err: unknown): AiError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) if (e instanceof AiError) return e
  return undefined
}
