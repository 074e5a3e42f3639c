// The designer end to end: build a workflow from an empty canvas, edit params (with an expression), save, run
// and watch every node settle, open a node's output; undo/redo; copy/paste; conflicting saves from two browsers.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { api, login, testServerUrl, uniqueName } from './support'
import { addFromPalette, canvasNode, connectPorts, moveNode, openDesigner, selectNode, startAlphaBeta, zoomToFit } from './designer-support'
import { screenshots } from './screenshots'

test.describe.configure({ mode: 'serial' })

test('build, save, run and inspect a workflow from an empty canvas', async ({ page, request }) => {
  const { id } = await api(request).createWorkflow(uniqueName('Designer e2e'), { nodes: [], edges: [], notes: [] })
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)

  // Manual trigger → HTTP request → Code → If → (true) Set fields, (false) Set fields 2. Clicking a palette entry
  // adds the node after the selected one and connects them.
  await addFromPalette(page, 'manual-trigger')
  await addFromPalette(page, 'http-request')
  await addFromPalette(page, 'code')
  await addFromPalette(page, 'if')
  await addFromPalette(page, 'set')

  // The second Set hangs off the If's false output: added unconnected, then wired by dragging between ports.
  await page.getByRole('button', { name: 'Close inspector' }).click()
  await addFromPalette(page, 'set')
  await zoomToFit(page)
  await expect(page.locator('.react-flow__edge')).toHaveCount(4)
  await connectPorts(page, 'If', 'false', 'Set fields 2')
  await expect(page.locator('.react-flow__edge')).toHaveCount(5)
  await page.getByRole('button', { name: 'Auto-layout' }).click()

  // Validation problems show on the node and its field; Run lists them instead of starting.
  await selectNode(page, 'HTTP request')
  await expect(page.getByTestId('field-url').getByTestId('field-problem')).toBeVisible()
  await expect(page.getByTestId('node-HTTP request').locator('..').getByTestId('node-problems')).toBeVisible()
  await page.getByTestId('run-button').click()
  await expect(page.getByTestId('run-problems')).toContainText('HTTP request')
  await page.getByRole('button', { name: 'OK', exact: true }).click()

  // HTTP request: the URL of the local test server. Code: one item per user from the response body.
  await page.getByTestId('field-url').getByRole('textbox').fill(`${testServerUrl()}/users`)
  await selectNode(page, 'Code')
  await page.getByTestId('code-editor').fill('return items[0].body.map((user) => ({ ...user, tagged: true }))')

  // Save with a message and run once, so later fields can autocomplete from real outputs.
  await page.getByTestId('save-message').fill('First version from the designer')
  await page.getByTestId('save-button').click()
  await expect(page.getByTestId('save-state')).toHaveText(/v2 · saved/)
  await page.getByTestId('run-button').click()
  await page.getByTestId('run-confirm').click()
  await expect(page.getByTestId('run-status')).toContainText(/succeeded/i, { timeout: 60_000 })

  // If: score > 50, the field picked from the autocomplete of the Code node's output.
  await selectNode(page, 'If')
  await page.getByRole('button', { name: 'Add condition' }).click()
  const leftField = page.getByTestId('field-conditions.0.left')
  await leftField.getByTestId('mode-expression').click()
  const left = leftField.getByTestId('expression-input')
  await expect(left).toBeFocused()
  await page.keyboard.type('{{$json.sc')
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('score')
  await page.keyboard.press('Enter')
  await expect(left).toHaveText('{{ $json.score }}')
  await expect(leftField.getByTestId('expression-preview')).toContainText('92')
  await page.getByTestId('field-conditions.0.operator').getByRole('combobox').selectOption({ label: 'is greater than' })
  await page.getByTestId('field-conditions.0.right').getByRole('textbox').fill('50')

  // Set on the true branch: a field computed by an expression, previewed for the first item.
  await selectNode(page, 'Set fields')
  await page.getByRole('button', { name: 'Add field' }).click()
  await page.getByTestId('field-fields.0.name').getByRole('textbox').fill('greeting')
  // Typing `{{ }}` into the fixed value switches the field to an expression.
  await page.getByTestId('field-fields.0.value').getByRole('textbox').fill('Hello {{ $json.name }}')
  await expect(page.getByTestId('field-fields.0.value').getByTestId('expression-preview')).toContainText('Hello Ada Lovelace')

  // Run again (the graph on screen runs as a draft: no version is made) and watch every node turn green or skipped.
  await page.getByTestId('run-button').click()
  await page.getByTestId('run-confirm').click()
  await expect(page.getByTestId('save-state')).toHaveText(/^v2 · /)
  await expect(page.getByTestId('run-status')).toContainText(/succeeded/i, { timeout: 60_000 })
  for (const name of ['Manual trigger', 'HTTP request', 'Code', 'If', 'Set fields', 'Set fields 2']) {
    await expect(page.getByTestId(`node-${name}`)).toHaveAttribute('data-status', /succeeded|skipped/)
  }
  await expect(page.getByTestId('edge-count').first()).toBeVisible()
  await selectNode(page, 'Set fields')
  await page.getByRole('tab', { name: 'Data' }).click()
  await expect(page.getByTestId('node-output')).toContainText('Hello Ada Lovelace')

  // "Test step": the Code node alone, with the input it had in the last execution.
  await selectNode(page, 'Code')
  await page.getByRole('tab', { name: 'Data' }).click()
  await page.getByRole('button', { name: 'Test step' }).click()
  await expect(page.getByTestId('test-step-result')).toContainText(/succeeded/i)
  await expect(page.getByTestId('test-step-result')).toContainText('Grace Hopper')
})

test('live state while a run is in progress (screenshot)', async ({ page, request }) => {
  const graph = {
    nodes: [
      { id: 't', type: 'manual-trigger', name: 'Manual trigger', params: {}, position: { x: 0, y: 120 } },
      { id: 'h', type: 'http-request', name: 'Fetch users', params: { method: 'GET', url: `${testServerUrl()}/users` }, position: { x: 280, y: 120 } },
      { id: 'c', type: 'code', name: 'One item per user', params: { source: 'return items[0].body' }, position: { x: 560, y: 120 } },
      { id: 's', type: 'http-request', name: 'Slow enrichment', params: { method: 'GET', url: `${testServerUrl()}/slow?ms=6000` }, position: { x: 840, y: 120 } },
      { id: 'f', type: 'set', name: 'Tag', params: { fields: [{ name: 'done', value: true, type: 'auto' }], keepOtherFields: true }, position: { x: 1120, y: 120 } },
    ],
    edges: [{ source: 't', target: 'h' }, { source: 'h', target: 'c' }, { source: 'c', target: 's' }, { source: 's', target: 'f' }],
    notes: [{ id: 'note', text: 'Enrich every user, then tag them', position: { x: 0, y: 0 }, width: 260, height: 80 }],
  }
  const { id } = await api(request).createWorkflow(uniqueName('Designer live run'), graph)
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)
  await page.getByTestId('run-button').click()
  await page.getByTestId('run-confirm').click()
  await expect(page.getByTestId('node-Slow enrichment')).toHaveAttribute('data-status', 'running', { timeout: 30_000 })
  await expect(page.getByTestId('node-One item per user')).toHaveAttribute('data-status', 'succeeded')
  await expect(page.getByTestId('node-Tag')).toHaveAttribute('data-status', 'queued')
  await page.screenshot({ path: path.join(screenshots, 'designer.png') })
  await expect(page.getByTestId('node-Tag')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 })
})

test('undo/redo, refused connections, copy/paste between workflows', async ({ page, request }) => {
  const client = api(request)
  const graph = startAlphaBeta()
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
  await zoomToFit(page)
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
  await alice.getByTestId('save-message').fill('Alice renames')
  await alice.getByTestId('save-button').click()
  await expect(alice.getByTestId('save-state')).toHaveText(/v2 · saved/)

  // Bob, still on version 1, adds a node and saves: conflict.
  await bob.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } })
  await addFromPalette(bob, 'code')
  await bob.getByTestId('save-button').click()
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
  await expect(alice.getByTestId('conflict-dialog')).toBeVisible()
  await alice.getByTestId('conflict-reload').click()
  await expect(alice.getByTestId('node-Code')).toBeVisible()
  await expect(alice.getByTestId('save-state')).toHaveText(/v3 · saved/)
})

test('version history: compare two versions, open one read-only, restore it', async ({ page, request }) => {
  const client = api(request)
  const v1 = {
    nodes: [
      { id: 't', type: 'manual-trigger', name: 'Start', params: {}, position: { x: 0, y: 100 } },
      { id: 'a', type: 'set', name: 'Prepare', params: { fields: [], keepOtherFields: true }, position: { x: 280, y: 100 } },
    ],
    edges: [{ source: 't', target: 'a' }],
    notes: [],
  }
  const { id } = await client.createWorkflow(uniqueName('Designer versions'), v1)
  const v2 = {
    ...v1,
    nodes: [
      v1.nodes[0],
      { ...v1.nodes[1], params: { fields: [], keepOtherFields: false } },
      { id: 'c', type: 'code', name: 'Transform', params: { source: 'return items' }, position: { x: 560, y: 100 } },
    ],
    edges: [...v1.edges, { source: 'a', target: 'c' }],
  }
  await client.call('PUT', `/api/workflows/${id}`, { baseVersion: 1, graph: v2, message: 'Add a transform' })
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)

  await page.getByRole('button', { name: 'Versions' }).click()
  const panel = page.getByTestId('versions-panel')
  await panel.getByLabel('Pick version 1 to compare').check()
  await panel.getByLabel('Pick version 2 to compare').check()
  await panel.getByRole('button', { name: 'Compare' }).click()
  const diff = page.getByTestId('diff-view')
  await expect(diff).toContainText('Transform')
  await expect(diff).toContainText('Prepare: keepOtherFields')
  await expect(diff).toContainText('Prepare → Transform')
  await page.keyboard.press('Escape')

  // Open version 1 read-only, then go back to the draft.
  await page.getByTestId('version-1').getByRole('button', { name: 'Open' }).click()
  await expect(page.getByTestId('readonly-banner')).toContainText('Viewing version 1')
  await expect(page.getByTestId('node-Transform')).toHaveCount(0)
  await page.getByRole('button', { name: 'Back to draft' }).click()
  await expect(page.getByTestId('node-Transform')).toBeVisible()

  // Restore version 1 (asked first): a new version 3 with version 1's graph.
  await page.getByTestId('version-1').getByRole('button', { name: 'Restore' }).click()
  await page.getByTestId('restore-confirm').click()
  await expect(page.getByTestId('save-state')).toHaveText(/v3 · saved/)
  await expect(page.getByTestId('node-Transform')).toHaveCount(0)
  const latest = await client.call<{ currentVersion: number; version: { message: string } }>('GET', `/api/workflows/${id}`)
  expect(latest.currentVersion).toBe(3)
  expect(latest.version.message).toBe('Restored version 1')
})
