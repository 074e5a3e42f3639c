// A screenshot taken by a run (Open Page → Screenshot, real Chromium on the studio's worker) appears in the run view
// as a file chip: previewed inline as an image (a blob: URL) and downloaded as a PNG attachment.
import fs from 'node:fs/promises'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { api, chain, login, node, testServerUrl, uniqueName } from './support'
import { screenshots } from './screenshots'


test('a Screenshot step\'s image is previewed inline and downloadable in the run view', async ({ page, request }) => {
  const client = api(request)
  const wf = await client.createWorkflow(
    uniqueName('Screenshot'),
    chain(
      node.manual(),
      { id: 'open', type: 'browser-open-page', name: 'Open Page', params: { url: `${testServerUrl()}/html/box` } },
      { id: 'shot', type: 'browser-screenshot', name: 'Screenshot', params: { area: 'element', selector: '#box' } },
    ),
  )
  const { executionId } = await client.run(wf.id)
  const done = await client.waitFor(executionId)
  expect(done.status, JSON.stringify(done.error)).toBe('succeeded')

  await login(page, `/executions/${executionId}`)
  await page.locator('[data-testid="step-item"][data-node-id="shot"]').click()
  const chip = page.getByTestId('file-chip').filter({ hasText: 'screenshot-127.0.0.1-1.png' }).first()
  await expect(chip).toContainText('image/png')
  // Shown inline at once: no click needed to see the screenshot.
  const img = chip.getByTestId('file-preview-image')
  await expect(img).toBeVisible()
  await expect(img).toHaveAttribute('src', /^blob:/)
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight])).toEqual([160, 90])
  await page.screenshot({ path: path.join(screenshots, 'run-screenshot.png') })

  const [download] = await Promise.all([page.waitForEvent('download'), chip.getByRole('link', { name: 'Download screenshot-127.0.0.1-1.png' }).click()])
  expect(download.suggestedFilename()).toBe('screenshot-127.0.0.1-1.png')
  const bytes = await fs.readFile(await download.path())
  expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG')
  expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([160, 90])
})
