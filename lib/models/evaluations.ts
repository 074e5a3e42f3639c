// Evaluations: a small dataset (prompts + expected answers) run against several deployments through the router,
// scored (exact, contains, JSON-schema valid, LLM-as-judge) and summarised side by side with cost and latency.
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { NotFoundError } from '../errors'
import { parseJsonOutput } from '../ai/convert'
import { picoToUsd, usdToPico } from '../ai/pricing'
import type { AiRouter } from '../ai/router'

export const evaluationInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  dataset: z
    .array(z.object({ prompt: z.string().min(1), expected: z.string().default(''), system: z.string().optional() }))
    .min(1, 'Add at least one case')
    .max(100),
  deployments: z.array(z.string().min(1)).min(1, 'Pick at least one deployment').max(6),
  scorer: z.discriminatedUnion('type', [
    z.object({ type: z.literal('exact'), caseSensitive: z.boolean().default(false) }),
    z.object({ type: z.literal('contains'), caseSensitive: z.boolean().default(false) }),
    z.object({ type: z.literal('json-schema'), schema: z.record(z.string(), z.unknown()) }),
    z.object({ type: z.literal('llm-judge'), judge: z.string().min(1, 'Pick the judge deployment'), criteria: z.string().default('The answer is correct and complete compared with the expected answer.') }),
  ]),
  maxTokens: z.number().int().positive().max(8000).default(512),
})
export type EvaluationInput = z.input<typeof evaluationInputSchema>
type Scorer = z.infer<typeof evaluationInputSchema>['scorer']

export interface CaseResult {
  case: number
  deployment: string
  output: string
  score: number
  reason?: string
  latencyMs: number
  costUsd: string
  error?: string
}

export interface DeploymentSummary {
  deployment: string
  cases: number
  meanScore: number
  passed: number
  errors: number
  p50LatencyMs: number | null
  costUsd: string
}

const norm = (s: string, cs: boolean) => (cs ? s.trim() : s.trim().toLowerCase())

async function score(router: AiRouter, tenantId: string, scorer: Scorer, c: { prompt: string; expected: string }, output: string): Promise<{ score: number; reason?: string }> {
  switch (scorer.type) {
    case 'exact':
      return { score: norm(output, scorer.caseSensitive) === norm(c.expected, scorer.caseSensitive) ? 1 : 0 }
    case 'contains':
      return { score: norm(output, scorer.caseSensitive).includes(norm(c.expected, scorer.caseSensitive)) ? 1 : 0 }
    case 'json-schema':
      try {
        parseJsonOutput(output, scorer.schema)
        return { score: 1 }
      } catch (err) {
        return { score: 0, reason: (err as Error).message }
      }
    case 'llm-judge': {
      const r = await router.chat(
        {
          target: scorer.judge,
          temperature: 0,
          maxTokens: 300,
          messages: [
            { role: 'system', content: `You grade answers. Criteria: ${scorer.criteria}\nAnswer with JSON {"score": number from 0 to 1, "reason": string}.` },
            { role: 'user', content: `Question:\n${c.prompt}\n\nExpected answer:\n${c.expected || '(none given)'}\n\nAnswer to grade:\n${output}` },
          ],
          responseFormat: { type: 'json', name: 'grade', schema: { type: 'object', properties: { score: { type: 'number', minimum: 0, maximum: 1 }, reason: { type: 'string' } }, required: ['score'] } },
        },
        { tenantId, source: 'evaluation' },
      )
      const g = r.json as { score: number; reason?: string }
      return { score: g.score, reason: g.reason }
    }
  }
}

export function summarise(deployments: string[], results: CaseResult[]): DeploymentSummary[] {
  return deployments.map((d) => {
    const rs = results.filter((r) => r.deployment === d)
    const lat = rs.filter((r) => !r.error).map((r) => r.latencyMs).sort((a, b) => a - b)
    return {
      deployment: d,
      cases: rs.length,
      meanScore: rs.length ? rs.reduce((s, r) => s + r.score, 0) / rs.length : 0,
      passed: rs.filter((r) => r.score >= 1).length,
      errors: rs.filter((r) => r.error).length,
      p50LatencyMs: lat.length ? lat[Math.ceil(lat.length / 2) - 1] : null,
      costUsd: picoToUsd(rs.reduce((s, r) => s + usdToPico(r.costUsd), 0n)),
    }
  })
}

/** Runs every case against every deployment (sequentially: evaluations are small and budgets still apply). */
export async function runEvaluation(prisma: PrismaClient, router: AiRouter, tenantId: string, input: EvaluationInput) {
  const e = evaluationInputSchema.parse(input)
  const db = forTenant(prisma, tenantId)
  const row = await db.aiEvaluation.create({ data: { tenantId, name: e.name, dataset: e.dataset, deployments: e.deployments, scorer: e.scorer as object, status: 'running' } })
  const results: CaseResult[] = []
  for (const deployment of e.deployments) {
    for (const [i, c] of e.dataset.entries()) {
      try {
        const r = await router.chat(
          {
            target: deployment,
            maxTokens: e.maxTokens,
            temperature: 0,
            messages: [...(c.system ? [{ role: 'system' as const, content: c.system }] : []), { role: 'user', content: c.prompt }],
            responseFormat: e.scorer.type === 'json-schema' ? { type: 'json' } : undefined,
          },
          { tenantId, source: 'evaluation' },
        )
        const s = await score(router, tenantId, e.scorer, c, r.text)
        results.push({ case: i, deployment, output: r.text, ...s, latencyMs: r.latencyMs, costUsd: r.costUsd })
      } catch (err) {
        results.push({ case: i, deployment, output: '', score: 0, latencyMs: 0, costUsd: '0', error: (err as Error).message })
      }
    }
  }
  const summary = summarise(e.deployments, results)
  return db.aiEvaluation.update({ where: { id: row.id }, data: { status: 'done', results: { summary, cases: results } as object, finishedAt: new Date() } })
}

export async function listEvaluations(prisma: PrismaClient, tenantId: string) {
  return forTenant(prisma, tenantId).aiEvaluation.findMany({ orderBy: { createdAt: 'desc' }, take: 50 })
}

export async function getEvaluation(prisma: PrismaClient, tenantId: string, id: string) {
  const row = await forTenant(prisma, tenantId).aiEvaluation.findUnique({ where: { id } })
  if (!row) throw new NotFoundError('Evaluation')
  return row
}
