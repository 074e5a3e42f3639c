// Expressions and code in the inspector: fields start empty with a Fixed | Expression toggle; the CodeMirror
// expression editor completes variables and fields (from the last run, or from the node type's declared output when
// nothing ran), accepts a suggestion with Enter and otherwise adds no newline, previews the value and marks broken
// expressions in words; the Code editor highlights, completes and lints; a fixed URL like `htp//x` gets a problem.
import path from 'node:path'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { api, login, uniqueName } from './support'
import { openDesigner, selectNode, zoomToFit } from './designer-support'
import { screenshots } from './screenshots'

test.describe.configure({ mode: 'serial' })

const PEOPLE = 'return [{ name: "Ada Lovelace", score: 92, address: { city: "London" } }, { name: "Alan Turing", score: 40, address: { city: "Wilmslow" } }]'

const at = (x: number) => ({ x, y: 160 })
const runGraph = {
  nodes: [
    { id: 't', type: 'manual-trigger', name: 'Start', params: {}, position: at(80) },
    { id: 'c', type: 'code', name: 'People', params: { source: PEOPLE, mode: 'runOnceForAllItems' }, position: at(340) },
    { id: 'i', type: 'if', name: 'Check', params: { conditions: [], combine: 'all' }, position: at(600) },
  ],
  edges: [{ source: 't', target: 'c' }, { source: 'c', target: 'i' }],
  notes: [],
}

const suggestions = (page: Page) => page.locator('.cm-tooltip-autocomplete')

/** Selects a node that may lie beyond the canvas the inspector leaves (off-screen nodes are not rendered). */
async function selectAfterFit(page: Page, name: string) {
  await page.getByRole('button', { name: 'Close inspector' }).click()
  await zoomToFit(page)
  await selectNode(page, name)
}

async function addCondition(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Add condition' }).click()
  return page.getByTestId('field-conditions.0.left')
}

test('a new field starts empty, switches to an expression and completes fields from the last run', async ({ page, request }) => {
  const { id } = await api(request).createWorkflow(uniqueName('Expressions run'), runGraph)
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)
  await page.getByTestId('run-button').click()
  await page.getByTestId('run-confirm').click()
  await expect(page.getByTestId('run-status')).toContainText(/succeeded/i, { timeout: 60_000 })

  await selectNode(page, 'Check')
  const left = await addCondition(page)
  // Fixed by default, and empty: no `{{  }}` seed.
  await expect(left).toHaveAttribute('data-mode', 'fixed')
  await expect(left.getByRole('textbox')).toHaveValue('')
  await left.getByTestId('mode-expression').click()
  await expect(left).toHaveAttribute('data-mode', 'expression')
  const editor = left.getByTestId('expression-input')
  await expect(editor).toBeFocused()
  // Empty: only the placeholder shows.
  await expect(left.locator('.cm-placeholder')).toBeVisible()

  // `{{` closes itself with the cursor inside; `$` lists the engine's variables; `$json.` the Code node's fields.
  await page.keyboard.type('{{')
  await expect(editor).toHaveText('{{  }}')
  await page.keyboard.type('$')
  await expect(suggestions(page)).toContainText('$json')
  await expect(suggestions(page)).toContainText('$node')
  await page.keyboard.type('json.')
  await expect(suggestions(page)).toContainText('score')
  await expect(suggestions(page)).toContainText('address')
  await page.keyboard.type('sc')
  await page.keyboard.press('Enter')
  await expect(editor).toHaveText('{{ $json.score }}')
  await expect(suggestions(page)).toHaveCount(0)
  // With no suggestion open, Enter adds no newline.
  await page.keyboard.press('End')
  await page.keyboard.press('Enter')
  await expect(editor).toHaveText('{{ $json.score }}')
  await expect(editor.locator('.cm-line')).toHaveCount(1)
  await expect(left.getByTestId('expression-preview')).toContainText('92')
  // The `{{ }}` parts are highlighted apart from plain text.
  await expect(left.locator('.cm-expr-brace')).toHaveCount(2)

  // $node[" lists the nodes upstream, then their fields.
  await editor.fill('{{ $node["')
  await page.keyboard.press('Control+Space')
  await expect(suggestions(page)).toContainText('People')
  await suggestions(page).getByText('People', { exact: true }).click()
  await page.keyboard.type('.json.addr')
  await expect(suggestions(page)).toContainText('address')
  await page.keyboard.press('Enter')
  await page.keyboard.type('.ci')
  await expect(suggestions(page)).toContainText('city')
  await page.keyboard.press('Enter')
  await page.keyboard.type(' }}')
  await expect(editor).toHaveText('{{ $node["People"].json.address.city }}')
  await expect(left.getByTestId('expression-preview')).toContainText('London')
  await expect(left.getByTestId('expression-problems')).toHaveCount(0)

  // Broken expressions are marked in the editor and written out in words.
  await editor.fill('{{ $json.score + }}')
  await expect(left.getByTestId('expression-problems')).toContainText('Syntax error')
  await expect(left.locator('.cm-lintRange-error')).toHaveCount(1)
  await editor.fill('{{ $json.score')
  await expect(left.getByTestId('expression-problems')).toContainText('“{{” is not closed')
  await editor.fill('{{ json.score }}')
  await expect(left.getByTestId('expression-problems')).toContainText('Unknown name json (did you mean $json?)')
  await editor.fill('{{ $json.score }}')
  await expect(left.getByTestId('expression-problems')).toHaveCount(0)
  await page.getByTestId('inspector').screenshot({ path: path.join(screenshots, 'expression-editor.png') })

  // Back to Fixed keeps the value the expression shows for the first item.
  await left.getByTestId('mode-fixed').click()
  await expect(left).toHaveAttribute('data-mode', 'fixed')
  await expect(left.getByRole('textbox')).toHaveValue('92')
})

test('suggestions from the declared output shape when nothing has run, and a word when nothing is known', async ({ page, request }) => {
  const graph = {
    nodes: [
      { id: 'w', type: 'webhook-trigger', name: 'Order hook', params: { path: `orders-${Date.now().toString(36)}` }, position: at(80) },
      { id: 'i', type: 'if', name: 'Check', params: { conditions: [], combine: 'all' }, position: at(340) },
      { id: 'c', type: 'code', name: 'Shape', params: { source: 'return items', mode: 'runOnceForAllItems' }, position: at(600) },
      { id: 'j', type: 'if', name: 'After code', params: { conditions: [], combine: 'all' }, position: at(860) },
    ],
    edges: [{ source: 'w', target: 'i' }, { source: 'i', target: 'c', sourcePort: 'true' }, { source: 'c', target: 'j' }],
    notes: [],
  }
  const { id } = await api(request).createWorkflow(uniqueName('Expressions declared'), graph)
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)

  await selectNode(page, 'Check')
  const left = await addCondition(page)
  await left.getByTestId('mode-expression').click()
  await expect(left.getByTestId('expression-input')).toBeFocused()
  await page.keyboard.type('{{$json.')
  await expect(suggestions(page)).toContainText('body')
  await expect(suggestions(page)).toContainText('headers')
  await suggestions(page).getByText('query', { exact: true }).click()
  await expect(left.getByTestId('expression-input')).toHaveText('{{ $json.query }}')
  await expect(left.getByTestId('expression-preview')).toContainText('example item')

  // The Code node has not run and declares no output: no fields, and the editor says why.
  await selectAfterFit(page, 'After code')
  const after = await addCondition(page)
  await after.getByTestId('mode-expression').click()
  await expect(after.getByTestId('expression-no-sample')).toContainText('Run the previous node to see its fields')
  await expect(after.getByTestId('expression-input')).toBeFocused()
  await page.keyboard.type('{{$json.')
  await expect(after.getByTestId('expression-hint')).toHaveText('Run the previous node to see its fields')
  await expect(suggestions(page)).toHaveCount(0)
})

test('the Code editor highlights, completes and lints; a bad fixed URL is a problem in words', async ({ page, request }) => {
  const graph = {
    ...runGraph,
    nodes: [...runGraph.nodes, { id: 'h', type: 'http-request', name: 'Call', params: { method: 'GET', url: 'https://example.com' }, position: at(860) }],
    edges: [...runGraph.edges, { source: 'i', target: 'h', sourcePort: 'true' }],
  }
  const { id } = await api(request).createWorkflow(uniqueName('Expressions code'), graph)
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)

  await selectNode(page, 'People')
  const source = page.getByTestId('field-source')
  const code = source.getByTestId('code-editor')
  await expect(source.locator('.cm-editor')).toBeVisible()
  await expect(source.locator('.cm-lineNumbers')).toBeVisible()
  // Highlighting: keywords, strings and numbers are wrapped in styled spans; the keyword takes the accent colour.
  await expect.poll(() => code.locator('.cm-line span').count()).toBeGreaterThan(3)
  const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim())
  const keywordColor = await code.locator('.cm-line span', { hasText: /^return$/ }).first().evaluate((el) => getComputedStyle(el).color)
  expect(keywordColor).toBe(await page.evaluate((c) => { const d = document.createElement('i'); d.style.color = c; document.body.append(d); const v = getComputedStyle(d).color; d.remove(); return v }, accent))

  await code.fill('return ite')
  await page.keyboard.press('End')
  await page.keyboard.press('Control+Space')
  await expect(suggestions(page)).toContainText('items')
  // The code editor keeps CodeMirror's 75 ms before a fresh list takes Enter (there Enter also means a new line).
  await page.waitForTimeout(150)
  await page.keyboard.press('Enter')
  await expect(code).toHaveText('return items')

  // Per-item mode: `$json` instead of `items`.
  await page.getByTestId('field-mode').getByRole('combobox').selectOption('runOnceForEachItem')
  await code.fill('return { ...$js')
  await page.keyboard.press('End')
  await page.keyboard.press('Control+Space')
  await expect(suggestions(page)).toContainText('$json')
  await expect(suggestions(page)).not.toContainText('items')
  await page.keyboard.press('Escape')

  // A syntax error is marked inline (range and gutter) with words in the tooltip.
  await code.fill('return items.map((x) => {\n  x.a = \n})')
  await expect(source.locator('.cm-lintRange-error').first()).toBeVisible()
  await expect(source.locator('.cm-lint-marker-error')).toHaveCount(1)
  await source.locator('.cm-lint-marker-error').hover()
  await expect(page.locator('.cm-tooltip-lint')).toContainText('Syntax error')
  await page.getByTestId('inspector').screenshot({ path: path.join(screenshots, 'code-editor.png') })
  // Dark mode: the editor follows the studio's tokens.
  const gutter = source.locator('.cm-gutters')
  const lightGutter = await gutter.evaluate((el) => getComputedStyle(el).backgroundColor)
  await page.evaluate(() => document.documentElement.classList.add('dark'))
  await expect.poll(() => gutter.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(lightGutter)
  await page.getByTestId('inspector').screenshot({ path: path.join(screenshots, 'code-editor-dark.png') })
  await page.evaluate(() => document.documentElement.classList.remove('dark'))

  // HTTP request: `htp//x` as a fixed URL is a problem named after the field.
  await selectAfterFit(page, 'Call')
  const url = page.getByTestId('field-url')
  await url.getByRole('textbox').fill('htp//x')
  await url.getByRole('textbox').blur()
  await expect(url.getByTestId('field-problem')).toContainText('URL is not a full URL: “htp//x”')
  // An expression URL waits for the run.
  await url.getByRole('textbox').fill('{{ $json.link }}')
  await expect(url.getByTestId('field-problem')).toHaveCount(0)
})
