// Live versions in the designer: the status says what is live, Activate/Publish change it, the inspector shows both
// webhook URLs, and "Listen for test event" follows the test run on the canvas.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { api, chain, login, node, uniqueName } from './support'
import { openDesigner, selectNode } from './designer-support'
import { screenshots } from './screenshots'


test('activate, publish a draft, and run the draft once from the test URL', async ({ page, request }) => {
  const hookPath = `e2e/live-${Date.now().toString(36)}`
  const wf = await api(request).createWorkflow(
    uniqueName('Live webhook'),
    chain({ id: 'hook', type: 'webhook-trigger', name: 'Order webhook', params: { path: hookPath, method: 'POST', responseMode: 'lastNode' } }, node.set('mark', { stage: 'v1' }, 'Mark stage')),
  )
  await login(page, `/workflows/${wf.id}`)
  await openDesigner(page, wf.id)
  const status = page.getByTestId('live-status')
  await expect(status).toHaveText('Not published')
  expect((await request.post(`/api/webhooks/${hookPath}`, { data: {} })).status()).toBe(404)

  // Activate: version 1 goes live and the production URL answers.
  await page.getByTestId('activate-toggle').click()
  await expect(status).toHaveText('Live · v1')
  expect(await (await request.post(`/api/webhooks/${hookPath}`, { data: {} })).json()).toMatchObject({ stage: 'v1' })

  // Both URLs in the inspector, with copy buttons.
  await selectNode(page, 'Order webhook')
  await expect(page.getByTestId('webhook-production-url')).toContainText(`/api/webhooks/${hookPath}`)
  await expect(page.getByTestId('webhook-production-url')).toContainText('live on v1')
  await expect(page.getByTestId('webhook-test-url')).toContainText(`/api/webhooks-test/${hookPath}`)
  await expect(page.getByRole('button', { name: 'Copy test url' })).toBeVisible()

  // A saved draft (v2) is not live: production still answers with v1.
  await api(request).saveWorkflow(wf.id, 1, chain(
    { id: 'hook', type: 'webhook-trigger', name: 'Order webhook', params: { path: hookPath, method: 'POST', responseMode: 'lastNode' } },
    node.set('mark', { stage: 'v2' }, 'Mark stage'),
  ))
  await page.reload()
  await openDesigner(page, wf.id)
  await expect(status).toHaveText('Live · v1')
  await expect(page.getByTestId('draft-note')).toBeVisible()
  expect(await (await request.post(`/api/webhooks/${hookPath}`, { data: {} })).json()).toMatchObject({ stage: 'v1' })

  // Listen for a test event: a request to the test URL runs the draft, and the canvas follows that run.
  await selectNode(page, 'Order webhook')
  await page.getByTestId('webhook-listen').click()
  await expect(page.getByTestId('webhook-listening')).toBeVisible()
  await page.screenshot({ path: path.join(screenshots, 'live-versions.png') })
  const tested = await request.post(`/api/webhooks-test/${hookPath}`, { data: { order: 7 } })
  expect(await tested.json()).toMatchObject({ stage: 'v2', body: { order: 7 } })
  await expect(page.getByTestId('run-status')).toContainText(/succeeded/i, { timeout: 20_000 })
  await expect(page.getByTestId('node-Mark stage')).toHaveAttribute('data-status', 'succeeded')
  await expect(page.getByTestId('webhook-listening')).toHaveCount(0)

  // Publish: v2 goes live.
  await page.getByTestId('publish-button').click()
  await expect(status).toHaveText('Live · v2')
  expect(await (await request.post(`/api/webhooks/${hookPath}`, { data: {} })).json()).toMatchObject({ stage: 'v2' })
  await page.getByTestId('activate-toggle').click()
  await expect(status).toHaveText('Inactive · v2 published')
  expect((await request.post(`/api/webhooks/${hookPath}`, { data: {} })).status()).toBe(404)
})
