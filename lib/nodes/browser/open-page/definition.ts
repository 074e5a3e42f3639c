import { z } from 'zod'
import type { NodeType } from '../../define'
import { keyValueList, text } from '../../params'
import { browserKind, timeoutSeconds, waitUntil } from '../params'

export const openPageParams = z.object({
  url: text().default('').describe('The address to open, http:// or https://, e.g. https://example.com/products or {{ $json.url }}').meta({ ui: 'expression' }),
  waitUntil: waitUntil(),
  waitForSelector: z.string().trim().default('').describe('Also wait until an element matching this CSS selector is visible (e.g. "table.results"); empty: do not'),
  browser: browserKind(),
  viewportWidth: z.coerce.number().int().min(200).max(4000).default(1280).describe('Window width in pixels'),
  viewportHeight: z.coerce.number().int().min(200).max(4000).default(800).describe('Window height in pixels'),
  userAgent: z.string().trim().default('').describe('User-Agent header to send; empty: the browser\'s own'),
  headers: keyValueList('Extra request headers for every request of the page (e.g. Accept-Language)'),
  includeHtml: z.boolean().default(false).describe('Add the page\'s HTML to each item as `html` (up to 5 MB)'),
  timeoutSeconds: timeoutSeconds(),
})
export type OpenPageParams = z.infer<typeof openPageParams>

export const browserOpenPage: NodeType<OpenPageParams, 'browser' | 'files'> = {
  type: 'browser-open-page',
  version: 1,
  label: 'Open Page',
  description: 'Opens a web page in a real browser (Chromium): the next browser nodes of the branch work on it.',
  icon: 'AppWindow',
  category: 'browser',
  docs: {
    description:
      'Opens `url` in a headless browser and waits until it has loaded (`waitUntil`, and `waitForSelector` when given). ' +
      'Each output item is the input item plus `url` (where the page ended up, after redirects), `status` (the HTTP status), `title` and `$page`, the handle the next browser nodes ' +
      '(Extract, Screenshot, Fill Form, Run Steps) use to work on the same page. The page stays open until the run ends; cookies and storage belong to the run alone. ' +
      'With several input items, one page visits each item\'s URL in turn, and the nodes after it return to each item\'s URL as they work on it. ' +
      'Only http:// and https:// addresses open, and every request the page makes (redirects, images, scripts, form posts) is held to the outbound network policy: internal addresses are refused as for HTTP Request. ' +
      'A page that does not load within `timeoutSeconds` fails the step (retryable); so does a crashed browser, which the worker replaces.',
    examples: [
      {
        title: 'Open a product page',
        params: { url: 'https://shop.example/products/42' },
        input: [{}],
        output: { main: [{ url: 'https://shop.example/products/42', status: 200, title: 'Mug — Shop', $page: { session: '…', url: 'https://shop.example/products/42', browser: 'chromium' } }] },
      },
    ],
  },
  params: openPageParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['browser', 'files'],
  load: () => import('./execute'),
}
