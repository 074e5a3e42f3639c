// Helpers for the designer specs: find nodes and handles on the React Flow canvas and drive them with the mouse
// (locator.dragTo does not move React Flow nodes; d3-drag needs real pointer moves).
import { expect, type Locator, type Page } from '@playwright/test'

export const canvasNode = (page: Page, name: string): Locator => page.locator('.react-flow__node').filter({ has: page.getByTestId(`node-${name}`) })

export async function openDesigner(page: Page, workflowId: string) {
  await page.goto(`/workflows/${workflowId}`)
  await expect(page.getByTestId('designer')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('save-state')).toContainText(/ · (draft )?saved/)
}

/** Drags from one point to another with intermediate moves. */
export async function mouseDrag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 12) {
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move(to.x, to.y, { steps })
  await page.mouse.up()
}

const center = async (l: Locator) => {
  const b = (await l.boundingBox())!
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 }
}

/** Connects `from`'s output port to `to`'s input port by dragging between the handles. */
export async function connectPorts(page: Page, from: string, fromPort: string, to: string, toPort = 'main') {
  const src = canvasNode(page, from).locator(`.react-flow__handle.source[data-handleid="${fromPort}"]`)
  const dst = canvasNode(page, to).locator(`.react-flow__handle.target[data-handleid="${toPort}"]`)
  await mouseDrag(page, await center(src), await center(dst), 15)
}

/** Moves a node by (dx, dy) screen pixels. */
export async function moveNode(page: Page, name: string, dx: number, dy: number) {
  const c = await center(canvasNode(page, name))
  await mouseDrag(page, c, { x: c.x + dx, y: c.y + dy })
}

export async function selectNode(page: Page, name: string) {
  await canvasNode(page, name).click()
  await expect(page.getByTestId('node-name-input')).toHaveValue(name)
}

/** Adds a node type by clicking it in the palette (connects from the selected node, if any). */
export async function addFromPalette(page: Page, type: string) {
  await page.getByTestId(`palette-${type}`).click()
}

/** Zoom to fit, then let the 200 ms viewport animation finish before anything measures positions. */
export async function zoomToFit(page: Page) {
  await page.getByRole('button', { name: 'Zoom to fit' }).click()
  await page.waitForTimeout(400)
}

/** Start → Alpha → Beta (two Set nodes) in a row: the graph the canvas-gesture specs start from. */
export function startAlphaBeta() {
  return {
    nodes: [
      { id: 't', type: 'manual-trigger', name: 'Start', params: {}, position: { x: 80, y: 200 } },
      { id: 'a', type: 'set', name: 'Alpha', params: { fields: [], keepOtherFields: true }, position: { x: 380, y: 200 } },
      { id: 'b', type: 'set', name: 'Beta', params: { fields: [], keepOtherFields: true }, position: { x: 680, y: 200 } },
    ],
    edges: [{ source: 't', target: 'a' }, { source: 'a', target: 'b' }],
    notes: [],
  }
}
