import { readFile } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import { api, chain, login, node, uniqueName } from './support'

test('the studio runs under its CSP: no violations on the main pages, and the headers are there', async ({ page, request }) => {
  const wf = await api(request).createWorkflow(uniqueName('CSP check'), chain(node.manual(), node.set('s', { a: 1 })))
  const violations: string[] = []
  page.on('console', (msg) => {
    if (/Content[- ]Security[- ]Policy|Refused to (execute|load|apply|connect)/i.test(msg.text())) violations.push(msg.text())
  })
  await login(page, '/workflows')
  const res = await page.goto('/workflows')
  const headers = res!.headers()
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/)
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
  expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'strict-origin-when-cross-origin' })
  expect(headers['strict-transport-security']).toBeUndefined()
  await expect(page.getByRole('heading', { name: 'Workflows' }).first()).toBeVisible()

  for (const path of [`/workflows/${wf.id}`, '/executions', '/settings/credentials', '/settings/audit']) {
    await page.goto(path)
    await page.waitForLoadState('networkidle')
  }
  // The designer renders its canvas only once scripts ran: the page is alive under the policy.
  await page.goto(`/workflows/${wf.id}`)
  await expect(page.locator('.react-flow__node').first()).toBeVisible()
  expect(violations).toEqual([])

  const preflight = await request.fetch('/api/workflows', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
  expect(preflight.status()).toBe(403)
  expect(preflight.headers()['access-control-allow-origin']).toBeUndefined()
})

test('audit log: a deleted workflow shows up, filters narrow it, and the CSV export downloads', async ({ page, request }) => {
  const name = uniqueName('Audited')
  const wf = await api(request).createWorkflow(name, chain(node.manual()))
  await api(request).call('DELETE', `/api/workflows/${wf.id}`)

  await login(page, '/settings/audit')
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible()
  await page.getByLabel('Action').selectOption('workflow.deleted')
  await page.getByLabel('Search').fill(wf.id)
  await page.getByRole('button', { name: 'Apply' }).click()
  const rows = page.locator('tbody tr')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('Workflow deleted')
  await expect(rows.first()).toContainText(`workflow:${wf.id}`)
  await page.screenshot({ path: 'test-results/audit-page.png', fullPage: true })

  const download = page.waitForEvent('download')
  await page.getByRole('link', { name: 'Export CSV' }).click()
  const csv = await readFile(await (await download).path(), 'utf8')
  expect(csv.split('\r\n')[0]).toBe('time,actorType,actorId,actor,action,target,outcome,ip,data')
  expect(csv).toContain(`workflow.deleted,workflow:${wf.id}`)
})
