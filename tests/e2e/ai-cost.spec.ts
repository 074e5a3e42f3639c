// AI cost in the studio: a run's total in the executions list and at the top of its page, per step beside the step,
// and after the run a small cost badge on each canvas node that spent. The e2e stack has no chat model to call, so
// the run's ledger rows (AiUsage, what the AI router records per call) are written straight into the database; the
// sums from real LLM calls are checked by tests/integration/ai/run-cost.test.ts.
import pg from 'pg'
import { expect, test } from '@playwright/test'
import { api, chain, login, node, uniqueName } from './support'

/** Ledger rows for `executionId` as the router writes them: one per call, cost in USD (12 decimals). */
async function recordCalls(executionId: string, calls: { nodeId: string; costUsd: string }[]) {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL })
  await db.connect()
  try {
    for (const [i, c] of calls.entries()) {
      await db.query(
        `INSERT INTO "AiUsage" ("id", "tenantId", "workflowId", "executionId", "stepId", "target", "costUsd", "latencyMs", "outcome", "inputTokens", "outputTokens")
         SELECT $1, "tenantId", "workflowId", "id", $2, 'default', $3::numeric, 120, 'ok', 1000, 200 FROM "Execution" WHERE "id" = $4`,
        [`e2e-cost-${executionId}-${i}`, c.nodeId, c.costUsd, executionId],
      )
    }
  } finally {
    await db.end()
  }
}

test('the executions list, a run and the canvas show what AI calls cost', async ({ page, request }) => {
  const client = api(request)
  const wf = await client.createWorkflow(uniqueName('Costed run'), chain(node.manual(), node.set('ask', { q: 'hi' }, 'Ask'), node.set('summarise', { s: 'ok' }, 'Summarise')))
  const { executionId: costed } = await client.run(wf.id)
  await client.waitFor(costed, ['succeeded'])
  // Two calls from Ask ($0.0012 + $0.0009) and one from Summarise ($0.0004): $0.0025 in all.
  await recordCalls(costed, [
    { nodeId: 'ask', costUsd: '0.001200000000' },
    { nodeId: 'ask', costUsd: '0.000900000000' },
    { nodeId: 'summarise', costUsd: '0.000400000000' },
  ])
  const { executionId: free } = await client.run(wf.id)
  await client.waitFor(free, ['succeeded'])

  await login(page, `/executions?workflowId=${wf.id}`)
  await expect(page.locator(`[data-execution-id="${costed}"] [data-testid="execution-cost"]`)).toHaveText('$0.0025')
  await expect(page.locator(`[data-execution-id="${free}"] [data-testid="execution-cost"]`)).toHaveText('')

  await page.goto(`/executions/${costed}`)
  await expect(page.getByTestId('execution-cost')).toHaveText('AI $0.0025')
  await expect(page.locator('[data-testid="step-item"][data-node-id="ask"] [data-testid="step-cost"]')).toHaveText('$0.0021')
  await expect(page.locator('[data-testid="step-item"][data-node-id="summarise"] [data-testid="step-cost"]')).toHaveText('$0.0004')
  await expect(page.locator('[data-testid="step-item"][data-node-id="trigger"] [data-testid="step-cost"]')).toHaveCount(0)

  await page.goto(`/executions/${free}`)
  await expect(page.getByTestId('execution-detail')).toBeVisible()
  await expect(page.getByTestId('execution-cost')).toHaveCount(0)

  // The designer opened on the run: nodes that spent wear their cost, the others nothing.
  await page.goto(`/workflows/${wf.id}?execution=${costed}`)
  await expect(page.getByTestId('node-Ask').getByTestId('node-cost')).toHaveText('$0.0021')
  await expect(page.getByTestId('node-Summarise').getByTestId('node-cost')).toHaveText('$0.0004')
  await expect(page.getByTestId('node-Manual trigger').getByTestId('node-cost')).toHaveCount(0)
})
