import fs from 'node:fs/promises'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { api, chain, login, node, uniqueName } from './support'
import { screenshots } from './screenshots'


test('export a workflow from the list, import the file through the dialog and read the report', async ({ page, request }, testInfo) => {
  const client = api(request)
  const credentialName = uniqueName('Mail server')
  const { id: credentialId } = await client.call<{ id: string }>('POST', '/api/credentials', { name: credentialName, kind: 'smtp', data: { host: 'smtp.example.com', password: 'never-exported' } })
  const name = uniqueName('Weekly digest')
  const mail = { id: 'mail', type: 'send-email', name: 'Send digest', params: { credential: credentialId, to: 'team@example.com' }, settings: { disabled: true } }
  await client.createWorkflow(name, chain(node.manual(), node.set('compose', { subject: 'Digest' }, 'Compose'), mail))

  await login(page, '/workflows')
  const download = page.waitForEvent('download')
  await page.getByRole('link', { name: `Export ${name}` }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^weekly-digest-[a-z0-9-]+\.auterity\.json$/)
  const exported = JSON.parse(await fs.readFile(await file.path(), 'utf8'))
  expect(JSON.stringify(exported)).not.toContain(credentialId)
  expect(JSON.stringify(exported)).not.toContain('never-exported')
  expect(exported.credentials).toEqual([{ ref: 'credential-1', kind: 'smtp', name: credentialName }])

  // As another workspace would see it: its credential has another name, and a node type this studio lacks.
  exported.credentials[0].name = 'Mail server of another workspace'
  exported.workflow.graph.nodes.push({ id: 'future', type: 'fax-send', typeVersion: 1, name: 'Fax the digest', params: {}, settings: {}, position: { x: 900, y: 160 } })
  const edited = testInfo.outputPath('digest.auterity.json')
  await fs.writeFile(edited, JSON.stringify(exported))

  await page.getByRole('button', { name: 'Import' }).first().click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('File').setInputFiles(edited)
  await expect(dialog.getByText('Read digest.auterity.json')).toBeVisible()
  await dialog.getByLabel('Name (optional)').fill(`${name} <imported>`)
  await dialog.getByRole('button', { name: 'Import' }).click()

  const report = dialog.getByTestId('import-report')
  await expect(dialog.getByRole('heading', { name: 'Imported, with things to check' })).toBeVisible()
  await expect(report.getByRole('region', { name: 'Missing credentials' })).toContainText('Mail server of another workspace (smtp) — used by Send digest')
  await expect(report.getByRole('region', { name: 'Unknown node types' })).toContainText('fax-send — Fax the digest')
  await expect(report).toContainText(`Named ${name} <imported>`)
  await page.screenshot({ path: path.join(screenshots, 'import-report.png') })

  await dialog.getByRole('button', { name: 'Open workflow' }).click()
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/)
  await expect(page.getByTestId('workflow-name')).toHaveValue(`${name} <imported>`)
  await expect(page.getByTestId('export-button')).toHaveAttribute('href', /^\/api\/workflows\/[^/]+\/export\?version=1$/)
})

test('a file that is not an export is refused in the dialog, naming the field', async ({ page }) => {
  await login(page, '/workflows')
  await page.getByRole('button', { name: 'Import' }).first().click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('…or paste the JSON').fill('{ "format": "auterity.workflow", "formatVersion": 7 }')
  await dialog.getByRole('button', { name: 'Import' }).click()
  await expect(dialog.getByRole('alert')).toContainText('formatVersion: must be 1 (got 7): the file comes from a newer release')
})

test('import an n8n workflow: read the report of what did not come across, then save it', async ({ page }, testInfo) => {
  const file = JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/n8n/set-if-code.json'), 'utf8'))
  file.name = uniqueName('Orders from n8n')
  file.nodes.push({ parameters: { channel: '#orders' }, name: 'Tell Slack', type: 'n8n-nodes-base.slack', typeVersion: 2.2, position: [900, 0] })
  file.connections['Tag big'] = { main: [[{ node: 'Tell Slack', type: 'main', index: 0 }]] }
  const n8nFile = testInfo.outputPath('orders.n8n.json')
  await fs.writeFile(n8nFile, JSON.stringify(file))

  await login(page, '/workflows')
  await page.getByRole('button', { name: 'Import' }).first().click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('File').setInputFiles(n8nFile)
  await dialog.getByRole('button', { name: 'Import' }).click()

  await expect(dialog.getByRole('heading', { name: 'Import from n8n' })).toBeVisible()
  await expect(dialog).toContainText('5 of 6 nodes mapped, 1 kept as placeholders. Nothing is saved yet.')
  const slack = dialog.getByTestId('n8n-report').getByRole('region', { name: 'Tell Slack' })
  await expect(slack).toContainText('slack v2.2 → placeholder (No-op)')
  await expect(slack).toContainText('parameters.channel')
  await expect(dialog.getByTestId('n8n-report')).toContainText('Carried over as they were:')
  await page.screenshot({ path: path.join(screenshots, 'n8n-import-report.png') })

  await dialog.getByRole('button', { name: 'Import as new workflow' }).click()
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/)
  await expect(page.getByTestId('workflow-name')).toHaveValue(file.name)
})
