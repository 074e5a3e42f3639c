import { expect, test } from '@playwright/test'
import { api, chain, login, node, testServerUrl, uniqueName } from './support'
import { openDesigner, selectNode } from './designer-support'

// What a step logged, in the two places a run is looked at: the designer's node data after a run from the canvas,
// and the execution detail's Logs tab (attempt by attempt, so the retries of a failing call are explained).
test('step logs show in the run view and in the execution detail', async ({ page, request }) => {
  const client = api(request)
  const key = `logs${Date.now().toString(36)}`
  const wf = await client.createWorkflow(
    uniqueName('Step logs'),
    chain(
      node.manual(),
      node.code('shape', 'console.log("shaping", items.length, "items"); console.warn("careful"); return items', 'Shape'),
      node.set('mark', { done: true }, 'Mark'),
      { ...node.http('call', `${testServerUrl()}/flaky/${key}`, 'Call flaky API'), settings: { maxAttempts: 2, backoffMs: 100 } },
    ),
  )

  // The run view: run from the canvas, then the Code node's data lists its console lines with their levels.
  await login(page, `/workflows/${wf.id}`)
  await openDesigner(page, wf.id)
  await page.getByTestId('run-button').click()
  await page.getByTestId('run-confirm').click()
  await expect(page.getByTestId('run-status')).toContainText(/failed/i, { timeout: 60_000 })
  await selectNode(page, 'Shape')
  await page.getByRole('tab', { name: 'Data' }).click()
  const runLogs = page.getByTestId('node-logs').getByTestId('step-log-line')
  await expect(runLogs).toHaveCount(2)
  await expect(runLogs.nth(0)).toHaveAttribute('data-level', 'info')
  await expect(runLogs.nth(0)).toContainText('shaping 1 items')
  await expect(runLogs.nth(1)).toHaveAttribute('data-level', 'warn')
  await expect(runLogs.nth(1)).toContainText('careful')
  // A node that logged nothing says so.
  await selectNode(page, 'Mark')
  await page.getByRole('tab', { name: 'Data' }).click()
  await expect(page.getByTestId('node-logs').getByTestId('step-logs-empty')).toHaveText('This step logged nothing.')

  // The execution detail: the failed HTTP step's Logs tab holds both attempts, the first with the retry note.
  const runs = await client.call<{ executions: { id: string }[] }>('GET', `/api/executions?workflowId=${wf.id}`)
  const executionId = runs.executions[0].id
  await page.goto(`/executions/${executionId}`)
  await expect(page.getByTestId('execution-detail')).toHaveAttribute('data-status', 'failed')
  await page.locator('[data-testid="step-item"][data-node-id="call"]').click()
  await page.getByRole('tab', { name: /^Logs \(\d+\)$/ }).click()
  const attempt1 = page.getByRole('region', { name: 'Log of attempt 1' })
  await expect(attempt1.getByTestId('step-log-line')).toHaveCount(2)
  await expect(attempt1.getByTestId('step-log-line').nth(0)).toContainText(`/flaky/${key} answered 500`)
  await expect(attempt1.getByTestId('step-log-line').nth(1)).toContainText(/Attempt 1 of 2 failed: .* retrying in \d+ ms/)
  await expect(page.getByRole('region', { name: 'Log of attempt 2' }).getByTestId('step-log-line')).toHaveCount(1)

  // The Mark step logged nothing.
  await page.locator('[data-testid="step-item"][data-node-id="mark"]').click()
  await page.getByRole('tab', { name: 'Logs (0)' }).click()
  await expect(page.getByTestId('step-logs-empty')).toBeVisible()
})
