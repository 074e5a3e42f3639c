// The Schedule trigger in the designer: the inspector lists the next five fire times in the node's time zone and
// names the problem of an expression that cannot run.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { api, chain, login, node, uniqueName } from './support'
import { openDesigner, selectNode } from './designer-support'
import { screenshots } from './screenshots'


test('the inspector shows the next five fire times and a bad cron expression\'s problem', async ({ page, request }) => {
  const wf = await api(request).createWorkflow(
    uniqueName('Weekday report'),
    chain({ id: 'tick', type: 'schedule-trigger', name: 'Weekdays at 9', params: { mode: 'cron', cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' } }, node.set('report', { ok: true }, 'Build report')),
  )
  await login(page, `/workflows/${wf.id}`)
  await openDesigner(page, wf.id)
  await selectNode(page, 'Weekdays at 9')
  const times = page.getByTestId('schedule-times')
  await expect(times).toBeVisible()
  await expect(times.locator('li')).toHaveCount(5)
  await expect(times).toContainText('Europe/Berlin')
  await page.screenshot({ path: path.join(screenshots, 'schedule.png') })

  await page.getByTestId('field-cron').getByRole('textbox').fill('0 0 30 2 *')
  await expect(page.getByTestId('schedule-error')).toBeVisible()
})
