import { z } from 'zod'
import type { NodeType } from '../define'
import { keyValueList, text } from '../params'

export const respondParams = z.object({
  respondWith: z
    .enum(['firstItem', 'allItems', 'text', 'json', 'noData'])
    .default('firstItem')
    .describe('What the webhook caller receives: the first item, all items (JSON array), text, a JSON value, or an empty body'),
  statusCode: z.coerce.number().int().min(100).max(599).default(200).describe('HTTP status code'),
  headers: keyValueList('Response headers (the server sets its own protections; see the node reference for what it ignores)'),
  allowInline: z
    .boolean()
    .default(false)
    .describe('Let browsers display HTML, SVG, XML and other active content instead of downloading it (it stays sandboxed: no scripts)'),
  text: text().optional().describe('respondWith text: the body').meta({ ui: 'textarea' }),
  json: z.unknown().optional().describe('respondWith json: the body (an expression, an object or JSON text)').meta({ ui: 'json' }),
})
export type RespondParams = z.infer<typeof respondParams>

export const respondToWebhook: NodeType<RespondParams> = {
  type: 'respond-to-webhook',
  version: 1,
  label: 'Respond to webhook',
  description: 'Answers the HTTP request that started the run (webhook with response mode "lastNode"), then passes the items on.',
  icon: 'Reply',
  category: 'core',
  docs: {
    description: 'Answers the HTTP request that started the run (webhook in response mode "lastNode") with the first item, all items, text, JSON or an empty body, then passes the items on. Runs not started by a waiting webhook only log.',
    examples: [
      {
        title: 'Answer 201 with the first item',
        params: { respondWith: 'firstItem', statusCode: 201 },
        input: [{ id: 7, ok: true }],
        output: { main: [{ id: 7, ok: true }] },
      },
    ],
  },
  params: respondParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
