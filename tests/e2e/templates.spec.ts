// The template gallery end to end: a workspace template published through the API is found by searching the
// gallery, opened, used with parameters (a value holding an expression is refused beside its field), and the new
// workflow runs and succeeds with the values given; a workflow is published as a template from the designer,
// appears in the gallery, and its exported file imported again becomes its version 2; a workflow made from version 1 is offered version 2 and upgraded, settling a conflict.
// Screenshots (docs/screenshots with AUTERITY_SCREENSHOTS=1, see ./screenshots.ts): templates-gallery.png, templates-use.png, templates-upgrade.png.
import path from 'node:path'
import { expect, test, type APIRequestContext } from '@playwright/test'
import { api, chain, login, node, testServerUrl, uniqueName, type GraphSpec } from './support'
import { screenshots } from './screenshots'


interface Published {
  templateId: string
  sourceId: string
}

/**
 * A workflow (manual trigger → Set fields greeting and count) published as a template whose two values are
 * parameters; `withCredential` adds an HTTP request with a bearer token after it, which becomes a credential slot.
 */
async function publishGreeter(request: APIRequestContext, name: string, opts: { category?: string; tags?: string[]; withCredential?: boolean } = {}): Promise<Published> {
  const client = api(request)
  const nodes = [node.manual(), node.set('compose', { greeting: 'Hello', count: 1 }, 'Compose')]
  if (opts.withCredential) {
    const { id: credential } = await client.call<{ id: string }>('POST', '/api/credentials', { name: uniqueName('Publisher token'), kind: 'bearer', data: { token: 'publisher-secret' } })
    nodes.push(node.http('post', `${testServerUrl()}/echo`, 'Post greeting', { method: 'POST', credential }))
  }
  const { id: sourceId } = await client.createWorkflow(`${name} (source)`, chain(...nodes))
  const { id: templateId } = await client.call<{ id: string }>('POST', '/api/templates', {
    workflowId: sourceId,
    name,
    description: 'Greets whoever you name, as many times as you say.',
    category: opts.category ?? 'productivity',
    tags: opts.tags ?? ['e2e', 'greeting'],
    parameters: [
      { name: 'greeting', label: 'Greeting', type: 'string', required: true, description: 'What the workflow says.' },
      { name: 'count', label: 'How many times', type: 'number', default: 1 },
    ],
    bindings: [
      { nodeId: 'compose', path: 'fields.0.value', param: 'greeting' },
      { nodeId: 'compose', path: 'fields.1.value', param: 'count' },
    ],
  })
  return { templateId, sourceId }
}

/** A branching workflow published as it is (no parameters): the gallery's previews draw its shape. */
async function publishBranching(request: APIRequestContext, name: string) {
  const client = api(request)
  const graph = chain(node.manual(), node.http('fetch', `${testServerUrl()}/users`, 'Fetch users'), node.code('score', 'return items.map((item) => ({ ...item, score: 1 }))', 'Score'))
  graph.nodes.push({ ...node.set('tag', { tagged: true }, 'Tag'), position: { x: 600, y: 320 } }, { ...node.set('report', { done: true }, 'Report'), position: { x: 860, y: 240 } })
  graph.edges.push({ source: 'fetch', target: 'tag' }, { source: 'score', target: 'report' }, { source: 'tag', target: 'report' })
  const { id } = await client.createWorkflow(`${name} (source)`, graph)
  await client.call('POST', '/api/templates', { workflowId: id, name, description: 'Fetches users, scores and tags them, and reports.', category: 'data', tags: ['users'], parameters: [], bindings: [] })
}

test('search the gallery, open a template, use it with parameters and run the new workflow', async ({ page, request }, testInfo) => {
  const name = uniqueName('Greeter')
  await publishGreeter(request, name, { withCredential: true })
  await publishGreeter(request, uniqueName('Other greeter'), { category: 'other' })
  await publishBranching(request, uniqueName('Score users'))

  await login(page, '/workflows')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click()
  await expect(page).toHaveURL(/\/templates$/)
  await expect(page.getByTestId('template-card').first()).toBeVisible()

  await page.getByLabel('Search templates').fill(name)
  await expect(page).toHaveURL(/q=Greeter/)
  await expect(page.getByTestId('template-card')).toHaveCount(1)
  const card = page.getByTestId('template-card')
  await expect(card).toContainText(name)
  await expect(card).toContainText('productivity')
  await expect(card.getByTestId('graph-preview')).toHaveAttribute('aria-label', 'Canvas preview: 3 steps')
  // The category filter narrows further: nothing of this name is in "other".
  await page.getByLabel('Category').selectOption('other')
  await expect(page.getByText('No template matches')).toBeVisible()
  await page.getByLabel('Category').selectOption('productivity')
  await expect(page.getByTestId('template-card')).toHaveCount(1)
  await page.getByLabel('Category').selectOption('')
  await page.getByLabel('Search templates').fill('')
  await expect.poll(() => page.getByTestId('template-card').count()).toBeGreaterThanOrEqual(2)
  await page.screenshot({ path: path.join(screenshots, 'templates-gallery.png') })
  await page.getByLabel('Search templates').fill(name)
  await expect(page.getByTestId('template-card')).toHaveCount(1)

  await page.getByRole('link', { name }).click()
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible()
  const canvas = page.getByTestId('template-canvas')
  await expect(canvas.getByTestId('node-Compose')).toBeVisible()
  await expect(canvas.getByTestId('node-Manual trigger')).toBeVisible()
  await expect(page.getByRole('region', { name: /Parameters/ })).toContainText('How many times')
  await expect(page.getByRole('region', { name: /Credentials it needs/ })).toContainText('Bearer token')
  await expect(page.getByTestId('template-versions')).toContainText('First version')
  await page.screenshot({ path: testInfo.outputPath('template-detail.png') })

  await page.getByRole('link', { name: 'Use template' }).click()
  const form = page.getByTestId('use-template-form')
  // The value the source workflow held is the parameter's default.
  await expect(form.getByLabel(/^Greeting/)).toHaveValue('Hello')
  await expect(form.getByLabel('How many times')).toHaveValue('1')
  const workflowName = uniqueName('Greets Oslo')
  await form.getByLabel('Workflow name').fill(workflowName)
  // A value that is an expression could read the run's data or credentials: refused beside its field, nothing made.
  await form.getByLabel(/^Greeting/).fill('{{ $credentials.smtp }}')
  await form.getByRole('button', { name: 'Create workflow' }).click()
  await expect(form.getByRole('alert')).toContainText('may not contain an expression')
  await expect(page).toHaveURL(/\/use/)

  await form.getByLabel(/^Greeting/).fill('Hej Oslo')
  await form.getByLabel('How many times').fill('3')
  // The template holds a slot, not the publisher's token: the picker offers this workspace's bearer tokens (the only
  // one is preselected); create another right here, and it is the one chosen.
  const slot = form.getByLabel('Credential for Post greeting')
  await expect(slot.locator('option')).toHaveCount(2)
  await form.getByRole('button', { name: 'Create one' }).click()
  const create = page.getByRole('dialog', { name: 'New credential' })
  await expect(create.getByLabel('Type')).toHaveValue('bearer')
  await expect(create.getByLabel('Type').locator('option')).toHaveCount(1)
  const tokenName = uniqueName('Oslo token')
  await create.getByLabel('Name').fill(tokenName)
  await create.getByLabel('Token').fill('oslo-secret')
  await create.getByRole('button', { name: 'Create credential' }).click()
  await expect(create).toBeHidden()
  await expect(slot.locator('option:checked')).toHaveText(`${tokenName} (Bearer token)`)
  await page.screenshot({ path: path.join(screenshots, 'templates-use.png') })
  await form.getByRole('button', { name: 'Create workflow' }).click()

  await expect(page).toHaveURL(/\/workflows\/[^/]+$/)
  await expect(page.getByTestId('designer')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('workflow-name')).toHaveValue(workflowName)
  await page.getByTestId('run-button').click()
  await page.getByTestId('run-confirm').click()
  await expect(page.getByTestId('run-status')).toContainText(/succeeded/i, { timeout: 60_000 })

  // The run's output carries the values given in the form (the number stayed a number).
  const workflowId = page.url().split('/').pop()!
  const client = api(request)
  const { executions } = await client.call<{ executions: Array<{ id: string }> }>('GET', `/api/executions?workflowId=${workflowId}`)
  const { items } = await client.call<{ items: Array<Record<string, unknown>> }>('GET', `/api/executions/${executions[0].id}/steps/compose/items`)
  expect(items[0]).toMatchObject({ greeting: 'Hej Oslo', count: 3 })
  // The request went out with the token chosen in the form.
  const sent = await client.call<{ items: Array<{ body: { headers: Record<string, string> } }> }>('GET', `/api/executions/${executions[0].id}/steps/post/items`)
  expect(sent.items[0].body.headers.authorization).toBe('Bearer oslo-secret')
})

test('publish a workflow as a template from the designer, find it in the gallery, export it and import it as a new version', async ({ page, request }) => {
  const client = api(request)
  const { id } = await client.createWorkflow(uniqueName('Users digest'), chain(node.manual(), node.http('fetch', `${testServerUrl()}/users`, 'Fetch users')))
  const templateName = uniqueName('Users digest template')

  await login(page, `/workflows/${id}`)
  await expect(page.getByTestId('designer')).toHaveAttribute('data-state', 'ready')
  await page.getByTestId('publish-template-button').click()
  const dialog = page.getByRole('dialog')
  const form = dialog.getByTestId('publish-template-form')
  await form.getByLabel('Name', { exact: true }).fill(templateName)
  await form.getByLabel('Category', { exact: true }).selectOption('devops')
  await form.getByLabel('Description', { exact: true }).fill('Fetches the users of an API.')
  await form.getByLabel('Tags', { exact: true }).fill('users, http')
  await form.getByLabel('Make Fetch users › url a parameter').check()
  await form.getByLabel('Parameter name for Fetch users › url').fill('users_url')
  await form.getByLabel('Fetch users › url is required').check()
  await form.getByRole('button', { name: 'Publish template' }).click()
  await expect(dialog.getByRole('heading', { name: 'Published' })).toBeVisible()
  await dialog.getByRole('link', { name: 'Open template' }).click()

  await expect(page.getByRole('heading', { name: templateName, level: 1 })).toBeVisible()
  await expect(page.getByRole('region', { name: /Parameters/ })).toContainText('users_url')
  await expect(page.getByRole('region', { name: /Parameters/ })).toContainText(`${testServerUrl()}/users`)

  await page.goto('/templates?source=workspace')
  await page.getByLabel('Search templates').fill(templateName)
  await expect(page.getByTestId('template-card')).toHaveCount(1)
  await expect(page.getByTestId('template-card')).toContainText('devops')
  await expect(page.getByTestId('template-card')).toContainText('#users')

  // Export it, and import the file again: the name is taken, so the dialog asks; it becomes version 2.
  await page.getByRole('link', { name: templateName }).click()
  const download = page.waitForEvent('download')
  await page.getByTestId('template-export').click()
  const file = await (await download).path()
  await page.goto('/templates')
  await page.getByRole('button', { name: 'Import template' }).click()
  const importDialog = page.getByRole('dialog')
  await importDialog.getByLabel('File').setInputFiles(file)
  await importDialog.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(importDialog.getByTestId('import-conflict')).toContainText(`a template named "${templateName}" already exists`)
  await importDialog.getByRole('button', { name: 'Add as a new version' }).click()
  await expect(page.getByRole('heading', { name: templateName, level: 1 })).toBeVisible()
  await expect(page.getByTestId('template-versions').getByRole('listitem')).toHaveCount(2)
})

test('a workflow made from version 1 is offered version 2 and upgraded, settling a conflict and filling in a new parameter', async ({ page, request }) => {
  const client = api(request)
  const name = uniqueName('Greeter upgraded')
  const { templateId, sourceId } = await publishGreeter(request, name)
  const { workflowId } = await client.call<{ workflowId: string }>('POST', `/api/templates/${encodeURIComponent(templateId)}/use`, {
    name: uniqueName('Greets Bergen'),
    params: { greeting: 'Hei Bergen', count: 2 },
    credentials: {},
  })
  // The workflow adds a field to Compose, and version 2 of the template adds another there (a conflict on its
  // fields) and two steps after it (taken as they are), one with a new required parameter.
  type Graph = { nodes: Array<{ id: string; params: Record<string, unknown> }> }
  const mine = await client.call<{ currentVersion: number; version: { graph: Graph } }>('GET', `/api/workflows/${workflowId}`)
  const graph = structuredClone(mine.version.graph)
  const composeParams = graph.nodes.find((n) => n.id === 'compose')!.params as { fields: unknown[] }
  composeParams.fields.push({ name: 'signature', value: 'Ada', type: 'auto' })
  await client.saveWorkflow(workflowId, mine.currentVersion, graph as unknown as GraphSpec)
  await client.saveWorkflow(sourceId, 1, chain(
    node.manual(),
    node.set('compose', { greeting: 'Hello', count: 1, loud: true }, 'Compose'),
    node.code('shout', 'return items.map((item) => ({ ...item, shouted: true }))', 'Shout'),
    node.set('sign', { closing: 'Bye' }, 'Sign off'),
  ))
  await client.call('POST', `/api/templates/${encodeURIComponent(templateId)}/versions`, {
    workflowId: sourceId,
    changelog: 'Shouts the greeting.',
    parameters: [
      { name: 'greeting', label: 'Greeting', type: 'string', required: true },
      { name: 'count', label: 'How many times', type: 'number', default: 1 },
      { name: 'closing', label: 'Closing words', type: 'string', description: 'How the greeting ends.' },
    ],
    bindings: [
      { nodeId: 'compose', path: 'fields.0.value', param: 'greeting' },
      { nodeId: 'compose', path: 'fields.1.value', param: 'count' },
      { nodeId: 'sign', path: 'fields.0.value', param: 'closing' },
    ],
  })

  await login(page, `/workflows/${workflowId}`)
  const banner = page.getByTestId('template-upgrade-banner')
  await expect(banner).toContainText(`Version 2 of ${name} is available`)
  await banner.getByRole('button', { name: 'Review upgrade' }).click()
  const dialog = page.getByTestId('upgrade-dialog')
  await expect(dialog).toContainText('Shouts the greeting.')
  const shout = dialog.getByTestId('upgrade-change').filter({ hasText: 'Shout' })
  await expect(shout).toContainText('added by the template')
  const compose = dialog.getByTestId('upgrade-change').filter({ hasText: 'Compose' })
  await expect(compose).toHaveAttribute('data-conflict', 'true')
  await expect(compose).toContainText('signature')
  await expect(page.getByRole('button', { name: 'Choose for 1 conflict' })).toBeDisabled()
  await page.screenshot({ path: path.join(screenshots, 'templates-upgrade.png') })
  await compose.getByLabel('Keep mine').check()
  // The new parameter has no value in this workflow yet: asked for, starting from its default.
  const inputs = dialog.getByTestId('upgrade-inputs')
  await expect(inputs.getByLabel('Closing words')).toHaveValue('Bye')
  await inputs.getByLabel('Closing words').fill('{{ $json.x }}')
  await page.getByRole('button', { name: 'Upgrade', exact: true }).click()
  await expect(inputs.getByRole('alert')).toContainText('may not contain an expression')
  await inputs.getByLabel('Closing words').fill('Ha det')
  await page.getByRole('button', { name: 'Upgrade', exact: true }).click()

  await expect(banner).toHaveCount(0)
  await expect(page.getByTestId('node-Shout')).toBeVisible()
  const after = await client.call<{ version: { graph: Graph } }>('GET', `/api/workflows/${workflowId}`)
  const upgraded = after.version.graph.nodes.find((n) => n.id === 'compose')!
  expect(upgraded.params.fields).toMatchObject([{ value: 'Hei Bergen' }, { value: 2 }, { name: 'signature', value: 'Ada' }])
  expect(after.version.graph.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['shout', 'sign']))
  expect(after.version.graph.nodes.find((n) => n.id === 'sign')!.params.fields).toMatchObject([{ name: 'closing', value: 'Ha det' }])
})
