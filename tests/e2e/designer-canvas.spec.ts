// Canvas gestures the main designer spec does not cover: Shift-drag box selection, Tab quick-add after the
// selected node, and a sticky note written on the canvas and kept by a save.
import { expect, test } from '@playwright/test'
import { api, login, uniqueName } from './support'
import { canvasNode, mouseDrag, openDesigner, selectNode, startAlphaBeta, zoomToFit } from './designer-support'

test('box selection, quick-add with Tab, and a sticky note that survives a save', async ({ page, request }) => {
  const { id } = await api(request).createWorkflow(uniqueName('Designer canvas'), startAlphaBeta())
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)

  // Shift-drag a box around Alpha and Beta (not Start): both are selected, and Delete removes exactly them.
  const alpha = (await canvasNode(page, 'Alpha').boundingBox())!
  const beta = (await canvasNode(page, 'Beta').boundingBox())!
  await page.keyboard.down('Shift')
  await mouseDrag(page, { x: alpha.x - 20, y: Math.min(alpha.y, beta.y) - 30 }, { x: beta.x + beta.width + 20, y: Math.max(alpha.y + alpha.height, beta.y + beta.height) + 30 }, 15)
  await page.keyboard.up('Shift')
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(2)
  await expect(canvasNode(page, 'Start')).not.toHaveClass(/selected/)
  await page.keyboard.press('Delete')
  await expect(page.getByTestId('node-Alpha')).toHaveCount(0)
  await expect(page.getByTestId('node-Beta')).toHaveCount(0)
  await expect(page.getByTestId('node-Start')).toBeVisible()
  await page.keyboard.press('ControlOrMeta+z')
  await expect(page.getByTestId('node-Beta')).toBeVisible()
  await expect(page.locator('.react-flow__edge')).toHaveCount(2)

  // Tab opens quick-add; the chosen type is added after the selected node and connected to it.
  await selectNode(page, 'Beta')
  await page.locator('.react-flow__pane').hover({ position: { x: 40, y: 40 } })
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('quick-add-input')).toBeFocused()
  await page.getByTestId('quick-add-input').fill('code')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('quick-add-input')).toBeHidden()
  await expect(page.getByTestId('node-Code')).toBeVisible()
  await zoomToFit(page) // edges off screen are not rendered
  await expect(page.locator('.react-flow__edge')).toHaveCount(3)

  // A sticky note: add it, write in it, save; it is there after a reload.
  await page.getByRole('button', { name: 'Add sticky note' }).click()
  const note = page.getByTestId('sticky-note')
  await expect(note).toBeVisible()
  await note.dblclick()
  await note.locator('textarea').fill('Ask finance before changing the mapping')
  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } })
  await expect(note).toContainText('Ask finance before changing the mapping')
  await expect(page.getByTestId('save-state')).toContainText('unsaved')
  await page.getByTestId('save-message').fill('Quick-added a Code node and a note')
  await page.getByTestId('save-button').click()
  await expect(page.getByTestId('save-state')).toHaveText(/v2 · saved/)
  await page.reload()
  await expect(page.getByTestId('designer')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('sticky-note')).toContainText('Ask finance before changing the mapping')
  await expect(page.getByTestId('node-Code')).toBeVisible()
})
