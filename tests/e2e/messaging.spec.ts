// The messaging studio in Chromium: the message log with seeded messages (status filter, the detail drawer with its
// status history), the campaigns page (cancel with its confirmation), and a run's conversation view.
// Messages are seeded as rows (the SMS nodes that write them live on their own branch); the campaign goes through the API.
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { expect, test } from '@playwright/test'
import { api, chain, E2E, login, node, uniqueName } from './support'
import { openDesigner, selectNode } from './designer-support'
import { screenshots } from './screenshots'


async function seedMessages(executionId: string, rows: Array<Record<string, unknown>>) {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL })
  await client.connect()
  try {
    const { rows: [owner] } = await client.query(
      `SELECT m."tenantId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1 LIMIT 1`,
      [E2E.email],
    )
    const start = Date.now() - rows.length * 60_000
    for (const [i, r] of rows.entries()) {
      const at = new Date(start + i * 60_000)
      const history = [{ status: 'queued', at: at.toISOString() }, ...(r.status === 'received' ? [] : [{ status: r.status, at: new Date(at.getTime() + 2000).toISOString(), ...(r.errorCode ? { errorCode: r.errorCode } : {}) }])]
      await client.query(
        `INSERT INTO "Message" (id, "tenantId", channel, direction, provider, "providerId", "from", "to", body, status, "errorCode", "errorMessage", "statusHistory", "executionId", "createdAt", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)`,
        [randomUUID(), owner.tenantId, r.channel ?? 'sms', r.direction ?? 'outbound', r.channel === 'whatsapp' ? 'whatsapp' : 'twilio', `SM${randomUUID().replace(/-/g, '')}`,
          r.from ?? '+14155550100', r.to ?? '+14155550123', r.body, r.status, r.errorCode ?? null, r.errorMessage ?? null, JSON.stringify(history), r.run ? executionId : null, at],
      )
    }
  } finally {
    await client.end()
  }
}

test('the message log, campaigns and a run’s conversation', async ({ page, request }) => {
  const client = api(request)
  const wf = await client.createWorkflow(uniqueName('Support line'), chain(node.manual(), node.set('reply', { text: 'ok' }, 'Reply')))
  const { executionId } = await client.run(wf.id)
  await client.waitFor(executionId, ['succeeded'])
  await seedMessages(executionId, [
    { run: true, body: 'Hi Ana, your order #1042 has shipped and arrives Thursday.', status: 'delivered' },
    { run: true, direction: 'inbound', from: '+14155550123', to: '+14155550100', body: 'Great, can I change the delivery address?', status: 'received' },
    { run: true, body: 'Sure, reply with the new address and we will update it.', status: 'sent' },
    { run: true, to: '+1415555', body: 'We could not reach this number.', status: 'failed', errorCode: '21211', errorMessage: "The 'To' number +1415555 is not a valid phone number." },
    { channel: 'whatsapp', to: '+5511999990000', body: 'Your appointment is confirmed for 10:30.', status: 'read' },
    { to: '+14155550777', body: 'Spring sale: 20% off until Sunday.', status: 'undelivered', errorCode: '30003', errorMessage: 'Unreachable destination handset' },
  ])

  await login(page, '/messages')
  await page.setViewportSize({ width: 1440, height: 900 })
  const rows = page.getByTestId('message-row')
  await expect(rows.filter({ hasText: 'order #1042' })).toBeVisible()
  await expect(rows.filter({ hasText: 'order #1042' }).locator('[data-status="delivered"]')).toBeVisible()
  await expect(rows.filter({ hasText: 'Spring sale' })).toContainText('30003')
  await page.screenshot({ path: path.join(screenshots, 'messages-log.png') })
  await page.getByLabel('Status').selectOption('failed')
  await expect(page).toHaveURL(/status=failed/)
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('21211')
  await rows.first().click()
  const drawer = page.getByRole('dialog', { name: 'Message' })
  await expect(drawer.getByRole('alert')).toContainText("21211: The 'To' number +1415555 is not a valid phone number.")
  await expect(drawer.getByTestId('status-history').locator('li')).toHaveCount(2)
  await page.screenshot({ path: path.join(screenshots, 'messages-detail.png') })
  await drawer.getByRole('button', { name: 'Close' }).click()
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(rows.filter({ hasText: 'appointment' })).toBeVisible()

  // A campaign far ahead, through the API, cancelled in the page.
  const cred = await client.call<{ id: string }>('POST', '/api/credentials', { name: uniqueName('Twilio'), kind: 'twilio', data: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'e2e-token' } })
  const name = uniqueName('Spring sale')
  await client.call('POST', '/api/messaging/campaigns', {
    name, credentialId: cred.id, from: '+14155550100', body: 'Spring sale: 20% off until Sunday.', recipients: '+14155550101\n+14155550102\n+14155550101', sendAt: '2030-03-10T09:00', timeZone: 'America/New_York', ratePerSecond: 2,
  })
  await page.getByRole('link', { name: 'Campaigns' }).click()
  const campaign = page.getByTestId('campaign-row').filter({ hasText: name })
  await expect(campaign).toHaveAttribute('data-status', 'scheduled')
  await expect(campaign).toContainText('2030-03-10 09:00')
  await expect(campaign).toContainText('America/New_York')
  await page.screenshot({ path: path.join(screenshots, 'messages-campaigns.png') })

  // The create form puts the server's field errors under their fields: a time that has passed names sendAt.
  await page.getByRole('button', { name: 'New campaign' }).click()
  const form = page.getByRole('dialog', { name: 'New campaign' })
  await form.getByLabel('Name', { exact: true }).fill('Too late')
  await form.getByLabel('Twilio credential').selectOption(cred.id)
  await form.getByLabel('From (E.164 or MG… service)').fill('+14155550100')
  await form.getByLabel('Message', { exact: true }).fill('Hello')
  await form.getByLabel('Recipients (one number a line)').fill('+14155550101')
  await form.getByLabel('Send at (local time)').fill('2020-01-01T09:00')
  await form.getByRole('button', { name: 'Schedule' }).click()
  await expect(form.getByRole('alert')).toContainText('has passed')
  await page.screenshot({ path: 'test-results/messages-campaign-form.png' })
  await form.getByRole('button', { name: 'Close', exact: true }).first().click()
  await campaign.getByRole('button', { name: 'Cancel' }).click()
  const confirm = page.getByRole('dialog', { name: /Cancel “/ })
  await expect(confirm).toContainText('2 recipients')
  await confirm.getByRole('button', { name: 'Cancel campaign' }).click()
  await expect(campaign).toHaveAttribute('data-status', 'cancelled')
  await expect(campaign.getByRole('button', { name: 'Cancel' })).toHaveCount(0)

  // The run's conversation: bubbles in time order, outbound right, inbound left, the failure's error shown.
  await page.goto(`/executions/${executionId}`)
  const conversation = page.getByRole('region', { name: 'Conversation' })
  const bubbles = conversation.getByTestId('conversation-message')
  await expect(bubbles).toHaveCount(4)
  await expect(bubbles.nth(0)).toHaveAttribute('data-direction', 'outbound')
  await expect(bubbles.nth(1)).toHaveAttribute('data-direction', 'inbound')
  await expect(bubbles.nth(3)).toContainText('21211')
  await page.screenshot({ path: path.join(screenshots, 'run-conversation.png'), fullPage: true })
})

test('a messaging trigger shows the callback URL to give Twilio', async ({ page, request }) => {
  const wf = await api(request).createWorkflow(
    uniqueName('Inbound texts'),
    chain({ id: 'sms', type: 'twilio-sms-trigger', name: 'Text received', params: { number: '+14155550100' } }, node.set('reply', { ok: true }, 'Handle')),
  )
  await login(page, `/workflows/${wf.id}`)
  await page.setViewportSize({ width: 1440, height: 900 })
  await openDesigner(page, wf.id)
  await selectNode(page, 'Text received')
  const hook = page.getByTestId('provider-hook-url')
  await expect(hook).toContainText(`/api/hooks/twilio/sms/${wf.id}/sms`)
  await expect(hook).toContainText('answers once the workflow is active')
  await expect(hook).toContainText('A message comes in')
  await page.screenshot({ path: path.join(screenshots, 'messaging-trigger-url.png') })
})
