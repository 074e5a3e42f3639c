// Files in the run view: a multipart webhook upload of a PNG and a JSON file, seen in the run as file chips with
// an image preview (a blob: URL, never the API's URL in an <img>), a pretty JSON preview and downloads that arrive as
// attachments under the file's name.
import fs from 'node:fs/promises'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { formatBytes } from '../../lib/files/ref'
import { gradientPng } from '../helpers/png'
import { api, chain, E2E, login, node, uniqueName } from './support'
import { screenshots } from './screenshots'


test('a webhook upload\'s files are previewed and downloaded in the run view', async ({ page, request }) => {
  const client = api(request)
  const hookPath = `e2e/files-${Date.now().toString(36)}`
  await client.createWorkflow(
    uniqueName('Receive upload'),
    chain({ id: 'hook', type: 'webhook-trigger', name: 'Upload', params: { path: hookPath, method: 'POST', responseMode: 'onReceived' } }, node.set('mark', { received: true }, 'Mark received')),
    { active: true },
  )
  const order = { order: 42, lines: [{ sku: 'A-1', qty: 2 }] }
  const png = gradientPng(96, 64)
  const res = await request.post(`/api/webhooks/${hookPath}`, {
    multipart: {
      note: 'two files',
      photo: { name: 'photo.png', mimeType: 'image/png', buffer: png },
      data: { name: 'order.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(order)) },
    },
  })
  expect(res.status(), await res.text()).toBe(202)
  const { executionId } = (await res.json()) as { executionId: string }
  expect((await client.waitFor(executionId)).status).toBe('succeeded')

  await login(page, `/executions/${executionId}`)
  await page.locator('[data-testid="step-item"][data-node-id="mark"]').click()
  const files = page.getByTestId('file-list')
  await expect(files.getByTestId('file-chip')).toHaveCount(2)
  const photo = files.getByTestId('file-chip').filter({ hasText: 'photo.png' })
  const data = files.getByTestId('file-chip').filter({ hasText: 'order.json' })
  await expect(photo).toContainText('image/png')
  await expect(photo).toContainText(formatBytes(png.length))

  // Images preview without a click; the button hides the preview again.
  const img = photo.getByTestId('file-preview-image')
  await expect(photo.getByRole('button', { name: 'Hide' })).toBeVisible()
  await expect(img).toBeVisible()
  await expect(img).toHaveAttribute('src', /^blob:/)
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(96)

  await data.getByRole('button', { name: 'Preview' }).click()
  await expect(data.getByTestId('file-preview-text')).toContainText('"order": 42')

  const [download] = await Promise.all([page.waitForEvent('download'), data.getByRole('link', { name: 'Download order.json' }).click()])
  expect(download.suggestedFilename()).toBe('order.json')
  expect(JSON.parse(await fs.readFile(await download.path(), 'utf8'))).toEqual(order)

  // The JSON view shows the same files where the items hold them.
  await page.getByRole('tab', { name: 'JSON' }).click()
  const json = page.getByTestId('json-view')
  await json.getByRole('button', { name: /^body:/ }).click()
  await expect(json.getByTestId('file-chip')).toHaveCount(2)
  await expect(json.getByTestId('file-chip').filter({ hasText: 'photo.png' })).toContainText('image/png')
  await page.getByRole('tab', { name: 'Table' }).click()
  await page.screenshot({ path: path.join(screenshots, 'run-files.png') })

  // Deleting the run deletes its files.
  const fileId = await data.getAttribute('data-file-id')
  await page.getByRole('button', { name: 'Delete', exact: true }).click()
  await page.getByRole('button', { name: 'Delete execution' }).click()
  await expect(page).toHaveURL(/\/executions$/)
  const gone = await request.get(`/api/files/${fileId}`, { headers: { authorization: `Bearer ${E2E.apiKey}` } })
  expect(gone.status()).toBe(404)
})
