// Converted n8n expressions evaluated by our engine (isolated-vm sandbox) give n8n's values.
import { afterAll, expect, it } from 'vitest'
import { evaluateTemplate, type ExpressionData } from '@/lib/engine/expressions'
import { createSandbox } from '@/lib/sandbox/isolate'
import { convertN8nString } from '@/lib/templates/n8n/expressions'

const sandbox = createSandbox({ poolSize: 1, timeoutMs: 500 })
afterAll(() => sandbox.dispose())

const orders = [{ id: 1, total: 10 }, { id: 2, total: 25 }, { id: 3, total: 40 }]
const data: ExpressionData = {
  item: orders[1],
  itemIndex: 1,
  inputItems: () => orders,
  trigger: async () => orders[0],
  nodeOutput: async (name) => {
    if (name === 'Orders') return { json: orders[0], items: orders }
    if (name === 'Webhook') return { json: { body: { email: 'a@b.c' } }, items: [{ body: { email: 'a@b.c' } }] }
    throw new Error(`unknown ${name}`)
  },
  allNodeOutputs: async () => ({}),
  execution: { id: 'ex1', workflowId: 'wf1' },
  sandbox,
}

const evaluate = async (n8n: string) => {
  const { value, problems } = convertN8nString(n8n, (n) => n)
  expect(problems).toEqual([])
  return evaluateTemplate(value, data)
}

it.each([
  ['={{ $json.total * 2 }}', 50],
  ['={{ $input.item.json.id }}', 2],
  ['={{ $input.first().json.id }}', 1],
  ['={{ $input.last().json.total }}', 40],
  ['={{ $input.all().map(i => i.json.total).reduce((a, b) => a + b, 0) }}', 75],
  ["={{ $('Orders').item.json.total }}", 25],
  ["={{ $('Orders').first().json.id }}", 1],
  ["={{ $('Orders').last().json.id }}", 3],
  ["={{ $('Orders').all().length }}", 3],
  ["={{ $items('Orders')[2].json.total }}", 40],
  ['={{ $node["Orders"].json.total }}', 10],
  ["={{ $('Webhook').item.json.body.email }}", 'a@b.c'],
  ['=Order {{ $json.id }} of {{ $input.all().length }}', 'Order 2 of 3'],
  ['={{ $execution.id }}', 'ex1'],
])('%s → %j', async (n8n, expected) => {
  expect(await evaluate(n8n)).toEqual(expected)
})

it('$now, $today and their conversions give the current time as ISO text and numbers', async () => {
  const before = Date.now()
  const now = (await evaluate('={{ $now }}')) as string
  expect(Date.parse(now)).toBeGreaterThanOrEqual(before - 1000)
  const today = (await evaluate('={{ $today }}')) as string
  expect(today).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/)
  expect(Date.parse(now) - Date.parse(today)).toBeGreaterThanOrEqual(-1000)
  expect(Date.parse(now) - Date.parse(today)).toBeLessThan(86_400_000 + 1000)
  expect(await evaluate('={{ $now.toISODate() }}')).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  expect(Math.abs(((await evaluate('={{ $now.toMillis() }}')) as number) - Date.parse(now))).toBeLessThan(5000)
})
