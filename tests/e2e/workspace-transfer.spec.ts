import fs from 'node:fs/promises'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { api, chain, login, node, uniqueName } from './support'
import { screenshots } from './screenshots'


test('export the workspace from Settings, import it back with a choice per name conflict, and read the outcome', async ({ page, request }, testInfo) => {
  const client = api(request)
  const credentialName = uniqueName('Digest SMTP')
  const { id: credentialId } = await client.call<{ id: string }>('POST', '/api/credentials', { name: credentialName, kind: 'smtp', data: { host: 'smtp.example.com', password: 'never-exported' } })
  const childName = uniqueName('Lookup')
  const parentName = uniqueName('Digest')
  const child = await client.createWorkflow(childName, chain({ id: 'in', type: 'execute-workflow-trigger', name: 'When called', params: {} }, node.set('found', { plan: 'pro' }, 'Found')))
  const callChild = { id: 'call', type: 'execute-workflow', name: 'Look up', params: { workflowId: child.id, version: 'current' } }
  const mail = { id: 'mail', type: 'send-email', name: 'Send digest', params: { credential: credentialId, to: 'team@example.com' }, settings: { disabled: true } }
  const parent = await client.createWorkflow(parentName, chain(node.manual(), callChild))
  await client.saveWorkflow(parent.id, 1, chain(node.manual(), callChild, mail))

  await login(page, '/settings/workspace')
  await expect(page.getByRole('heading', { name: 'Workspace', exact: true })).toBeVisible()
  const download = page.waitForEvent('download')
  await page.getByTestId('export-workspace').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/\.auterity-workspace\.json$/)
  const exported = JSON.parse(await fs.readFile(await file.path(), 'utf8'))
  expect(exported).toMatchObject({ format: 'auterity.workspace', formatVersion: 1 })
  const text = JSON.stringify(exported)
  expect(text).not.toContain(credentialId)
  expect(text).not.toContain('never-exported')
  const mine = exported.workflows.filter((w: { name: string }) => w.name === parentName || w.name === childName)
  expect(mine.map((w: { name: string; versions: unknown[] }) => [w.name, w.versions.length])).toEqual([[childName, 1], [parentName, 2]])

  // This spec's workflows only (the workspace holds every spec's), imported into the workspace they came from: both names conflict.
  const edited = testInfo.outputPath('digest.auterity-workspace.json')
  await fs.writeFile(edited, JSON.stringify({ ...exported, workflows: mine, templates: [] }))
  await page.getByLabel('Workspace file').setInputFiles(edited)
  const plan = page.getByTestId('import-plan')
  await expect(plan).toContainText('The file holds 2 workflows and 0 templates: 0 new, 2 named like one here. Nothing is saved yet.')
  await expect(page.getByTestId('conflict-row')).toHaveCount(2)
  await expect(plan.getByTestId('credential-mapping').filter({ hasText: credentialName })).toContainText('mapped')
  const importButton = page.getByRole('button', { name: 'Import', exact: true })
  await expect(importButton).toBeDisabled()
  await plan.getByLabel(`What to do with workflow ${childName}`).selectOption('skip')
  await plan.getByLabel(`What to do with workflow ${parentName}`).selectOption('rename')
  await expect(importButton).toBeEnabled()
  await page.screenshot({ path: path.join(screenshots, 'workspace-import.png'), fullPage: true })
  await importButton.click()

  const outcome = page.getByTestId('import-outcome')
  await expect(outcome).toContainText('Imported 1 workflow and 0 templates.')
  await expect(outcome.getByRole('listitem').filter({ hasText: childName })).toContainText('skipped')
  const copy = outcome.getByRole('link', { name: `${parentName} (2)` })
  await expect(copy).toBeVisible()

  // The copy keeps its history and calls the workflow that was kept (skip), with the credential mapped by name.
  const { workflows } = await client.call<{ workflows: Array<{ id: string; name: string; currentVersion: number; active: boolean }> }>('GET', '/api/workflows')
  const imported = workflows.find((w) => w.name === `${parentName} (2)`)!
  expect(imported).toMatchObject({ currentVersion: 2, active: false })
  const detail = await client.call<{ version: { graph: { nodes: Array<{ id: string; params: Record<string, unknown> }> } } }>('GET', `/api/workflows/${imported.id}`)
  expect(detail.version.graph.nodes.find((n) => n.id === 'call')!.params.workflowId).toBe(child.id)
  expect(detail.version.graph.nodes.find((n) => n.id === 'mail')!.params.credential).toBe(credentialId)
  await copy.click()
  await expect(page).toHaveURL(new RegExp(`/workflows/${imported.id}$`))
})

test('a file that is not a workspace export is refused on the page, naming the field', async ({ page }, testInfo) => {
  const wrong = testInfo.outputPath('one.auterity.json')
  await fs.writeFile(wrong, JSON.stringify({ format: 'auterity.workflow', formatVersion: 1, workflow: { name: 'x', graph: { nodes: [] } } }))
  await login(page, '/settings/workspace')
  await page.getByLabel('Workspace file').setInputFiles(wrong)
  await expect(page.getByRole('region', { name: 'Import workspace' }).getByRole('alert')).toContainText('format: must be "auterity.workspace" (got "auterity.workflow")')
  await expect(page.getByTestId('import-plan')).toHaveCount(0)
})
