import { describe, expect, it } from 'vitest'
import type { WebhookResponse } from '@/lib/engine/types'
import { respondToWebhook } from '@/lib/nodes/respond-to-webhook/definition'
import { runNode } from './harness'

const items = [{ id: 1 }, { id: 2 }]
const json = 'application/json; charset=utf-8'

async function respond(params: Record<string, unknown>): Promise<WebhookResponse[]> {
  const sent: WebhookResponse[] = []
  const { output } = await runNode(respondToWebhook, { params, items, services: { respond: async (r) => void sent.push(r) } })
  expect(output.main).toEqual(items)
  return sent
}

describe('respond-to-webhook node', () => {
  it.each<[string, Record<string, unknown>, WebhookResponse]>([
    ['firstItem', {}, { status: 200, headers: { 'content-type': json }, body: { id: 1 } }],
    ['allItems', { respondWith: 'allItems', statusCode: 201 }, { status: 201, headers: { 'content-type': json }, body: items }],
    ['text', { respondWith: 'text', text: 'ok' }, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' }],
    ['json object', { respondWith: 'json', json: { done: true } }, { status: 200, headers: { 'content-type': json }, body: { done: true } }],
    ['json text', { respondWith: 'json', json: '[1,2]' }, { status: 200, headers: { 'content-type': json }, body: [1, 2] }],
    ['noData', { respondWith: 'noData', statusCode: 204 }, { status: 204, headers: {}, body: null }],
    [
      'custom headers',
      { respondWith: 'text', text: '<b/>', headers: [{ name: 'Content-Type', value: 'text/html' }, { name: 'X-Id', value: '9' }] },
      { status: 200, headers: { 'Content-Type': 'text/html', 'X-Id': '9' }, body: '<b/>' },
    ],
  ])('answers with %s', async (_name, params, expected) => {
    expect(await respond(params)).toEqual([expected])
  })

  it('marks the answer allowInline only when the node allows it', async () => {
    const [inline] = await respond({ respondWith: 'text', text: '<p/>', allowInline: true })
    expect(inline.allowInline).toBe(true)
    const [attached] = await respond({ respondWith: 'text', text: '<p/>' })
    expect(attached).not.toHaveProperty('allowInline')
  })

  it.each(['next-auth.session-token=x', '__Secure-next-auth.session-token.1=x; Path=/', ' next-auth.csrf-token=x'])(
    'refuses a Set-Cookie for the sign-in cookie %j, naming the field',
    async (value) => {
      await expect(respond({ respondWith: 'noData', headers: [{ name: 'set-cookie', value }] })).rejects.toMatchObject({ field: 'headers', code: 'INVALID_PARAM' })
    },
  )

  it('passes other cookies on', async () => {
    const [sent] = await respond({ respondWith: 'noData', headers: [{ name: 'Set-Cookie', value: 'theme=dark; Path=/' }] })
    expect(sent.headers).toEqual({ 'Set-Cookie': 'theme=dark; Path=/' })
  })

  it('names the field when json is not JSON', async () => {
    await expect(respond({ respondWith: 'json', json: '{nope' })).rejects.toMatchObject({ field: 'json' })
  })

  it('is a logged no-op when the run was not started by a webhook', async () => {
    const { output, logs } = await runNode(respondToWebhook, { items })
    expect(output.main).toEqual(items)
    expect(logs[0].msg).toMatch(/not started by a webhook/)
  })

  it.each([[99], [600]])('rejects status %i', (statusCode) => {
    expect(respondToWebhook.params.safeParse({ statusCode }).error?.issues[0].path).toEqual(['statusCode'])
  })
})
