import { z } from 'zod'
import type { NodeType } from '../define'
import { keyValueList, labelledEnum, text } from '../params'

export const respondParams = z.object({
  respondWith: labelledEnum({ firstItem: 'First item', allItems: 'All items (JSON array)', text: 'Text', json: 'JSON value', noData: 'No data (empty body)' })
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
  description: 'Answers the HTTP request that started the run (a webhook that waits for the workflow\'s answer), then passes the items on.',
  icon: 'Reply',
  category: 'core',
  docs: {
    description: [
      'Answers the HTTP request that started the run (a Webhook node whose response mode is "When the workflow answers", `lastNode`) with the first item, all items, text, JSON or an empty body, then passes the items on, so the workflow can continue after answering. In a run not started by such a webhook (manual run, schedule, "test this step") it does nothing except write a log line.',
      '',
      '`respondWith`: `firstItem` is the JSON of the first item (`{}` if none); `allItems` a JSON array; `text` the `text`',
      'param; `json` the `json` param; `noData` an empty body. `Content-Type` defaults to JSON (or `text/plain` for `text`)',
      'unless you set it in `headers`.',
      '',
      'Every webhook answer (this node\'s, the default "when finished" answer, 202s and errors) carries',
      '`Content-Security-Policy: sandbox; default-src \'none\'; img-src https: data:; style-src \'unsafe-inline\'` and',
      '`X-Content-Type-Options: nosniff`: a page a workflow answers gets an opaque origin without scripts, forms or',
      'plugins, so it cannot read the studio\'s cookies or call its API as the visitor, and browsers never guess a type.',
      'Inline styles and images still work. Active content — any type other than `text/plain`, `text/csv`,',
      '`application/json`, `application/*+json`, `application/octet-stream`, `image/png|jpeg|gif|webp|avif`, `audio/*`',
      'and `video/*` (one type: a comma-separated list counts as active) — is also sent with `Content-Disposition: attachment` (an `attachment; filename=…` you set is kept)',
      'unless `allowInline` is on. You may set any other header, except:',
      '',
      '- `Content-Security-Policy`, `Content-Security-Policy-Report-Only`, `X-Content-Type-Options`: the server\'s own;',
      '- `Content-Length`, `Transfer-Encoding`, `Connection`, `Keep-Alive`, `Upgrade`, `Trailer`: the server frames the message;',
      '- headers that act on the whole host rather than this answer: `Clear-Site-Data`, `Strict-Transport-Security`,',
      '  `Service-Worker-Allowed`, `NEL`, `Report-To`, `Reporting-Endpoints`, `Alt-Svc`, and `WWW-Authenticate` /',
      '  `Proxy-Authenticate` (a password prompt on the studio\'s host);',
      '- names that are not HTTP tokens and values with control characters.',
      '',
      'These are dropped silently. A `Set-Cookie` for one of the studio\'s sign-in cookies (see Webhook) fails the step',
      '(`INVALID_PARAM`, field `headers`) — other cookies are fine.',
      '',
      'Example: `{ "respondWith": "json", "statusCode": 201, "json": { "id": "{{ $json.id }}", "status": "created" } }`.',
    ].join('\n'),
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
