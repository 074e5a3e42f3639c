// Human labels and pickers (issue 18, points 5 and 8): the inspector shows option labels and field labels from the
// node definitions (never `gt` or `runOnceForAllItems`), a failed step's error reads as its message with the code
// as a badge (no "NodeError:"), and the AI pages pick credentials, workflows and models by name: no id is typed.
import path from 'node:path'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { api, chain, login, node, uniqueName } from './support'
import { openDesigner, selectNode } from './designer-support'

const shots = 'test-results/labels-and-pickers'
const optionTexts = (select: Locator) => select.locator('option').allTextContents()

async function runFromDesigner(page: Page) {
  await page.getByTestId('run-button').click()
  // The run dialog may be gone (runs use the draft); click it when it is there.
  await page.getByTestId('run-confirm').click({ timeout: 3000 }).catch(() => undefined)
}

test('the If and Code nodes show labels people read, not internal ids', async ({ page, request }) => {
  const graph = chain(
    node.manual(),
    node.code('code', 'return [{ n: 2 }]'),
    { id: 'if', type: 'if', name: 'If', params: { conditions: [{ left: '{{ $json.n }}', operator: 'gt', right: 1 }], combine: 'all' } },
  )
  const { id } = await api(request).createWorkflow(uniqueName('Labels e2e'), graph)
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)

  await selectNode(page, 'If')
  const operator = page.getByTestId('field-conditions.0.operator').getByRole('combobox')
  await expect(operator).toHaveValue('gt')
  await expect(operator.locator('option:checked')).toHaveText('is greater than')
  const operators = await optionTexts(operator)
  expect(operators).toContain('is not equal to')
  expect(operators.filter((t) => ['gt', 'notEquals', 'isNotEmpty', 'gte'].includes(t))).toEqual([])
  await operator.selectOption({ label: 'is not equal to' })
  await expect(operator).toHaveValue('notEquals')
  await expect(page.getByTestId('field-combine').getByRole('combobox').locator('option:checked')).toHaveText('All conditions match (AND)')
  await page.screenshot({ path: path.join(shots, 'if-operator.png') })

  await selectNode(page, 'Code')
  const mode = page.getByTestId('field-mode')
  await expect(mode.getByRole('combobox').locator('option:checked')).toHaveText('Run once for all items')
  expect((await optionTexts(mode.getByRole('combobox'))).filter((t) => t !== '—')).toEqual(['Run once for all items', 'Run once for each item'])
  await expect(page.getByTestId('field-memoryMb').locator('label').first()).toHaveText('Memory (MB)')
  await expect(page.getByTestId('field-timeoutMs').locator('label').first()).toHaveText('Timeout (ms)')
  await expect(page.getByTestId('inspector')).not.toContainText('runOnceForAllItems')
  await expect(page.getByTestId('inspector')).not.toContainText('Memory mb')
  await page.screenshot({ path: path.join(shots, 'code-labels.png') })

  await page.getByRole('tab', { name: 'Settings' }).click()
  await expect(page.getByTestId('field-backoffMs').locator('label').first()).toHaveText('Backoff (ms)')
})

test('a failed step shows its message and code, not the error class', async ({ page, request }) => {
  const client = api(request)
  const message = 'Order 42 has no customer'
  const graph = chain(node.manual(), { id: 'stop', type: 'stop-and-error', name: 'Stop', params: { message, code: 'NO_CUSTOMER' } })
  const { id } = await client.createWorkflow(uniqueName('Errors e2e'), graph)

  // In the designer's Data tab, after a run started there.
  await login(page, `/workflows/${id}`)
  await openDesigner(page, id)
  await runFromDesigner(page)
  await expect(page.getByTestId('run-status')).toContainText(/failed/i, { timeout: 60_000 })
  await selectNode(page, 'Stop')
  await page.getByRole('tab', { name: 'Data' }).click()
  const inspectorError = page.getByTestId('inspector').getByRole('alert').filter({ hasText: message })
  await expect(inspectorError).toBeVisible()
  await expect(inspectorError).not.toContainText('NodeError')
  await expect(inspectorError.getByTestId('error-code')).toHaveText('NO_CUSTOMER')
  await page.screenshot({ path: path.join(shots, 'designer-error.png') })

  // On the execution's page, in the step's data. The API keeps the raw error (its class name included).
  const { executionId } = await client.run(id)
  const done = await client.waitFor(executionId)
  expect(done.status).toBe('failed')
  const steps = await client.call<{ steps: { nodeId: string; error: { name: string; code: string } | null }[] }>('GET', `/api/executions/${executionId}`)
  expect(steps.steps.find((s) => s.nodeId === 'stop')?.error).toMatchObject({ name: 'NodeError', code: 'NO_CUSTOMER' })
  await page.goto(`/executions/${executionId}`)
  await page.locator('[data-testid="step-item"][data-node-id="stop"]').click()
  const stepError = page.getByTestId('execution-detail').getByRole('alert').filter({ hasText: message }).filter({ has: page.getByTestId('error-code') })
  await expect(stepError).toBeVisible()
  await expect(stepError).not.toContainText('NodeError')
  await expect(stepError.getByTestId('error-code')).toHaveText('NO_CUSTOMER')
})

test('AI pages pick a credential, a workflow and a model by name; no id is typed', async ({ page, request }) => {
  const client = api(request)
  const suffix = Date.now().toString(36)
  const credName = `OpenAI key ${suffix}`
  const cred = await client.call<{ id: string }>('POST', '/api/credentials', { name: credName, kind: 'openai', data: { apiKey: 'sk-e2e-not-a-key' } })
  const modelName = `picker-model-${suffix}`
  await client.call('POST', '/api/ai/models', { name: modelName, provider: 'openai', modelId: 'gpt-4o-mini', kind: 'chat' })
  // Enough workflows that the workflow picker offers its search box.
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel']
  const workflows = await Promise.all(words.map((w) => client.createWorkflow(`Budgeted ${suffix} ${w}`, chain(node.manual()))))
  const target = { id: workflows[5].id, name: `Budgeted ${suffix} foxtrot` }

  // A deployment: its credential from a list of the model's provider kind, by name.
  await login(page, '/ai/registry')
  const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Add a deployment' }) })
  await expect(form.getByLabel('Credential id')).toHaveCount(0)
  await form.getByLabel('Model', { exact: true }).selectOption({ label: modelName })
  const deployment = `picked-${suffix}`
  await form.getByLabel('Deployment name').fill(deployment)
  const credential = form.getByLabel('Credential', { exact: true })
  const search = form.getByLabel('Search: Credential')
  if (await search.count()) await search.fill(credName)
  await expect(credential.locator('option', { hasText: credName })).toHaveCount(1)
  await credential.selectOption({ label: `${credName} (OpenAI)` })
  await page.screenshot({ path: path.join(shots, 'deployment-credential.png') })
  await form.getByRole('button', { name: 'Add deployment' }).click()
  await expect(page.getByText(`↳ ${deployment}`)).toBeVisible()
  const reg = await client.call<{ models: { name: string; deployments: { name: string; credentialId: string | null }[] }[] }>('GET', '/api/ai/registry')
  expect(reg.models.find((m) => m.name === modelName)?.deployments).toEqual([expect.objectContaining({ name: deployment, credentialId: cred.id })])

  // A budget for one workflow, found by typing part of its name.
  await page.goto('/ai')
  const budgetForm = page.locator('form').filter({ has: page.getByLabel('Limit in USD') })
  await expect(page.getByLabel('Workflow id (optional)')).toHaveCount(0)
  await budgetForm.getByLabel('Limit in USD').fill('12.50')
  await budgetForm.getByLabel('Search: Budget workflow').fill(`${suffix} foxt`)
  await expect(budgetForm.getByLabel('Budget workflow', { exact: true }).locator('option')).toHaveText(['Whole workspace', target.name])
  await budgetForm.getByLabel('Budget workflow', { exact: true }).selectOption({ label: target.name })
  await page.screenshot({ path: path.join(shots, 'budget-workflow.png') })
  await budgetForm.getByRole('button', { name: 'Set budget' }).click()
  const row = page.getByTestId('ai-budget').filter({ hasText: `Workflow “${target.name}”` })
  await expect(row).toBeVisible()
  const { budgets } = await client.call<{ budgets: { id: string; workflowId: string | null; limitUsd: string }[] }>('GET', '/api/ai/budgets')
  const budget = budgets.find((b) => b.workflowId === target.id)
  expect(Number(budget?.limitUsd)).toBe(12.5)
  await client.call('DELETE', `/api/ai/budgets/${budget!.id}`)

  // An LLM node's model: a picker of the registry's deployments, not a text box.
  const { id } = await client.createWorkflow(uniqueName('Model picker e2e'), chain(node.manual(), { id: 'llm', type: 'llm-chat', name: 'Ask', params: { userMessage: 'Hi' } }))
  await openDesigner(page, id)
  await selectNode(page, 'Ask')
  const model = page.getByTestId('field-model')
  await expect(model).toHaveAttribute('data-field-kind', 'aiModel')
  const modelSearch = model.getByLabel('Search: Model')
  if (await modelSearch.count()) await modelSearch.fill(deployment)
  await model.getByRole('combobox').selectOption({ label: `${deployment} — gpt-4o-mini` })
  await expect(model.getByRole('combobox')).toHaveValue(deployment)
  await page.screenshot({ path: path.join(shots, 'model-picker.png') })
})
