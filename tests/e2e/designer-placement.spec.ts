// Where new nodes land: never on top of another node, a "+" on output ports (adds on that branch) and on edges
// (inserts into it), and a view that follows the new node without losing the trigger. Positions are read from the
// DOM: the nodes' bounding boxes and the canvas' rectangle.
import path from 'node:path'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { api, login, uniqueName } from './support'
import { addFromPalette, canvasNode, openDesigner, startAlphaBeta } from './designer-support'
import { screenshots } from './screenshots'

type Box = { x: number; y: number; width: number; height: number }

const box = async (l: Locator): Promise<Box> => (await l.boundingBox())!
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
const within = (inner: Box, outer: Box) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height

/** Every step node's box on screen, after the viewport animation settled. */
async function nodeBoxes(page: Page): Promise<Box[]> {
  await page.waitForTimeout(350)
  return Promise.all((await page.locator('.react-flow__node-step').all()).map(box))
}

const viewportTransform = (page: Page) => page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform)

async function pickInQuickAdd(page: Page, query: string) {
  await expect(page.getByTestId('quick-add-input')).toBeFocused()
  await page.getByTestId('quick-add-input').fill(query)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('quick-add-input')).toBeHidden()
}

/** The node quick-add just added, once it shows, and its id. */
async function added(page: Page, name: string) {
  const node = canvasNode(page, name)
  await expect(node).toBeVisible()
  return { node, id: await node.getAttribute('data-id') }
}

const edge = (page: Page, from: string, to: string) => page.getByTestId(`rf__edge-${from}->${to}`)

test('nodes added from the palette never overlap, and a visible one does not move the view', async ({ page, request }) => {
  const { id } = await api(request).createWorkflow(uniqueName('Placement palette'), startAlphaBeta())
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } })

  // Nothing selected: each click aims at the middle of the view, where the first one lands; the others find room.
  const before = await viewportTransform(page)
  await addFromPalette(page, 'set')
  await expect(page.locator('.react-flow__node-step')).toHaveCount(4)
  await page.waitForTimeout(350)
  expect(await viewportTransform(page)).toBe(before)
  for (let i = 0; i < 4; i++) {
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } })
    await addFromPalette(page, 'set')
  }
  await expect(page.locator('.react-flow__node-step')).toHaveCount(8)
  await page.getByRole('button', { name: 'Zoom to fit' }).click()
  const boxes = await nodeBoxes(page)
  expect(boxes).toHaveLength(8)
  for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlap(a, b), JSON.stringify([a, b])).toBe(false)
})

test('"+" on the If node\'s false port adds the next node on that branch', async ({ page, request }) => {
  const graph = {
    nodes: [
      { id: 't', type: 'manual-trigger', name: 'Start', params: {}, position: { x: 80, y: 200 } },
      { id: 'i', type: 'if', name: 'Check', params: {}, position: { x: 400, y: 200 } },
    ],
    edges: [{ source: 't', target: 'i' }],
    notes: [],
  }
  const { id } = await api(request).createWorkflow(uniqueName('Placement port'), graph)
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)

  const check = canvasNode(page, 'Check')
  await expect(check.getByTestId('port-add-true')).toBeVisible()
  await check.getByTestId('port-add-false').click()
  await expect(page.getByRole('dialog')).toContainText('after "Check" (False)')
  await pickInQuickAdd(page, 'Set fields')

  const { node: first, id: firstId } = await added(page, 'Set fields')
  await expect(edge(page, 'i:false', `${firstId}:main`)).toHaveCount(1)
  await expect(page.locator('.react-flow__edge')).toHaveCount(2)
  await page.waitForTimeout(350)
  const [c, s] = [await box(check), await box(first)]
  expect(s.x).toBeGreaterThan(c.x + c.width)
  expect(s.y + s.height / 2).toBeGreaterThan(c.y + c.height / 2) // the false branch fans out below

  // The port is connected now: it keeps a "+" (another branch), which adds below the first node on it.
  await check.getByTestId('port-add-false').click()
  await pickInQuickAdd(page, 'Set fields')
  const second = await added(page, 'Set fields 2')
  await expect(edge(page, 'i:false', `${second.id}:main`)).toHaveCount(1)
  await page.waitForTimeout(350)
  expect((await box(second.node)).y).toBeGreaterThanOrEqual((await box(first)).y + (await box(first)).height)
  await page.screenshot({ path: path.join(screenshots, 'placement-branch.png') })

  // A version opened read-only shows no "+".
  await page.getByRole('button', { name: 'Versions' }).click()
  await page.getByTestId('version-1').getByRole('button', { name: 'Open' }).click()
  await expect(page.getByTestId('readonly-banner')).toBeVisible()
  await expect(check).toBeVisible()
  await expect(page.locator('[data-testid^="port-add-"]')).toHaveCount(0)
  await page.locator('.react-flow__edge').first().hover()
  await expect(page.getByTestId('edge-add')).toHaveCount(0)
})

test('"+" on an edge inserts a node between the two, making room', async ({ page, request }) => {
  const { id } = await api(request).createWorkflow(uniqueName('Placement insert'), startAlphaBeta())
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)

  // A straight edge's box is 0 px high (Playwright calls it invisible): hover its middle, between the two ports.
  const from = await box(canvasNode(page, 'Alpha').locator('.react-flow__handle.source'))
  const to = await box(canvasNode(page, 'Beta').locator('.react-flow__handle.target'))
  await page.mouse.move((from.x + to.x + to.width) / 2, (from.y + from.height / 2 + to.y + to.height / 2) / 2)
  await page.getByTestId('edge-add').click()
  await expect(page.getByRole('dialog')).toContainText('between "Alpha" and "Beta"')
  await pickInQuickAdd(page, 'code')

  const { node: code, id: codeId } = await added(page, 'Code')
  await expect(edge(page, 'a:main', `${codeId}:main`)).toHaveCount(1)
  await expect(edge(page, `${codeId}:main`, 'b:main')).toHaveCount(1)
  await expect(edge(page, 'a:main', 'b:main')).toHaveCount(0)
  await page.getByRole('button', { name: 'Zoom to fit' }).click() // Beta moved right, off screen (not rendered)
  await page.waitForTimeout(350)
  const [alpha, mid, beta] = [await box(canvasNode(page, 'Alpha')), await box(code), await box(canvasNode(page, 'Beta'))]
  expect(mid.x).toBeGreaterThan(alpha.x + alpha.width)
  expect(beta.x).toBeGreaterThan(mid.x + mid.width)
  expect(Math.abs(mid.y - beta.y)).toBeLessThan(10)

  // One addition, one undo step: the edge comes back and Beta returns to its place.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } })
  await page.keyboard.press('ControlOrMeta+z')
  await expect(page.getByTestId('node-Code')).toHaveCount(0)
  await expect(edge(page, 'a:main', 'b:main')).toHaveCount(1)
})

test('adding nodes far to the right keeps the trigger in view', async ({ page, request }) => {
  const { id } = await api(request).createWorkflow(uniqueName('Placement follow'), startAlphaBeta())
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)

  // Each palette click adds after the selected node (the last one added) and connects it: a chain growing right.
  await canvasNode(page, 'Beta').click()
  const canvas = await box(page.getByTestId('canvas'))
  for (let i = 0; i < 8; i++) {
    await addFromPalette(page, 'set')
    const name = i === 0 ? 'Set fields' : `Set fields ${i + 1}`
    await expect(page.getByTestId(`node-${name}`)).toBeVisible()
    await page.waitForTimeout(350)
    expect(within(await box(canvasNode(page, name)), canvas), `${name} is on screen`).toBe(true)
    expect(within(await box(canvasNode(page, 'Start')), canvas), `Start is on screen after ${name}`).toBe(true)
  }
  await expect(page.locator('.react-flow__edge')).toHaveCount(10)
  await page.screenshot({ path: path.join(screenshots, 'placement-follow.png') })
})
