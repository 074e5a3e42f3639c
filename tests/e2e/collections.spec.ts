// The collection pages in Chromium: an embedding deployment pointing at the fake embeddings server (started by
// global-setup, E2E_EMBEDDINGS_URL) and a collection made through the API; documents added in the page (pasted
// Markdown and uploaded files), a document's chunks, a hybrid query whose cards show each list's rank, a filter that
// is not JSON, and a collection made with the "New collection" dialog's model picker.
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { api, login, uniqueName } from './support'
import { screenshots } from './screenshots'


function embeddingsUrl(): string {
  const url = process.env.E2E_EMBEDDINGS_URL
  if (!url) throw new Error('E2E_EMBEDDINGS_URL is not set: run through `npx playwright test` (global-setup starts the server)')
  return url
}

const REFUNDS = `# Refunds

A refund is paid back to the card you paid with, within five working days after the parcel reaches our warehouse.

## Exceptions

Gift cards and opened software cannot be refunded.`

/** Screenshots without the "Documents added" toasts over the page, and with colour transitions finished. */
async function shoot(page: Page, file: string, fullPage = false) {
  // Always the first: the rest move up as one goes (a toast may also leave on its own meanwhile).
  const dismiss = page.getByRole('button', { name: 'Dismiss' })
  for (let n = await dismiss.count(); n > 0; n--) await dismiss.first().click({ timeout: 1000 }).catch(() => undefined)
  await page.screenshot({ path: file, fullPage, animations: 'disabled' })
}

async function addFiles(page: Page) {
  await page.getByRole('button', { name: 'Add documents' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add documents' })
  await dialog.getByRole('tab', { name: 'Upload files' }).click()
  await dialog.getByLabel('Files').setInputFiles([
    { name: 'shipping.md', mimeType: 'text/markdown', buffer: Buffer.from('# Shipping\n\nParcels leave the warehouse every weekday and arrive in two to four days.') },
    { name: 'hours.html', mimeType: 'text/html', buffer: Buffer.from('<h1>Opening hours</h1><p>Our phone line answers from nine to five; refunds questions are welcome.</p>') },
  ])
  await dialog.getByLabel('Key prefix (optional)').fill('help/')
  await dialog.getByLabel('Metadata (optional JSON object)').fill('{"lang": "en", "year": 2025}')
  await dialog.getByRole('button', { name: 'Upload 2 files' }).click()
  await expect(dialog).toBeHidden()
}

test('a collection: add documents, read their chunks, see why each hit ranked where it did', async ({ page, request }) => {
  const client = api(request)
  const suffix = uniqueName('x').split(' ')[1]
  const model = await client.call<{ id: string }>('POST', '/api/ai/models', { name: `embed-${suffix}`, provider: 'openaiCompatible', modelId: 'fake-embed', kind: 'embedding', dimensions: 768 })
  const deployment = `embedder-${suffix}`
  await client.call('POST', '/api/ai/deployments', { name: deployment, aiModelId: model.id, baseUrl: embeddingsUrl() })
  const name = `Help center ${suffix}`
  await client.call('POST', '/api/collections', { name, description: 'What support agents answer customers with', embedding: deployment, chunkSize: 48, chunkOverlap: 8 })

  await login(page, '/collections')
  const row = page.getByTestId('collection-row').filter({ hasText: name })
  await expect(row).toContainText('768')
  await expect(row).toContainText(deployment)
  await row.getByRole('link', { name }).click()
  await expect(page.getByRole('heading', { name })).toBeVisible()
  await expect(page.getByText('No documents yet')).toBeVisible()

  // Pasted Markdown under a key with a slash.
  await page.getByRole('button', { name: 'Add documents' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add documents' })
  await dialog.getByLabel('Text', { exact: true }).fill(REFUNDS)
  await dialog.getByRole('button', { name: 'Add document' }).click()
  await expect(dialog.getByRole('alert')).toHaveText('key is required')
  await dialog.getByLabel('Key', { exact: true }).fill('guides/refunds.md')
  await dialog.getByLabel('Title (optional)').fill('Refunds')
  await dialog.getByLabel('Type', { exact: true }).selectOption('text/markdown')
  await dialog.getByLabel('Metadata (optional JSON object)').fill('{"lang": "en", "year": 2024}')
  await dialog.getByRole('button', { name: 'Add document' }).click()
  await expect(dialog).toBeHidden()
  await addFiles(page)

  const docs = page.getByTestId('document-row')
  await expect(docs).toHaveCount(3)
  await expect(page.getByRole('tab', { name: 'Documents (3)' })).toBeVisible()
  await expect(docs.filter({ hasText: 'help/hours.html' })).toContainText('HTML')
  await expect(docs.filter({ hasText: 'help/shipping.md' })).toContainText('year: 2025')

  // A document's chunks: Markdown split under its headings, each with its token count.
  await docs.filter({ hasText: 'guides/refunds.md' }).click()
  const drawer = page.getByRole('dialog', { name: 'Document chunks' })
  const chunks = drawer.getByTestId('chunk')
  await expect(chunks.first()).toContainText('refund')
  await expect(chunks.first()).toContainText(/\d+ tokens/)
  expect(await chunks.count()).toBeGreaterThan(1)
  await shoot(page, path.join(screenshots, 'collections-chunks.png'))
  await drawer.getByRole('button', { name: 'Close' }).click()

  // The search box looks at keys and titles.
  await page.getByLabel('Search documents').fill('shipping')
  await page.getByRole('button', { name: 'Search', exact: true }).click()
  await expect(docs).toHaveCount(1)
  await shoot(page, 'test-results/collections-documents.png')

  // A hybrid query: each card says where the hit stood in the vector and keyword lists and its fused score.
  await page.getByRole('tab', { name: 'Query' }).click()
  const form = page.getByRole('form', { name: 'Query' })
  await form.getByLabel('Query').fill('refund to my card')
  await form.getByLabel('Filter (JSON, optional)').fill('{"lang": en}')
  await form.getByRole('button', { name: 'Search' }).click()
  await expect(form.getByRole('alert')).toContainText('The filter is not valid JSON')
  await form.getByLabel('Filter (JSON, optional)').fill('{"lang": "en"}')
  await form.getByLabel('Top K').fill('4')
  await form.getByRole('button', { name: 'Search' }).click()
  const hits = page.getByTestId('hit')
  await expect(hits.first()).toHaveAttribute('data-rank', '1')
  await expect(hits.first()).toContainText('guides/refunds.md')
  await expect(hits.first().getByTestId('why')).toHaveText(/^#\d+ by meaning \(\d\.\d\d\), #\d+ by keywords \([\d.]+\) → fused 0\.\d{3}$/)
  await expect(hits.first().locator('mark').first()).toHaveText(/^refund/i)
  await expect(page.getByTestId('query-summary')).toContainText('Hybrid')
  await shoot(page, path.join(screenshots, 'collections.png'), true)
  await page.getByRole('button', { name: /Switch to (dark|light) mode/ }).click()
  await shoot(page, 'test-results/collections-other-theme.png', true)
})

test('"New collection" picks the embedding model from the registry', async ({ page, request }) => {
  const client = api(request)
  const suffix = uniqueName('x').split(' ')[1]
  const model = await client.call<{ id: string }>('POST', '/api/ai/models', { name: `embed-small-${suffix}`, provider: 'openaiCompatible', modelId: 'fake-embed-small', kind: 'embedding', dimensions: 64 })
  const deployment = `small-${suffix}`
  await client.call('POST', '/api/ai/deployments', { name: deployment, aiModelId: model.id, baseUrl: embeddingsUrl() })

  await login(page, '/collections')
  await page.getByRole('button', { name: 'New collection' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New collection' })
  await dialog.getByRole('button', { name: 'Create' }).click()
  await expect(dialog.getByText('name is required')).toBeVisible()
  const name = `Notes ${suffix}`
  await dialog.getByLabel('Name').fill(name)
  await expect(dialog.getByText('name is required')).toBeHidden()
  await dialog.getByLabel('Embedding model').selectOption(deployment)
  await expect(dialog.getByLabel('Chunk size (tokens)')).toHaveValue('400')
  await shoot(page, 'test-results/collections-new.png')
  await dialog.getByRole('button', { name: 'Create' }).click()
  await expect(page).toHaveURL(new RegExp(`/collections/${encodeURIComponent(name).replace(/%20/g, '(%20|\\+)')}$`))
  await expect(page.getByTestId('collection-facts')).toContainText('64')
})
