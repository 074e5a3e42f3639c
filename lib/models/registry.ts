// The model registry: models (provider, model id, kind — chat or embedding — with an embedding model's vector
// length, context, capabilities, prices = the editable price table),
// deployments (a model at an endpoint with a credential), routes and budgets. Every write calls `changed` so
// the router's cached catalog for the tenant is dropped at once.
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import { KNOWN_PRICES, picoToUsd, usdPerMillionToMicros, usdToPico } from '../ai/pricing'
import { periodStart } from '../ai/budget'
import { MAX_DIMENSIONS } from '../ai/embeddings'
import { spentSince } from '../ai/store'

const status = z.enum(['draft', 'active', 'retired'])
const name = z.string().trim().min(1).max(100).regex(/^[\w.:/-]+$/, 'letters, digits and . _ - : / only')

export const modelInputSchema = z.object({
  name,
  provider: z.enum(['openai', 'anthropic', 'openaiCompatible']),
  modelId: z.string().trim().min(1).max(200),
  /** Default: the known model's kind (text-embedding-3-small is an embedding model), else chat. */
  kind: z.enum(['chat', 'embedding']).optional(),
  /** Embedding models only: the vector length (default: the known model's; null: learned from the provider). */
  dimensions: z.number().int('must be a whole number').positive('must be positive').max(MAX_DIMENSIONS, `at most ${MAX_DIMENSIONS}`).nullish(),
  contextLength: z.number().int().positive().optional(),
  supportsTools: z.boolean().default(false),
  supportsJson: z.boolean().default(false),
  supportsVision: z.boolean().default(false),
  /** USD per 1M tokens; defaults from the known price list when the model id is known. */
  inputPricePerM: z.number().min(0).optional(),
  outputPricePerM: z.number().min(0).optional(),
  status: status.default('active'),
})
export const modelUpdateSchema = modelInputSchema.partial().omit({ provider: true })

export const deploymentInputSchema = z.object({
  name,
  aiModelId: z.string().min(1),
  baseUrl: z.string().url().nullish(),
  credentialId: z.string().min(1).nullish(),
  timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
  maxRetries: z.number().int().min(0).max(5).default(0),
  status: status.default('active'),
})
export const deploymentUpdateSchema = deploymentInputSchema.partial().omit({ aiModelId: true })

export const routeInputSchema = z.object({
  name,
  strategy: z.enum(['failover', 'cheapest', 'fastest']).default('failover'),
  deployments: z.array(z.string().min(1)).min(1),
  requires: z.object({ tools: z.boolean().optional(), json: z.boolean().optional(), vision: z.boolean().optional(), minContext: z.number().int().positive().optional() }).default({}),
  onBudgetExceeded: z.enum(['fail', 'cheaper']).default('fail'),
})

export const budgetInputSchema = z.object({
  workflowId: z.string().min(1).nullish(),
  period: z.enum(['day', 'month']),
  limitUsd: z.union([z.number().positive(), z.string().regex(/^\d+(\.\d{1,6})?$/, 'a USD amount like 12.50')]),
})

/** zod fills defaults even in .partial() schemas: an update must only touch the fields the caller sent. */
function onlyGiven<T extends object>(parsed: T, input: object): Partial<T> {
  return Object.fromEntries(Object.entries(parsed).filter(([k]) => k in input)) as Partial<T>
}

type Changed = (tenantId: string) => void
const noop: Changed = () => {}

export type ModelInput = z.input<typeof modelInputSchema>

/** What the schema cannot see field by field: a vector length only on an embedding model, and no embedding
 * model on a provider without an embeddings API. */
function checkKind(m: { provider: string; kind: string; dimensions: number | null }): void {
  if (m.kind === 'embedding' && m.provider === 'anthropic') throw new ValidationError('provider: Anthropic has no embeddings API; use openai or openaiCompatible', { provider: 'Anthropic has no embeddings API; use openai or openaiCompatible' })
  if (m.kind !== 'embedding' && m.dimensions !== null) throw new ValidationError('dimensions: only embedding models have dimensions', { dimensions: 'only embedding models have dimensions' })
}

export async function createModel(prisma: PrismaClient, tenantId: string, input: ModelInput, changed: Changed = noop) {
  const m = modelInputSchema.parse(input)
  const known = KNOWN_PRICES[m.modelId]
  const kind = m.kind ?? known?.kind ?? 'chat'
  const dimensions = m.dimensions ?? (kind === 'embedding' && known?.kind === 'embedding' ? (known.dimensions ?? null) : null)
  checkKind({ provider: m.provider, kind, dimensions })
  const data = {
    tenantId,
    name: m.name,
    provider: m.provider,
    modelId: m.modelId,
    kind,
    dimensions,
    contextLength: m.contextLength ?? known?.context ?? 8192,
    supportsTools: m.supportsTools,
    supportsJson: m.supportsJson,
    supportsVision: m.supportsVision,
    inputPriceMicros: usdPerMillionToMicros(m.inputPricePerM ?? known?.input ?? 0),
    outputPriceMicros: usdPerMillionToMicros(m.outputPricePerM ?? known?.output ?? 0),
    status: m.status,
  }
  try {
    const row = await forTenant(prisma, tenantId).aiModel.create({ data })
    changed(tenantId)
    return row
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') throw new ConflictError(`A model named "${m.name}" already exists`)
    throw err
  }
}

export async function updateModel(prisma: PrismaClient, tenantId: string, id: string, input: z.input<typeof modelUpdateSchema>, changed: Changed = noop) {
  const m = onlyGiven(modelUpdateSchema.parse(input), input)
  const { inputPricePerM, outputPricePerM, ...rest } = m
  const db = forTenant(prisma, tenantId)
  const existing = await db.aiModel.findUnique({ where: { id } })
  if (!existing) throw new NotFoundError('Model')
  const kind = rest.kind ?? existing.kind
  // Turning an embedding model into a chat model drops its vector length unless one is (wrongly) sent along.
  const dimensions = rest.dimensions !== undefined ? rest.dimensions : kind === 'embedding' ? existing.dimensions : null
  checkKind({ provider: existing.provider, kind, dimensions })
  const row = await db.aiModel.update({
    where: { id },
    data: {
      ...rest,
      dimensions,
      ...(inputPricePerM !== undefined ? { inputPriceMicros: usdPerMillionToMicros(inputPricePerM) } : {}),
      ...(outputPricePerM !== undefined ? { outputPriceMicros: usdPerMillionToMicros(outputPricePerM) } : {}),
    },
  })
  changed(tenantId)
  return row
}

export async function createDeployment(prisma: PrismaClient, tenantId: string, input: z.input<typeof deploymentInputSchema>, changed: Changed = noop) {
  const d = deploymentInputSchema.parse(input)
  const db = forTenant(prisma, tenantId)
  if (!(await db.aiModel.findUnique({ where: { id: d.aiModelId } }))) throw new NotFoundError('Model')
  try {
    const row = await db.aiDeployment.create({ data: { ...d, tenantId } })
    changed(tenantId)
    return row
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') throw new ConflictError(`A deployment named "${d.name}" already exists`)
    throw err
  }
}

export async function updateDeployment(prisma: PrismaClient, tenantId: string, id: string, input: z.input<typeof deploymentUpdateSchema>, changed: Changed = noop) {
  const d = onlyGiven(deploymentUpdateSchema.parse(input), input)
  const db = forTenant(prisma, tenantId)
  if (!(await db.aiDeployment.findUnique({ where: { id } }))) throw new NotFoundError('Deployment')
  const row = await db.aiDeployment.update({ where: { id }, data: d })
  changed(tenantId)
  return row
}

export async function upsertRoute(prisma: PrismaClient, tenantId: string, input: z.input<typeof routeInputSchema>, changed: Changed = noop) {
  const r = routeInputSchema.parse(input)
  const row = await forTenant(prisma, tenantId).aiRoute.upsert({ where: { tenantId_name: { tenantId, name: r.name } }, create: { ...r, tenantId }, update: r })
  changed(tenantId)
  return row
}

export async function setBudget(prisma: PrismaClient, tenantId: string, input: z.input<typeof budgetInputSchema>, changed: Changed = noop) {
  const b = budgetInputSchema.parse(input)
  const limitUsd = typeof b.limitUsd === 'number' ? b.limitUsd.toFixed(6) : b.limitUsd
  const db = forTenant(prisma, tenantId)
  const existing = await db.aiBudget.findFirst({ where: { workflowId: b.workflowId ?? null, period: b.period } })
  const row = existing
    ? await db.aiBudget.update({ where: { id: existing.id }, data: { limitUsd } })
    : await db.aiBudget.create({ data: { tenantId, workflowId: b.workflowId ?? null, period: b.period, limitUsd } })
  changed(tenantId)
  return row
}

export async function deleteBudget(prisma: PrismaClient, tenantId: string, id: string, changed: Changed = noop) {
  const { count } = await forTenant(prisma, tenantId).aiBudget.deleteMany({ where: { id } })
  if (!count) throw new NotFoundError('Budget')
  changed(tenantId)
}

/** JSON-safe view of the registry (BigInt prices as USD per 1M tokens). */
export async function listRegistry(prisma: PrismaClient, tenantId: string) {
  const db = forTenant(prisma, tenantId)
  const [models, routes] = await Promise.all([
    db.aiModel.findMany({ include: { deployments: { orderBy: { name: 'asc' } } }, orderBy: { name: 'asc' } }),
    db.aiRoute.findMany({ orderBy: { name: 'asc' } }),
  ])
  return {
    models: models.map(({ inputPriceMicros, outputPriceMicros, ...m }) => ({ ...m, inputPricePerM: Number(inputPriceMicros) / 1e6, outputPricePerM: Number(outputPriceMicros) / 1e6 })),
    routes,
  }
}

/** Budgets with what is spent and left in the current period. */
export async function listBudgets(prisma: PrismaClient, tenantId: string, now = Date.now()) {
  const rows = await forTenant(prisma, tenantId).aiBudget.findMany({ orderBy: [{ workflowId: 'asc' }, { period: 'asc' }] })
  return Promise.all(
    rows.map(async (b) => {
      const spent = await spentSince(prisma, tenantId, b.workflowId, periodStart(b.period as 'day' | 'month', now))
      const limit = usdToPico(b.limitUsd.toString())
      return { id: b.id, workflowId: b.workflowId, period: b.period, limitUsd: b.limitUsd.toString(), spentUsd: picoToUsd(spent), leftUsd: picoToUsd(limit - spent > 0n ? limit - spent : 0n) }
    }),
  )
}
