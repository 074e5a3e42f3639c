import fs from 'node:fs/promises'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { api, chain, login, node, uniqueName, type GraphNodeSpec } from './support'
import { screenshots } from './screenshots'
import { openDesigner } from './designer-support'

const webhook = (path: string): GraphNodeSpec => ({ id: 'hook', type: 'webhook-trigger', name: 'Webhook', params: { path, method: 'POST', responseMode: 'onReceived' } })
const row = (page: Page, name: string) => page.getByTestId('workflow-row').filter({ has: page.getByRole('link', { name, exact: true }) })

test('search, tags, folders and bulk actions in the workflow list', async ({ page, request }) => {
  const client = api(request)
  // One token shared by this test's workflows: other specs' workflows never match it.
  const token = uniqueName('Lst').split(' ')[1]
  const alpha = `Alpha ${token}`
  const beta = `Beta ${token}`
  const gamma = `Gamma ${token}`
  const manual = `Manual ${token}`
  const a = await client.createWorkflow(alpha, chain(webhook(`a-${token}`), node.set('s', { v: 1 })), { active: true })
  await client.createWorkflow(beta, chain(node.manual(), node.set('s', { v: 2 })))
  const g = await client.createWorkflow(gamma, chain(webhook(`g-${token}`), node.set('s', { v: 3 })), { active: true })
  await client.createWorkflow(manual, chain(node.manual(), node.set('s', { v: 4 })))

  await login(page, '/workflows')
  const search = page.getByLabel('Search workflows by name')

  // Search narrows the list (server-side, whatever the case), lives in the URL and survives a reload.
  await search.fill(token.toUpperCase())
  await expect(page).toHaveURL(new RegExp(`q=${token.toUpperCase()}`))
  await expect(page.getByTestId('workflow-row')).toHaveCount(4)
  await search.fill(`alpha ${token}`)
  await expect(page.getByTestId('workflow-row')).toHaveCount(1)
  await expect(row(page, alpha)).toBeVisible()
  await page.reload()
  await expect(page.getByLabel('Search workflows by name')).toHaveValue(`alpha ${token}`)
  await expect(page.getByTestId('workflow-row')).toHaveCount(1)

  // A tag added on the row; the tag filter shows only the workflows carrying it.
  const tag = `t-${token}`
  await row(page, alpha).getByRole('button', { name: `Add a tag to ${alpha}` }).click()
  await page.getByLabel(`New tag for ${alpha}`).fill(tag)
  await page.getByLabel(`New tag for ${alpha}`).press('Enter')
  await expect(row(page, alpha).getByRole('button', { name: tag, exact: true })).toBeVisible()
  await search.fill(token)
  await expect(page.getByTestId('workflow-row')).toHaveCount(4)
  await page.getByLabel('Filter by tag').selectOption(tag)
  await expect(page).toHaveURL(new RegExp(`tag=${tag}`))
  await expect(page.getByTestId('workflow-row')).toHaveCount(1)
  await expect(row(page, alpha)).toBeVisible()
  await page.getByRole('button', { name: 'Clear', exact: true }).click()
  await expect(page).not.toHaveURL(/tag=/)

  // A folder: make it, move a workflow in, browse it.
  const folderName = `Folder ${token}`
  await page.getByRole('button', { name: 'New folder' }).click()
  await page.getByRole('dialog').getByLabel('Folder name').fill(folderName)
  await page.getByRole('dialog').getByRole('button', { name: 'Create folder' }).click()
  const folderRow = page.getByTestId('folder-row').filter({ hasText: folderName })
  await expect(folderRow).toContainText('0 workflows')
  await page.getByRole('button', { name: `Move ${beta}` }).click()
  await page.getByRole('dialog').getByLabel('Move to').selectOption({ label: folderName })
  await page.getByRole('dialog').getByRole('button', { name: 'Move', exact: true }).click()
  await expect(row(page, beta)).toBeHidden()
  await expect(folderRow).toContainText('1 workflow')
  await folderRow.getByRole('button', { name: folderName }).click()
  await expect(page.getByTestId('current-folder')).toHaveText(folderName)
  await expect(page).toHaveURL(/folder=/)
  await expect(page.getByTestId('workflow-row')).toHaveCount(1)
  await expect(row(page, beta)).toBeVisible()
  await page.getByRole('button', { name: 'All workflows' }).click()

  // Bulk: activating a workflow with no trigger to activate says why, per workflow; the others still go live.
  await search.fill(token)
  await expect(page.getByTestId('workflow-row')).toHaveCount(4)
  await row(page, manual).getByRole('checkbox').check()
  await row(page, alpha).getByRole('checkbox').check()
  await expect(page.getByTestId('selected-count')).toHaveText('2 selected')
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Activate', exact: true }).click()
  const report = page.getByRole('dialog', { name: 'Activated 1 of 2 workflows' })
  await expect(report.getByTestId('bulk-failures')).toContainText(manual)
  await expect(report.getByTestId('bulk-failures')).toContainText('no trigger that listens')
  await report.getByRole('button', { name: 'Close' }).last().click()

  // Bulk deactivate two live workflows.
  await expect(row(page, gamma)).toContainText('Live')
  await row(page, alpha).getByRole('checkbox').check()
  await row(page, gamma).getByRole('checkbox').check()
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Deactivate', exact: true }).click()
  await expect(page.getByText('Deactivated 2 workflows')).toBeVisible()
  await expect(row(page, alpha)).toContainText('Inactive')
  await expect(row(page, gamma)).toContainText('Inactive')
  expect((await client.call<{ active: boolean }>('GET', `/api/workflows/${a.id}`)).active).toBe(false)
  expect((await client.call<{ active: boolean }>('GET', `/api/workflows/${g.id}`)).active).toBe(false)

  // Bulk export: one file holding both, each in the single export's format.
  await row(page, alpha).getByRole('checkbox').check()
  await row(page, gamma).getByRole('checkbox').check()
  await page.screenshot({ path: path.join(screenshots, 'workflow-list.png') })
  const download = page.waitForEvent('download')
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Export' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^workflows-\d{4}-\d{2}-\d{2}\.auterity\.json$/)
  const exported = JSON.parse(await fs.readFile(await file.path(), 'utf8'))
  expect(exported.format).toBe('auterity.workflows')
  expect(exported.workflows.map((w: { format: string; workflow: { name: string } }) => [w.format, w.workflow.name]).sort()).toEqual([
    ['auterity.workflow', alpha],
    ['auterity.workflow', gamma],
  ])

  // The bundle imports back through the Import dialog: each workflow comes in as a new one, listed by name.
  await page.getByRole('button', { name: 'Clear selection' }).click()
  await page.getByRole('button', { name: 'Import' }).first().click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('File').setInputFiles(await file.path())
  await dialog.getByRole('button', { name: 'Import' }).click()
  await expect(dialog.getByRole('heading', { name: 'Imported 2 of 2 workflows' })).toBeVisible()
  const imported = dialog.getByTestId('import-bundle').getByRole('link')
  await expect(imported).toHaveCount(2)
  expect((await imported.allTextContents()).sort()).toEqual([alpha, gamma])
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(page.getByTestId('workflow-row')).toHaveCount(6)
})

test('deleting a folder keeps its workflows, and bulk delete asks first naming how many', async ({ page, request }) => {
  const client = api(request)
  const token = uniqueName('Fld').split(' ')[1]
  const one = `One ${token}`
  const two = `Two ${token}`
  await client.createWorkflow(one, chain(node.manual()))
  await client.createWorkflow(two, chain(node.manual()))
  const folder = await client.call<{ id: string }>('POST', '/api/workflow-folders', { name: `Box ${token}` })
  const ids = (await client.call<{ workflows: Array<{ id: string }> }>('GET', `/api/workflows?q=${token}`)).workflows.map((w) => w.id)
  await client.call('POST', '/api/workflows/bulk', { action: 'move', ids, folderId: folder.id })

  await login(page, `/workflows?folder=${folder.id}`)
  await expect(page.getByTestId('workflow-row')).toHaveCount(2)
  await page.getByRole('button', { name: 'Delete folder' }).click()
  await expect(page.getByRole('dialog')).toContainText('Its 2 workflows move to the top level; no workflow is deleted.')
  await page.getByRole('dialog').getByRole('button', { name: 'Delete folder' }).click()
  await expect(page).not.toHaveURL(/folder=/)
  await expect(row(page, one)).toBeVisible()
  await expect(row(page, two)).toBeVisible()

  await page.getByLabel('Search workflows by name').fill(token)
  await expect(page.getByTestId('workflow-row')).toHaveCount(2)
  await page.getByLabel('Select all workflows').check()
  await expect(page.getByTestId('selected-count')).toHaveText('2 selected')
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Delete' }).click()
  const confirm = page.getByRole('dialog', { name: 'Delete 2 workflows?' })
  await expect(confirm).toBeVisible()
  await confirm.getByRole('button', { name: 'Delete 2 workflows' }).click()
  await expect(page.getByText('Deleted 2 workflows')).toBeVisible()
  await expect(page.getByTestId('workflow-row')).toHaveCount(0)
  expect((await client.call<{ workflows: unknown[] }>('GET', `/api/workflows?q=${token}`)).workflows).toEqual([])
})

test("a workflow's tags are edited from the designer's settings too, and the list filters by them", async ({ page, request }) => {
  const client = api(request)
  const token = uniqueName('Tag').split(' ')[1]
  const name = `Tagged ${token}`
  const { id } = await client.createWorkflow(name, chain(node.manual(), node.set('s', { v: 1 })))
  await login(page)
  await openDesigner(page, id)
  await page.getByTestId('settings-button').click()
  const settings = page.getByTestId('workflow-settings')
  const tag = `d-${token}`
  await settings.getByRole('button', { name: `Add a tag to ${name}` }).click()
  await settings.getByLabel(`New tag for ${name}`).fill(tag)
  await settings.getByLabel(`New tag for ${name}`).press('Enter')
  await expect(settings.getByRole('button', { name: tag, exact: true })).toBeVisible()
  // Saved at once: close without "Save settings", and the list's tag filter finds it.
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
  await page.goto(`/workflows?tag=${encodeURIComponent(tag)}`)
  await expect(page.getByTestId('workflow-row')).toHaveCount(1)
  await expect(row(page, name)).toBeVisible()
})
