// The designer end to end: build a workflow from an empty canvas, edit params (with an expression), save, run
// and watch every node settle, open a node's output; undo/redo; copy/paste; conflicting saves from two browsers.
import { expect, test } from '@playwright/test'
import { api, login, testServerUrl, uniqueName } from './support'
import { addFromPalette, canvasNode, connectPorts, moveNode, openDesigner, selectNode } from './designer-support'

test.describe.configure({ mode: 'serial' })

test('build, save, run and inspect a workflow from an empty canvas', async ({ page, request }) => {
  const { id } = await api(request).createWorkflow(uniqueName('Designer e2e'), { nodes: [], edges: [], notes: [] })
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)

  // Manual trigger → HTTP Request → Code → If → (true) Set, (false) Set. Clicking a palette entry adds the node
  // after the selected one and connects them.
  await addFromPalette(page, 'manual-trigger')
  await addFromPalette(page, 'http-request')
  await addFromPalette(page, 'code')
  await addFromPalette(page, 'if')
  await addFromPalette(page, 'set')
  await expect(page.locator('.react-flow__edge')).toHaveCount(4)

  // The second Set hangs off the If's false output: added unconnected, then wired by dragging between ports.
  await page.getByRole('button', { name: 'Close inspector' }).click()
  await addFromPalette(page, 'set')
  await expect(canvasNode(page, 'Set 2')).toBeVisible()
  await page.getByRole('button', { name: 'Auto-layout' }).click()
  await connectPorts(page, 'If', 'false', 'Set 2')
  await expect(page.locator('.react-flow__edge')).toHaveCount(5)

  // HTTP Request: the URL of the local test server.
  await selectNode(page, 'HTTP Request')
  await page.getByTestId('field-url').getByRole('textbox').fill(`${testServerUrl()}/users`)

  // Code: keep the items and tag them.
  await selectNode(page, 'Code')
  await page.getByTestId('code-editor').fill('return items.map((item) => ({ ...item, tagged: true }))')

  // If: score > 50, with an expression picked from the autocomplete.
  await selectNode(page, 'If')
  await page.getByRole('button', { name: /Add condition/i }).click()
  const left = page.getByTestId('field-left').getByTestId('expression-input')
  await left.fill('{{ $json.sc')
  await expect(page.getByTestId('expression-suggestions')).toBeVisible()
  await left.press('Enter')
  await left.pressSequentially(' }}')
  await expect(left).toHaveValue('{{ $json.score }}')
  await page.getByTestId('field-operator').getByRole('combobox').selectOption('gt')
  await page.getByTestId('field-right').getByTestId('expression-input').fill('50')

  // Set on the true branch: a field computed by an expression.
  await selectNode(page, 'Set')
  await page.getByRole('button', { name: /Add field/i }).click()
  await page.getByTestId('field-name').getByRole('textbox').fill('greeting')
  await page.getByTestId('field-value').getByTestId('expression-input').fill('Hello {{ $json.name }}')

  // Save with a message.
  await page.getByTestId('save-button').click()
  await page.getByTestId('save-message').fill('First version from the designer')
  await page.getByTestId('save-confirm').click()
  await expect(page.getByTestId('save-state')).toHaveText(/v2 · saved/)

  // Run and watch every node turn green (or skipped).
  await page.getByTestId('run-button').click()
  await page.getByTestId('run-confirm').click()
  await expect(page.getByTestId('run-status')).toContainText(/succeeded/i, { timeout: 60_000 })
  for (const name of ['Manual Trigger', 'HTTP Request', 'Code', 'If', 'Set', 'Set 2']) {
    await expect(page.getByTestId(`node-${name}`)).toHaveAttribute('data-status', /succeeded|skipped/)
  }
  await expect(page.getByTestId('edge-count').first()).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/designer.png' })

  // Open a node's output.
  await selectNode(page, 'Set')
  await page.getByRole('tab', { name: 'Data' }).click()
  await expect(page.getByTestId('node-output')).toContainText('Hello Ada Lovelace')
})

test('undo/redo, refused connections, copy/paste between workflows', async ({ page, request }) => {
  const client = api(request)
  const graph = {
    nodes: [
      { id: 't', type: 'manual-trigger', name: 'Start', params: {}, position: { x: 80, y: 200 } },
      { id: 'a', type: 'set', name: 'Alpha', params: { fields: [], keepOtherFields: true }, position: { x: 380, y: 200 } },
      { id: 'b', type: 'set', name: 'Beta', params: { fields: [], keepOtherFields: true }, position: { x: 680, y: 200 } },
    ],
    edges: [{ source: 't', target: 'a' }, { source: 'a', target: 'b' }],
    notes: [],
  }
  const first = await client.createWorkflow(uniqueName('Designer undo'), graph)
  const second = await client.createWorkflow(uniqueName('Designer paste target'), { nodes: [], edges: [], notes: [] })
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await login(page, `/workflows/${first.id}`)
  await openDesigner(page, first.id)

  // Rename, then undo and redo it (toolbar and keyboard).
  await selectNode(page, 'Beta')
  await page.getByTestId('node-name-input').fill('Gamma')
  await page.getByTestId('node-name-input').blur()
  await expect(page.getByTestId('node-Gamma')).toBeVisible()
  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } })
  await page.keyboard.press('ControlOrMeta+z')
  await expect(page.getByTestId('node-Beta')).toBeVisible()
  await page.keyboard.press('Shift+ControlOrMeta+z')
  await expect(page.getByTestId('node-Gamma')).toBeVisible()

  // Moving a node is one undo step.
  const before = await canvasNode(page, 'Alpha').boundingBox()
  await moveNode(page, 'Alpha', 0, 160)
  const moved = await canvasNode(page, 'Alpha').boundingBox()
  expect(moved!.y - before!.y).toBeGreaterThan(100)
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect.poll(async () => Math.round((await canvasNode(page, 'Alpha').boundingBox())!.y)).toBe(Math.round(before!.y))

  // A connection that would close a cycle is refused with the reason.
  await connectPorts(page, 'Gamma', 'main', 'Alpha')
  await expect(page.getByText(/Connection refused: .*cycle/)).toBeVisible()
  await expect(page.locator('.react-flow__edge')).toHaveCount(2)

  // Delete a node and undo it: its edges come back too.
  await canvasNode(page, 'Alpha').click()
  await page.keyboard.press('Delete')
  await expect(page.getByTestId('node-Alpha')).toHaveCount(0)
  await expect(page.locator('.react-flow__edge')).toHaveCount(0)
  await page.keyboard.press('ControlOrMeta+z')
  await expect(page.getByTestId('node-Alpha')).toBeVisible()
  await expect(page.locator('.react-flow__edge')).toHaveCount(2)

  // Copy two connected nodes (box selection) and paste them into the same workflow, then into another one.
  await canvasNode(page, 'Alpha').click()
  await canvasNode(page, 'Gamma').click({ modifiers: ['Shift'] })
  await page.keyboard.press('ControlOrMeta+c')
  await page.keyboard.press('ControlOrMeta+v')
  await expect(page.getByTestId('node-Alpha 2')).toBeVisible()
  await expect(page.getByTestId('node-Gamma 2')).toBeVisible()
  await expect(page.locator('.react-flow__edge')).toHaveCount(3)

  await openDesigner(page, second.id)
  await page.keyboard.press('ControlOrMeta+v')
  await expect(page.getByTestId('node-Alpha')).toBeVisible()
  await expect(page.getByTestId('node-Gamma')).toBeVisible()
  await expect(page.locator('.react-flow__edge')).toHaveCount(1)
  await expect(page.getByTestId('save-state')).toContainText('unsaved')
})

test('a conflicting save from a second browser shows what changed and never overwrites silently', async ({ browser, request }) => {
  const graph = {
    nodes: [
      { id: 't', type: 'manual-trigger', name: 'Start', params: {}, position: { x: 80, y: 200 } },
      { id: 'a', type: 'set', name: 'Shared', params: { fields: [], keepOtherFields: true }, position: { x: 380, y: 200 } },
    ],
    edges: [{ source: 't', target: 'a' }],
    notes: [],
  }
  const { id } = await api(request).createWorkflow(uniqueName('Designer conflict'), graph)
  const alice = await (await browser.newContext()).newPage()
  const bob = await (await browser.newContext()).newPage()
  for (const p of [alice, bob]) {
    await login(p, `/workflows/${id}`)
    await openDesigner(p, id)
  }

  // Alice renames the node and saves first.
  await selectNode(alice, 'Shared')
  await alice.getByTestId('node-name-input').fill('Alice was here')
  await alice.getByTestId('save-button').click()
  await alice.getByTestId('save-message').fill('Alice renames')
  await alice.getByTestId('save-confirm').click()
  await expect(alice.getByTestId('save-state')).toHaveText(/v2 · saved/)

  // Bob, still on version 1, adds a node and saves: conflict.
  await bob.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } })
  await addFromPalette(bob, 'code')
  await bob.getByTestId('save-button').click()
  await bob.getByTestId('save-confirm').click()
  const dialog = bob.getByTestId('conflict-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('Shared → Alice was here')
  await expect(dialog).toContainText('Code')

  // Bob decides to save over it, knowingly.
  await bob.getByTestId('conflict-overwrite').click()
  await expect(bob.getByTestId('save-state')).toHaveText(/v3 · saved/)
  const latest = await api(request).call<{ currentVersion: number; version: { graph: { nodes: { name: string }[] } } }>('GET', `/api/workflows/${id}`)
  expect(latest.currentVersion).toBe(3)
  expect(latest.version.graph.nodes.map((n) => n.name)).toContain('Code')

  // Alice now hits the conflict and takes Bob's version instead.
  await alice.getByTestId('node-name-input').fill('Alice again')
  await alice.getByTestId('save-button').click()
  await alice.getByTestId('save-confirm').click()
  await expect(alice.getByTestId('conflict-dialog')).toBeVisible()
  await alice.getByTestId('conflict-reload').click()
  await expect(alice.getByTestId('node-Code')).toBeVisible()
  await expect(alice.getByTestId('save-state')).toHaveText(/v3 · saved/)
})
