// Fine-tuning through the official `openai` SDK: upload a JSONL dataset, start a job on an OpenAI deployment's
// model, follow its status, and register the resulting model as a draft deployment (same endpoint and
// credential) so it can be evaluated before it is activated.
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { NotFoundError, ValidationError } from '../errors'
import { forDeployment, type DeploymentAccess } from '../ai/providers'
import { loadOpenAiClient } from '../ai/sdk'

const chatMessage = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })

export const fineTuneInputSchema = z.object({
  baseDeployment: z.string().min(1),
  /** Chat-format examples, as OpenAI expects them in the JSONL file. */
  examples: z.array(z.object({ messages: z.array(chatMessage).min(2) })).min(10, 'OpenAI needs at least 10 examples').max(50_000),
  suffix: z.string().regex(/^[a-z0-9-]{1,18}$/, 'up to 18 lowercase letters, digits or -').optional(),
  epochs: z.number().int().min(1).max(50).optional(),
})
export type FineTuneInput = z.input<typeof fineTuneInputSchema>

async function clientFor(prisma: PrismaClient, access: DeploymentAccess, tenantId: string, deploymentId: string) {
  const dep = await forTenant(prisma, tenantId).aiDeployment.findUnique({ where: { id: deploymentId }, include: { model: true } })
  if (!dep) throw new NotFoundError('Deployment')
  if (dep.model.provider !== 'openai') throw new ValidationError('Fine-tuning needs an OpenAI deployment', { baseDeployment: 'not an OpenAI deployment' })
  if (!dep.credentialId) throw new ValidationError('The deployment has no credential', { baseDeployment: 'no credential' })
  const cred = await access.credentials(tenantId, dep.credentialId)
  const fetch = forDeployment(dep.name, access.fetch, cred)
  const { default: OpenAI } = await loadOpenAiClient()
  return { dep, client: new OpenAI({ apiKey: cred.apiKey, baseURL: dep.baseUrl ?? cred.baseUrl, maxRetries: 1, fetch }) }
}

export async function startFineTune(prisma: PrismaClient, access: DeploymentAccess, tenantId: string, input: FineTuneInput) {
  const f = fineTuneInputSchema.parse(input)
  const base = await forTenant(prisma, tenantId).aiDeployment.findFirst({ where: { name: f.baseDeployment } })
  if (!base) throw new NotFoundError(`Deployment "${f.baseDeployment}"`)
  const { dep, client } = await clientFor(prisma, access, tenantId, base.id)
  const jsonl = f.examples.map((e) => JSON.stringify(e)).join('\n') + '\n'
  const { toFile } = await loadOpenAiClient()
  const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'training.jsonl'), purpose: 'fine-tune' })
  const job = await client.fineTuning.jobs.create({
    model: dep.model.modelId,
    training_file: file.id,
    suffix: f.suffix,
    ...(f.epochs ? { method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: f.epochs } } } } : {}),
  })
  return forTenant(prisma, tenantId).aiFineTuneJob.create({
    data: { tenantId, baseDeploymentId: dep.id, providerJobId: job.id, trainingFileId: file.id, status: job.status },
  })
}

/** Polls the provider; on success registers the fine-tuned model (draft) once. */
export async function refreshFineTune(prisma: PrismaClient, access: DeploymentAccess, tenantId: string, id: string, changed: (tenantId: string) => void = () => {}) {
  const db = forTenant(prisma, tenantId)
  const row = await db.aiFineTuneJob.findUnique({ where: { id } })
  if (!row) throw new NotFoundError('Fine-tuning job')
  const { dep, client } = await clientFor(prisma, access, tenantId, row.baseDeploymentId)
  const job = await client.fineTuning.jobs.retrieve(row.providerJobId)
  let registeredDeploymentId = row.registeredDeploymentId
  if (job.status === 'succeeded' && job.fine_tuned_model && !registeredDeploymentId) {
    const name = `${dep.name}-ft-${row.id.slice(-6)}`
    const m = dep.model
    const model = await db.aiModel.create({
      data: {
        tenantId, name, provider: 'openai', modelId: job.fine_tuned_model, contextLength: m.contextLength, supportsTools: m.supportsTools, supportsJson: m.supportsJson,
        supportsVision: m.supportsVision, inputPriceMicros: m.inputPriceMicros, outputPriceMicros: m.outputPriceMicros, status: 'draft',
      },
    })
    const created = await db.aiDeployment.create({ data: { tenantId, name, aiModelId: model.id, baseUrl: dep.baseUrl, credentialId: dep.credentialId, timeoutMs: dep.timeoutMs, status: 'draft' } })
    registeredDeploymentId = created.id
    changed(tenantId)
  }
  return db.aiFineTuneJob.update({
    where: { id },
    data: { status: job.status, fineTunedModel: job.fine_tuned_model ?? null, registeredDeploymentId, error: job.error?.message ?? null },
  })
}

export async function listFineTunes(prisma: PrismaClient, tenantId: string) {
  return forTenant(prisma, tenantId).aiFineTuneJob.findMany({ orderBy: { createdAt: 'desc' }, take: 50 })
}
