// Saving in the designer: Ctrl/Cmd+S saves a version at once (no dialog, an optional message in the toolbar); edits
// are autosaved as the workflow's draft (no version), shown again after a reload; Run runs the graph on screen
// without making versions; restoring a version asks first; leaving through the studio's own links with changes the
// server does not have yet asks "Leave without saving?".
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { api, chain, login, node, uniqueName } from './support'
import { openDesigner, selectNode } from './designer-support'

const shots = path.join('test-results', 'designer-saving')

interface Detail {
  currentVersion: number
  version: { graph: { nodes: Array<{ name: string }> } }
  draft: { graph: { nodes: Array<{ name: string }> }; baseVersion: number } | null
}

type Request = Parameters<typeof api>[0]
const prepare = (name: string) => chain(node.manual(), node.set('s', { word: 'hi' }, name))

/** A new workflow (Manual trigger → "Prepare"), open in the designer; `then` saves more versions first. */
async function openNew(page: Page, request: Request, name: string, then?: (id: string) => Promise<unknown>) {
  const wf = await api(request).createWorkflow(uniqueName(name), prepare('Prepare'))
  await then?.(wf.id)
  await login(page, `/workflows/${wf.id}`)
  await openDesigner(page, wf.id)
  return wf
}

const versionCount = async (request: Request, id: string) =>
  (await api(request).call<{ versions: unknown[] }>('GET', `/api/workflows/${id}/versions`)).versions.length

async function rename(page: Page, from: string, to: string) {
  await selectNode(page, from)
  await page.getByTestId('node-name-input').fill(to)
}

/** Native dialogs (window.confirm, alert) must never appear: the studio asks with its own. */
function noNativeDialogs(page: Page) {
  const seen: string[] = []
  page.on('dialog', (d) => {
    seen.push(d.message())
    void d.dismiss()
  })
  return seen
}

test('Ctrl+S saves a version at once, without a dialog, with the toolbar message when one is typed', async ({ page, request }) => {
  const wf = await openNew(page, request, 'Save shortcut')
  const native = noNativeDialogs(page)

  await rename(page, 'Prepare', 'Prepare v2')
  await page.keyboard.press('ControlOrMeta+s')
  await expect(page.getByTestId('save-state')).toHaveText(/^v2 · saved/)
  await expect(page.locator('dialog[open]')).toHaveCount(0)

  // A message typed in the toolbar goes with the next version, and the field empties.
  await rename(page, 'Prepare v2', 'Prepare v3')
  await page.getByTestId('save-message').fill('Renamed the preparation step')
  await page.getByTestId('save-message').press('ControlOrMeta+s')
  await expect(page.getByTestId('save-state')).toHaveText(/^v3 · saved/)
  await expect(page.getByTestId('save-message')).toHaveValue('')
  await expect(page.locator('dialog[open]')).toHaveCount(0)

  await page.getByRole('button', { name: 'Versions' }).click()
  await expect(page.getByTestId('version-3')).toContainText('Renamed the preparation step')
  await expect(page.getByTestId('version-2')).toContainText('No message')
  expect(await versionCount(request, wf.id)).toBe(3)
  expect(native).toEqual([])
})

test('edits are autosaved as a draft that survives a reload, without minting versions', async ({ page, request }) => {
  const wf = await openNew(page, request, 'Draft autosave')

  await rename(page, 'Prepare', 'Prepare (draft)')
  await expect(page.getByTestId('save-state')).toHaveText(/^v1 · (unsaved changes|saving…)/)
  await expect(page.getByTestId('save-state')).toHaveText(/^v1 · draft saved · \d/, { timeout: 10_000 })
  await page.getByTestId('save-state').screenshot({ path: path.join(shots, 'draft-saved-state.png') })

  const detail = await api(request).call<Detail>('GET', `/api/workflows/${wf.id}`)
  expect(detail.currentVersion).toBe(1)
  expect(detail.draft?.graph.nodes.map((n) => n.name)).toContain('Prepare (draft)')
  expect(detail.version.graph.nodes.map((n) => n.name)).toContain('Prepare')

  await page.reload()
  await expect(page.getByTestId('designer')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('node-Prepare (draft)')).toBeVisible()
  await expect(page.getByTestId('draft-banner')).toContainText('differs from the last saved version, v1')
  await expect(page.getByTestId('save-state')).toHaveText(/^v1 · draft saved/)
  await page.screenshot({ path: path.join(shots, 'draft-reopened.png') })
  // The message field fits in the toolbar without pushing Save and Run out of a 1440 px window.
  await expect(page.getByTestId('save-message')).toBeInViewport({ ratio: 1 })
  await expect(page.getByTestId('save-button')).toBeInViewport({ ratio: 1 })
  await expect(page.getByTestId('run-button')).toBeInViewport({ ratio: 1 })
  expect(await versionCount(request, wf.id)).toBe(1)

  // Saving a version takes the draft's place.
  await page.keyboard.press('ControlOrMeta+s')
  await expect(page.getByTestId('save-state')).toHaveText(/^v2 · saved/)
  await expect(page.getByTestId('draft-banner')).toHaveCount(0)
  expect((await api(request).call<Detail>('GET', `/api/workflows/${wf.id}`)).draft).toBeNull()
})

test('Run twice runs the graph on screen and creates no version', async ({ page, request }) => {
  const wf = await openNew(page, request, 'Draft runs')
  await rename(page, 'Prepare', 'Prepare on screen')

  const runs = async () => (await api(request).call<{ executions: Array<{ id: string; versionNumber: number }> }>('GET', `/api/executions?workflowId=${wf.id}`)).executions
  for (let i = 1; i <= 2; i++) {
    await page.getByTestId('run-button').click()
    await page.getByTestId('run-confirm').click()
    await expect.poll(async () => (await runs()).length).toBe(i)
    await expect(page.getByTestId('run-status')).toContainText(/succeeded/i, { timeout: 60_000 })
    await expect(page.getByTestId('node-Prepare on screen')).toHaveAttribute('data-status', 'succeeded')
  }
  await expect(page.getByTestId('save-state')).toHaveText(/^v1 · /)
  expect(await versionCount(request, wf.id)).toBe(1)

  for (const e of await runs()) {
    expect(e.versionNumber).toBe(1)
    const run = await api(request).waitFor(e.id, ['succeeded'])
    expect(run.steps.map((s) => s.nodeName)).toContain('Prepare on screen')
  }
})

test('restoring a version asks first, and Cancel keeps everything', async ({ page, request }) => {
  const wf = await openNew(page, request, 'Restore asks', (id) => api(request).saveWorkflow(id, 1, prepare('Prepare v2')))
  const native = noNativeDialogs(page)
  await rename(page, 'Prepare v2', 'Prepare edited')

  await page.getByRole('button', { name: 'Versions' }).click()
  await page.getByTestId('version-1').getByRole('button', { name: 'Restore' }).click()
  const dialog = page.locator('dialog[open]')
  await expect(dialog).toContainText('Restore version 1?')
  await expect(dialog).toContainText('as a new version, version 3')
  await expect(page.getByTestId('restore-replaces-draft')).toBeVisible()
  await dialog.screenshot({ path: path.join(shots, 'restore-dialog.png') })
  await page.getByTestId('restore-cancel').click()
  await expect(dialog).toHaveCount(0)
  await expect(page.getByTestId('node-Prepare edited')).toBeVisible()
  await expect(page.getByTestId('save-state')).toHaveText(/^v2 · /)
  expect(await versionCount(request, wf.id)).toBe(2)

  await page.getByTestId('version-1').getByRole('button', { name: 'Restore' }).click()
  await page.getByTestId('restore-confirm').click()
  await expect(page.getByTestId('save-state')).toHaveText(/^v3 · saved/)
  await expect(page.getByTestId('node-Prepare')).toBeVisible()
  expect(await versionCount(request, wf.id)).toBe(3)
  expect(native).toEqual([])
})

test('leaving through the studio navigation with changes the server does not have asks first', async ({ page, request }) => {
  const wf = await openNew(page, request, 'Leave guard')
  const native = noNativeDialogs(page)
  const nav = page.getByRole('navigation', { name: 'Main' })

  // Nothing unsaved: links just work. Back into the designer through the studio's links (so Back below stays in the
  // page; Back to another document is the browser's beforeunload prompt).
  await nav.getByRole('link', { name: 'Executions' }).click()
  await expect(page).toHaveURL(/\/executions/)
  await nav.getByRole('link', { name: 'Workflows' }).click()
  await page.locator(`a[href="/workflows/${wf.id}"]`).first().click()
  await expect(page.getByTestId('designer')).toHaveAttribute('data-state', 'ready')

  // The autosave fails (server down): the change is only in this tab.
  let failing = true
  await page.route(`**/api/workflows/${wf.id}/draft`, (route) =>
    failing ? route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"UNAVAILABLE","message":"Down for a moment"}}' }) : route.fallback(),
  )
  await rename(page, 'Prepare', 'Not on the server')
  await expect(page.getByTestId('save-state')).toHaveText(/^v1 · draft not saved/, { timeout: 10_000 })

  // The browser's Back asks too; Stay keeps the page (and its URL).
  const dialog = page.locator('dialog[open]')
  await page.evaluate(() => window.history.back())
  await expect(dialog).toContainText('Leave without saving?')
  await page.getByTestId('leave-stay').click()
  await expect(page).toHaveURL(new RegExp(`/workflows/${wf.id}$`))
  await expect(page.getByTestId('node-Not on the server')).toBeVisible()

  // A nav link: Stay, still in the designer, with the edit.
  await nav.getByRole('link', { name: 'Executions' }).click()
  await expect(dialog).toContainText('Leave without saving?')
  await dialog.screenshot({ path: path.join(shots, 'leave-dialog.png') })
  await page.getByTestId('leave-stay').click()
  await expect(dialog).toHaveCount(0)
  await expect(page).toHaveURL(new RegExp(`/workflows/${wf.id}`))
  await expect(page.getByTestId('node-Not on the server')).toBeVisible()

  // The logo link (any next/link) asks too; Save and leave while the server still fails stays, saying so.
  await page.getByRole('link', { name: 'Auterity' }).click()
  await page.getByTestId('leave-save').click()
  await expect(dialog).toContainText('Could not save them')
  await expect(page).toHaveURL(new RegExp(`/workflows/${wf.id}`))

  // The server is back: Save and leave writes the draft, then leaves.
  failing = false
  await page.getByTestId('leave-save').click()
  await expect(page).toHaveURL(/\/workflows$/)
  await expect
    .poll(async () => (await api(request).call<Detail>('GET', `/api/workflows/${wf.id}`)).draft?.graph.nodes.map((n) => n.name) ?? [])
    .toContain('Not on the server')

  // Leave drops what the server does not have.
  await openDesigner(page, wf.id)
  failing = true
  await rename(page, 'Not on the server', 'Dropped on leaving')
  await expect(page.getByTestId('save-state')).toHaveText(/^v1 · draft not saved/, { timeout: 10_000 })
  await nav.getByRole('link', { name: 'Executions' }).click()
  await page.getByTestId('leave-discard').click()
  await expect(page).toHaveURL(/\/executions/)
  failing = false
  const detail = await api(request).call<Detail>('GET', `/api/workflows/${wf.id}`)
  expect(detail.draft?.graph.nodes.map((n) => n.name)).toContain('Not on the server')
  expect(detail.currentVersion).toBe(1)
  expect(native).toEqual([])
})
