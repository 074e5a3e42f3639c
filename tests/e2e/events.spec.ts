// The events page: an event published through the API, its deliveries (one delivered, one that always fails and ends
// as a dead letter), and the dead letter discarded from the studio.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { api, chain, login, node, uniqueName } from './support'
import { screenshots } from './screenshots'


test('an event reaches its subscribers; a failing one ends in the dead letters and is discarded', async ({ page, request }) => {
  const client = api(request)
  const name = `order.created.${Date.now().toString(36)}`
  const subscriber = (label: string, extra: Record<string, unknown> = {}) =>
    ({ id: 'on', type: 'event-trigger', name: label, params: { eventName: name, retryDelaySeconds: 0, ...extra } })
  await client.createWorkflow(uniqueName('Ship order'), chain(subscriber('Order created'), node.set('ship', { shipped: true }, 'Ship')), { active: true })
  await client.createWorkflow(
    uniqueName('Flaky CRM sync'),
    chain(subscriber('Order created (CRM)', { maxAttempts: 2 }), { id: 'boom', type: 'stop-and-error', name: 'CRM down', params: { message: 'CRM is down' } }),
    { active: true },
  )
  const published = await client.call<{ id?: string; eventId?: string }>('POST', '/api/events', { name, payload: { order: 7 } })
  const eventId = published.id ?? published.eventId
  expect(eventId).toBeTruthy()

  await login(page, `/events/${eventId}`)
  const rows = page.getByTestId('delivery-row')
  await expect(rows).toHaveCount(2)
  await expect(page.locator('[data-testid="delivery-row"][data-status="delivered"]')).toHaveCount(1, { timeout: 30_000 })
  await expect(page.locator('[data-testid="delivery-row"][data-status="dead"]')).toHaveCount(1, { timeout: 60_000 })
  await page.screenshot({ path: path.join(screenshots, 'event.png') })

  await page.goto('/events')
  await expect(page.getByTestId('event-row').first()).toContainText(name)
  await page.getByRole('tab', { name: 'Dead letters' }).click()
  const dead = page.getByTestId('dead-letter-row').filter({ hasText: name })
  await expect(dead).toHaveCount(1)
  await page.screenshot({ path: path.join(screenshots, 'dead-letters.png') })
  await dead.getByTestId('discard-delivery').click()
  await expect(dead).toHaveCount(0)
})
