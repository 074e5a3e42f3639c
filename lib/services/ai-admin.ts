// The AI admin API (models, deployments, routes, budgets, fine-tunes, evaluations, usage) behind its route handlers:
// every registry write drops the catalog the router caches for the tenant, and BigInt/Decimal columns leave here as
// JSON-safe numbers and strings.
import type { z } from 'zod'
import type { AiRouter } from '../ai/router'
import type { DeploymentAccess } from '../ai/providers'
import type { PrismaClient } from '../db/client'
import { testDeploymentConnection } from '../models/connection'
import { getEvaluation, listEvaluations, runEvaluation, type EvaluationInput } from '../models/evaluations'
import { listFineTunes, refreshFineTune, startFineTune, type FineTuneInput } from '../models/fine-tuning'
import { usageReport } from '../models/performance'
import * as registry from '../models/registry'

export interface AiAdminDeps {
  prisma: PrismaClient
  router: AiRouter
  /** Stored credentials and the guarded fetch, for connection tests and fine-tuning. */
  access: DeploymentAccess
}

type PricedRow = { inputPriceMicros: bigint; outputPriceMicros: bigint }

/** Prices are stored as BigInt micro-USD per 1M tokens; the API speaks USD per 1M tokens. */
function withPrices<T extends PricedRow>({ inputPriceMicros, outputPriceMicros, ...rest }: T) {
  return { ...rest, inputPricePerM: Number(inputPriceMicros) / 1e6, outputPricePerM: Number(outputPriceMicros) / 1e6 }
}

export class AiAdmin {
  private readonly changed: (tenantId: string) => void

  constructor(private readonly deps: AiAdminDeps) {
    this.changed = (tenantId) => deps.router.catalog.invalidate(tenantId)
  }

  listRegistry(tenantId: string) {
    return registry.listRegistry(this.deps.prisma, tenantId)
  }

  async createModel(tenantId: string, input: registry.ModelInput) {
    return withPrices(await registry.createModel(this.deps.prisma, tenantId, input, this.changed))
  }

  async updateModel(tenantId: string, id: string, input: z.input<typeof registry.modelUpdateSchema>) {
    return withPrices(await registry.updateModel(this.deps.prisma, tenantId, id, input, this.changed))
  }

  createDeployment(tenantId: string, input: z.input<typeof registry.deploymentInputSchema>) {
    return registry.createDeployment(this.deps.prisma, tenantId, input, this.changed)
  }

  updateDeployment(tenantId: string, id: string, input: z.input<typeof registry.deploymentUpdateSchema>) {
    return registry.updateDeployment(this.deps.prisma, tenantId, id, input, this.changed)
  }

  testDeployment(tenantId: string, id: string) {
    return testDeploymentConnection(this.deps.prisma, this.deps.access, tenantId, id)
  }

  upsertRoute(tenantId: string, input: z.input<typeof registry.routeInputSchema>) {
    return registry.upsertRoute(this.deps.prisma, tenantId, input, this.changed)
  }

  listBudgets(tenantId: string) {
    return registry.listBudgets(this.deps.prisma, tenantId)
  }

  async setBudget(tenantId: string, input: z.input<typeof registry.budgetInputSchema>) {
    const b = await registry.setBudget(this.deps.prisma, tenantId, input, this.changed)
    return { ...b, limitUsd: b.limitUsd.toString() }
  }

  deleteBudget(tenantId: string, id: string) {
    return registry.deleteBudget(this.deps.prisma, tenantId, id, this.changed)
  }

  listFineTunes(tenantId: string) {
    return listFineTunes(this.deps.prisma, tenantId)
  }

  startFineTune(tenantId: string, input: FineTuneInput) {
    return startFineTune(this.deps.prisma, this.deps.access, tenantId, input)
  }

  /** Asks the provider for the job's status; registers the fine-tuned model as a draft deployment when done. */
  refreshFineTune(tenantId: string, id: string) {
    return refreshFineTune(this.deps.prisma, this.deps.access, tenantId, id, this.changed)
  }

  listEvaluations(tenantId: string) {
    return listEvaluations(this.deps.prisma, tenantId)
  }

  getEvaluation(tenantId: string, id: string) {
    return getEvaluation(this.deps.prisma, tenantId, id)
  }

  /** Runs now: datasets are small (at most 100 cases × 6 deployments). */
  runEvaluation(tenantId: string, input: EvaluationInput) {
    return runEvaluation(this.deps.prisma, this.deps.router, tenantId, input)
  }

  /** Cost by day, model and workflow; per-deployment performance; budgets with what is left. */
  async usage(tenantId: string, days: number) {
    const [report, budgets] = await Promise.all([usageReport(this.deps.prisma, tenantId, days), registry.listBudgets(this.deps.prisma, tenantId)])
    return { ...report, budgets }
  }
}
