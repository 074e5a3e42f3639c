// Shapes of the /api/ai/* answers the AI pages read (mirrors lib/models/performance.ts and registry.ts).
import type { DeploymentPerformance } from '@/lib/models/performance'

/** JSON of lib/models/performance.ts's row (type-only import: nothing server-side reaches the bundle). */
export type DeploymentPerf = DeploymentPerformance

export interface BudgetView {
  id: string
  workflowId: string | null
  period: 'day' | 'month'
  limitUsd: string
  spentUsd: string
  leftUsd: string
}

export interface UsageAnswer {
  since: string
  totals: { calls: number; errors: number; budgetBlocked: number; inputTokens: number; outputTokens: number; costUsd: string }
  byDay: { day: string; calls: number; costUsd: string; inputTokens: number; outputTokens: number }[]
  byModel: { model: string; calls: number; costUsd: string }[]
  byWorkflow: { workflowId: string | null; source: string; calls: number; costUsd: string }[]
  deployments: DeploymentPerf[]
  deploymentDays: { day: string; deploymentName: string; calls: number; errors: number; p95Ms: number | null; costUsd: string }[]
  budgets: BudgetView[]
}

export interface RegistryDeployment {
  id: string
  name: string
  baseUrl: string | null
  credentialId: string | null
  timeoutMs: number
  maxRetries: number
  status: string
}

export interface RegistryModel {
  id: string
  name: string
  provider: string
  modelId: string
  kind: 'chat' | 'embedding'
  /** Embedding models: the vector length (null: the provider's default). */
  dimensions: number | null
  contextLength: number
  supportsTools: boolean
  supportsJson: boolean
  supportsVision: boolean
  inputPricePerM: number
  outputPricePerM: number
  status: string
  deployments: RegistryDeployment[]
}

export interface RegistryAnswer {
  models: RegistryModel[]
  routes: { id: string; name: string; strategy: string; deployments: string[]; onBudgetExceeded: string }[]
}

/** Deployments a chat call can name (evaluations, judges): embedding deployments answer no prompts. */
export function chatDeploymentNames(models: RegistryModel[]): string[] {
  return models.filter((m) => m.kind !== 'embedding').flatMap((m) => m.deployments.filter((d) => d.status !== 'retired').map((d) => d.name))
}

export interface EvaluationRow {
  id: string
  name: string
  status: string
  createdAt: string
  deployments: string[]
  scorer: { type: string }
  results: {
    summary: { deployment: string; cases: number; meanScore: number; passed: number; errors: number; p50LatencyMs: number | null; costUsd: string }[]
  } | null
}

export const usd = (s: string | number, digits = 4) => `$${Number(s).toFixed(digits)}`
export const compact = (n: number) => Intl.NumberFormat('en', { notation: 'compact' }).format(n)
