// Loop Over Items in the designer: the edge from the loop body back into the loop node is drawn (every other cycle is
// still refused with the reason), the workflow runs, and the nodes show how many iterations they ran.
import { expect, test } from '@playwright/test'
import { api, login, node, uniqueName } from './support'
import { canvasNode, connectPorts, openDesigner, zoomToFit } from './designer-support'

test('draw the edge back into a loop node, run it and see its iterations', async ({ page, request }) => {
  const graph = {
    nodes: [
      { ...node.manual(), position: { x: 80, y: 160 } },
      { ...node.code('gen', 'return [1, 2, 3, 4, 5].map((n) => ({ n }))', 'Numbers'), position: { x: 340, y: 160 } },
      { id: 'loop', type: 'loop-over-items', name: 'Loop', params: { batchSize: 2 }, position: { x: 600, y: 160 } },
      { ...node.set('tag', { seen: true }, 'Tag'), position: { x: 860, y: 320 } },
    ],
    edges: [{ source: 'trigger', target: 'gen' }, { source: 'gen', target: 'loop' }, { source: 'loop', sourcePort: 'loop', target: 'tag' }],
    notes: [],
  }
  const { id } = await api(request).createWorkflow(uniqueName('Designer loop'), graph)
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)
  await zoomToFit(page)

  // A cycle that does not close through the loop node is refused, with the reason.
  await connectPorts(page, 'Tag', 'main', 'Numbers')
  await expect(page.getByText(/Connection refused: .*cycle/)).toBeVisible()
  await expect(page.locator('.react-flow__edge')).toHaveCount(3)
  // The end of the loop body back into the loop node is drawn.
  await connectPorts(page, 'Tag', 'main', 'Loop')
  await expect(page.locator('.react-flow__edge')).toHaveCount(4)

  // Run (the graph on screen, as a draft: no version is made): 5 items in batches of 2 are 3 iterations.
  await page.getByTestId('run-button').click()
  await page.getByTestId('run-confirm').click()
  await expect(page.getByTestId('save-state')).toHaveText(/^v1 · /)
  await expect(page.getByTestId('run-status')).toContainText(/succeeded/i, { timeout: 60_000 })
  await expect(canvasNode(page, 'Loop').getByTestId('node-run')).toContainText('succeeded · 3 iterations')
  await expect(canvasNode(page, 'Tag').getByTestId('node-run')).toContainText('succeeded · 3 iterations')
})
