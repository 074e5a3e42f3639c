import path from 'node:path'
import { expect, test } from '@playwright/test'
import { api, chain, E2E, login, node, testServerUrl, uniqueName } from './support'
import { screenshots } from './screenshots'

test.describe('executions: run order, durations, bulk actions', () => {
  test('steps are listed in the order they ran, not by node id', async ({ page, request }) => {
    const client = api(request)
    // Node ids in reverse of the flow: an id-ordered list would show them backwards.
    const wf = await client.createWorkflow(
      uniqueName('Ordered'),
      chain(node.manual('z-start', 'Start'), node.set('y-one', { a: 1 }, 'First'), node.set('x-two', { b: 2 }, 'Second'), node.code('w-three', 'return items', 'Third')),
    )
    const { executionId } = await client.run(wf.id)
    expect((await client.waitFor(executionId)).status).toBe('succeeded')
    await login(page, `/executions/${executionId}`)
    const steps = page.getByRole('navigation', { name: 'Steps' }).getByTestId('step-item')
    await expect(steps).toHaveCount(4)
    expect(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')))).toEqual(['z-start', 'y-one', 'x-two', 'w-three'])
    await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('Start')
  })

  test('a running run and its running step count up from zero, never below', async ({ page, request }) => {
    const client = api(request)
    const name = uniqueName('Slow run')
    const wf = await client.createWorkflow(name, chain(node.manual(), node.http('slow', `${testServerUrl()}/slow?ms=5000`, 'Slow call')))
    await login(page, '/executions')
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-connected', 'true')
    // The list has sat idle a while before the run starts: a clock kept from the last tick would be this far behind.
    await page.waitForTimeout(1500)
    const { executionId } = await client.run(wf.id)
    const row = page.locator(`[data-testid="execution-row"][data-execution-id="${executionId}"]`)
    await expect(row).toHaveAttribute('data-status', 'running', { timeout: 20_000 })
    const seen: string[] = []
    for (let i = 0; i < 15; i++) {
      seen.push(await row.getByTestId('execution-duration').innerText())
      await page.waitForTimeout(100)
    }
    expect(seen.filter((d) => d.includes('-'))).toEqual([])
    expect(seen.some((d) => /\d/.test(d))).toBe(true)

    // Running rows cannot be deleted: the bar says so.
    await row.getByRole('checkbox').check()
    await expect(page.getByTestId('running-note')).toContainText('1 run still running cannot be deleted')
    await expect(page.getByTestId('bulk-bar').getByRole('button', { name: 'Delete' })).toBeDisabled()
    await page.getByRole('button', { name: 'Clear selection' }).click()

    await page.goto(`/executions/${executionId}`)
    const step = page.getByRole('navigation', { name: 'Steps' }).locator('[data-node-id="slow"]')
    await expect(step).toBeVisible()
    const header = page.getByTestId('execution-meta')
    const durations: string[] = []
    await page.screenshot({ path: path.join(screenshots, 'execution-running.png') })
    for (let i = 0; i < 12 && (await page.getByTestId('execution-detail').getAttribute('data-status')) === 'running'; i++) {
      durations.push(await step.getByTestId('step-duration').innerText(), await header.innerText())
      await page.waitForTimeout(150)
    }
    expect(durations.length).toBeGreaterThan(0)
    expect(durations.filter((d) => /-\d/.test(d))).toEqual([])
    await expect(step.getByTestId('step-duration')).toHaveText(/\d+(\.\d)? (ms|s)/)
    await expect(page.getByTestId('execution-detail')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 })
  })

  test('bulk delete two finished runs, asking first', async ({ page, request }) => {
    const client = api(request)
    const wf = await client.createWorkflow(uniqueName('Bulk delete runs'), chain(node.manual(), node.set('s', { v: 1 })))
    const first = await client.run(wf.id)
    const second = await client.run(wf.id)
    await client.waitFor(first.executionId)
    await client.waitFor(second.executionId)
    await login(page, `/executions?workflowId=${wf.id}&range=all`)
    const rows = page.getByTestId('execution-row')
    await expect(rows).toHaveCount(2)
    await page.getByLabel('Select all executions').check()
    await expect(page.getByTestId('selected-count')).toHaveText('2 selected')
    await page.screenshot({ path: path.join(screenshots, 'executions-bulk.png') })
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Delete' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete 2 runs?' })
    await confirm.getByRole('button', { name: 'Delete 2 runs' }).click()
    await expect(page.getByText('Deleted 2 runs')).toBeVisible()
    await expect(rows).toHaveCount(0)
    for (const id of [first.executionId, second.executionId]) {
      expect((await request.get(`/api/executions/${id}`, { headers: { authorization: `Bearer ${E2E.apiKey}` } })).status()).toBe(404)
    }
  })
})
