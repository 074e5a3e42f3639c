import path from 'node:path'
import { expect, test } from '@playwright/test'
import { api, chain, login, node, testServerUrl, uniqueName } from './support'
import { screenshots } from './screenshots'


test.describe('executions dashboard', () => {
  test('runs started through the API appear and change state without a reload', async ({ page, request }) => {
    const client = api(request)
    const name = uniqueName('Live list')
    const wf = await client.createWorkflow(
      name,
      chain(node.manual(), node.http('fetch', `${testServerUrl()}/slow?ms=1500`, 'Slow call'), node.set('mark', { done: true }, 'Mark done')),
    )
    await login(page, '/executions')
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-connected', 'true')
    const succeeded = page.getByTestId('counter-succeeded24h').locator('dd')
    await expect(succeeded).toHaveText(/^\d+$/)
    const succeededBefore = Number(await succeeded.innerText())

    const { executionId } = await client.run(wf.id)
    const row = page.locator(`[data-testid="execution-row"][data-execution-id="${executionId}"]`)
    await expect(row).toBeVisible()
    await expect(row).toContainText(name)
    await expect(row).toHaveAttribute('data-status', /queued|running/)
    await expect(row).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 })
    // Other specs' runs may finish meanwhile, so "at least one more".
    await expect.poll(async () => Number(await succeeded.innerText())).toBeGreaterThan(succeededBefore)

    // A second run lands on top of the list, still without reloading.
    const second = await client.run(wf.id)
    await expect(page.getByTestId('execution-row').first()).toHaveAttribute('data-execution-id', second.executionId)
    await expect(page.getByTestId('execution-row').first()).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 })

    // The status filter hides what does not match.
    await page.getByLabel('Status').selectOption('failed')
    await expect(page).toHaveURL(/status=failed/)
    await expect(row).toBeHidden()
    await page.getByLabel('Status').selectOption('')
    await expect(row).toBeVisible()

    // The workflow list links to the executions of one workflow.
    await page.getByRole('link', { name: 'Workflows', exact: true }).click()
    await page.getByRole('link', { name: `Executions of ${name}` }).click()
    await expect(page.getByLabel('Workflow')).toHaveValue(wf.id)
    await expect(page.getByTestId('execution-row')).toHaveCount(2)
  })

  test('a failed run is re-run from its failed step and succeeds', async ({ page, request }) => {
    const client = api(request)
    const key = `k${Date.now().toString(36)}`
    const wf = await client.createWorkflow(
      uniqueName('Flaky API'),
      chain(node.manual(), node.http('call', `${testServerUrl()}/flaky/${key}`, 'Call flaky API'), node.set('after', { ok: '{{ $json.body.fixed }}' }, 'After call')),
    )
    const { executionId } = await client.run(wf.id, [{ customer: 'ada' }])
    const failed = await client.waitFor(executionId)
    expect(failed.status).toBe('failed')

    await login(page, `/executions/${executionId}`)
    const detail = page.getByTestId('execution-detail')
    await expect(detail).toHaveAttribute('data-status', 'failed')
    await expect(page.getByRole('alert').filter({ hasText: 'Call flaky API' })).toBeVisible()
    await expect(page.locator('[data-testid="timeline-row"][data-node-id="call"]')).toHaveAttribute('data-status', 'failed')

    // Fix the API, then re-run from the failed step.
    await request.post(`${testServerUrl()}/flaky/${key}/fix`)
    await page.getByRole('button', { name: 'Re-run from failed step' }).click()
    // It asks which version: the one it ran (v1) or the current one.
    await expect(page.getByTestId('retry-original')).toHaveText('Version it ran (v1)')
    await page.getByTestId('retry-original').click()
    await expect(page).not.toHaveURL(new RegExp(executionId))
    await expect(detail).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 })
    await expect(page.locator('[data-testid="timeline-row"][data-node-id="after"]')).toHaveAttribute('data-status', 'succeeded')
    // The trigger settled in the failed run: its output was reused, and the timeline says so instead of placing it
    // back at the earlier run's time.
    await expect(page.locator('[data-testid="timeline-row"]').first().locator('[data-reused]')).toHaveCount(1)
    await expect(page.locator('[data-testid="timeline-row"][data-node-id="after"] [data-reused]')).toHaveCount(0)

    // The output of the last step is there, in the table view and the JSON view.
    await page.locator('[data-testid="step-item"][data-node-id="after"]').click()
    await expect(page.getByTestId('items-table')).toContainText('"fixed":true')
    await page.getByRole('tab', { name: 'JSON' }).click()
    await expect(page.getByTestId('json-view')).toContainText('ok: true')
    await page.getByRole('tab', { name: /^Input/ }).click()
    await page.getByRole('tab', { name: 'Table' }).click()
    await expect(page.getByTestId('items-table')).toContainText('status')

    const retried = await client.execution(page.url().split('/').pop()!)
    expect(retried.status).toBe('succeeded')
    await page.screenshot({ path: path.join(screenshots, 'execution.png') })
  })

  test('dashboard screenshot', async ({ page, request }) => {
    const client = api(request)
    const ok = await client.createWorkflow('Sync users to CRM', chain(node.manual(), node.http('users', `${testServerUrl()}/users`, 'Fetch users'), node.set('tag', { synced: true }, 'Tag synced')))
    const bad = await client.createWorkflow('Nightly report', chain(node.manual(), node.http('bad', `${testServerUrl()}/flaky/never`, 'Call report API')))
    const slow = await client.createWorkflow('Slow import', chain(node.manual(), node.http('slow', `${testServerUrl()}/slow?ms=20000`, 'Import batch')))
    const runs = await Promise.all([client.run(ok.id), client.run(bad.id), client.run(ok.id)])
    await Promise.all(runs.map((r) => client.waitFor(r.executionId)))
    await client.run(slow.id)

    await login(page, '/executions')
    await expect(page.getByTestId('execution-row').first()).toHaveAttribute('data-status', /running|queued/)
    await expect(page.getByTestId('counter-running').locator('dd')).not.toHaveText('—')
    await page.screenshot({ path: path.join(screenshots, 'dashboard.png') })
  })
})
