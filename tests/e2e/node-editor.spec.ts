import path from 'node:path'
import { screenshots } from './screenshots'
import { expect, test, type Locator } from '@playwright/test'
import { api, chain, login, node, testServerUrl, uniqueName } from './support'
import { canvasNode, openDesigner } from './designer-support'

// The full node editor (input | parameters | output) and pinned data: a node whose real call would fail is pinned
// with 1,000 items, a field of its output is dragged onto the next node's parameter, and a run from the designer
// uses the pinned items instead of calling the server.
const fieldValue = (field: Locator) =>
  field.evaluate((el) => (el.querySelector('textarea, input') as HTMLInputElement | null)?.value ?? el.querySelector('.cm-content')?.textContent ?? '')

test('node editor: three columns, table/JSON/schema, drag-to-map, pinned data in a designer run', async ({ page, request }) => {
  test.setTimeout(180_000)
  const client = api(request)
  // Called for real, this URL answers 500 (the run would fail): only the pinned items let the run succeed.
  const key = `pin${Date.now().toString(36)}`
  const wf = await client.createWorkflow(
    uniqueName('Node editor'),
    chain(node.manual('start', 'Start'), node.http('fetch', `${testServerUrl()}/flaky/${key}`, 'Fetch'), node.set('map', { email: '' }, 'Map')),
  )
  await login(page, `/workflows/${wf.id}`)
  await openDesigner(page, wf.id)

  // A double-click opens the editor with its three columns; Esc closes it; the inspector's button opens it again.
  await canvasNode(page, 'Fetch').dblclick()
  const editor = page.getByTestId('node-editor')
  await expect(editor).toBeVisible()
  await expect(editor.getByRole('region', { name: 'Input' })).toBeVisible()
  await expect(editor.getByTestId('node-editor-params').getByTestId('params-form')).toBeVisible()
  await expect(editor.getByRole('region', { name: 'Output' })).toBeVisible()
  await expect(editor.getByRole('region', { name: 'Output' })).toContainText('Run the workflow or test this step')
  await page.keyboard.press('Escape')
  await expect(editor).toBeHidden()
  await page.getByRole('button', { name: 'Open the node editor' }).click()
  await expect(editor).toBeVisible()

  // Pinned JSON by hand: errors in words, then 1,000 items with many columns.
  const output = editor.getByTestId('node-editor-output')
  await output.getByRole('button', { name: 'Set JSON' }).click()
  const pinBox = page.getByTestId('pin-json')
  const savePin = page.getByRole('button', { name: 'Pin these items' })
  await pinBox.fill('{oops')
  await savePin.click()
  await expect(page.getByTestId('pin-json-error')).toContainText('This is not valid JSON')
  await pinBox.fill('[1, 2]')
  await savePin.click()
  await expect(page.getByTestId('pin-json-error')).toHaveText('Item 1 is a number; every item must be an object such as {"name": "Ada"}.')
  const wide = (i: number) => Object.fromEntries(Array.from({ length: 24 }, (_, c) => [`column_${c}`, `value ${i}.${c}`]))
  const items = Array.from({ length: 1000 }, (_, i) => ({ email: `u${i}@example.test`, name: `User ${i}`, address: { city: 'London', zip: `N${i}` }, ...wide(i) }))
  await pinBox.fill(JSON.stringify(items))
  await savePin.click()
  await expect(pinBox).toBeHidden()
  await expect(output.getByTestId('pinned-notice')).toContainText('pinned (1000 items)')
  await expect(output.getByTestId('node-editor-output-count')).toHaveText('1,000 items')
  await expect(output.getByRole('navigation', { name: 'Pages' })).toContainText('1–100 of 1,000')
  await editor.getByRole('button', { name: 'Close the node editor' }).click()
  await expect(canvasNode(page, 'Fetch').getByTestId('node-pinned')).toBeVisible()
  await expect(canvasNode(page, 'Map').getByTestId('node-pinned')).toHaveCount(0)

  // The next node's input is Fetch's pinned output: table (scrolls sideways), JSON and schema.
  await canvasNode(page, 'Map').dblclick()
  const input = editor.getByTestId('node-editor-input')
  await expect(input).toContainText('From Fetch · pinned data')
  const table = input.getByTestId('items-table')
  await expect(table.locator('tbody tr')).toHaveCount(100)
  const scroller = table.locator('xpath=..')
  expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
  await input.getByRole('button', { name: 'JSON', exact: true }).click()
  await expect(input.getByTestId('json-view')).toContainText('u0@example.test')
  await input.getByRole('button', { name: 'Schema', exact: true }).click()
  const schema = input.getByTestId('schema-view')
  await expect(schema.locator('[data-schema-field="address.city"]')).toContainText('citystringLondon')
  await expect(schema.locator('[data-schema-field="email"]')).toContainText('u0@example.test')
  await input.getByRole('button', { name: 'Table', exact: true }).click()

  // Drag the email column onto the Set field's value: it becomes the expression that reads it.
  const value = editor.getByTestId('field-fields.0.value')
  await input.locator('th[data-field="email"]').dragTo(value)
  await expect.poll(() => fieldValue(value)).toBe('{{ $json.email }}')
  // A nested field from the schema view maps to its path.
  await editor.getByTestId('node-editor-params').getByRole('button', { name: /^Add / }).click()
  // The new row has no name yet: a problem until it gets one.
  await expect(page.getByTestId('problem-count')).toBeVisible()
  await input.getByRole('button', { name: 'Schema', exact: true }).click()
  const second = editor.getByTestId('field-fields.1.value')
  await schema.locator('[data-schema-field="address.city"]').dragTo(second)
  await expect.poll(() => fieldValue(second)).toBe('{{ $json.address.city }}')
  await editor.getByTestId('field-fields.1.name').locator('input').fill('city')
  await page.screenshot({ path: 'test-results/node-editor.png' })
  await page.keyboard.press('Escape')
  await expect(editor).toBeHidden()

  // A run from the designer: Fetch outputs its pinned items (no call, so no 500) and Map maps them.
  await expect(page.getByTestId('problem-count')).toHaveCount(0)
  await page.getByTestId('run-button').click()
  await page.getByTestId('run-confirm').click()
  await expect(page.getByTestId('run-status')).toContainText(/succeeded/i, { timeout: 60_000 })
  await canvasNode(page, 'Map').dblclick()
  await expect(output.getByTestId('node-editor-output-count')).toHaveText('1,000 items')
  await expect(output.getByTestId('items-table').locator('tbody tr').first()).toContainText('u0@example.test')
  await expect(output.getByTestId('items-table').locator('tbody tr').first()).toContainText('London')
  await editor.getByRole('button', { name: 'Close the node editor' }).click()
  await canvasNode(page, 'Fetch').dblclick()
  await expect(output.getByTestId('step-pinned')).toHaveText('pinned')
  await page.screenshot({ path: path.join(screenshots, 'node-editor-pinned.png') })

  // The server-side record agrees: the Fetch step is marked pinned, Map got 1,000 items.
  const runs = await client.call<{ executions: { id: string }[] }>('GET', `/api/executions?workflowId=${wf.id}`)
  const detail = await client.execution(runs.executions[0].id)
  const byNode = Object.fromEntries(detail.steps.map((s) => [s.nodeId, s]))
  expect(byNode.fetch.outputCounts).toEqual({ main: 1000 })
  expect(byNode.map.outputCounts).toEqual({ main: 1000 })

  // Unpin from the editor: the badge goes. Pin again from the last run's output (read back page by page).
  await output.getByRole('button', { name: 'Unpin' }).click()
  await expect(output.getByTestId('pinned-notice')).toHaveCount(0)
  await expect(canvasNode(page, 'Fetch').getByTestId('node-pinned')).toHaveCount(0)
  await output.getByRole('button', { name: 'Pin', exact: true }).click()
  await expect(output.getByTestId('pinned-notice')).toContainText('pinned (1000 items)')
  await editor.getByRole('button', { name: 'Close the node editor' }).click()
  await expect(canvasNode(page, 'Fetch').getByTestId('node-pinned')).toBeVisible()
})
