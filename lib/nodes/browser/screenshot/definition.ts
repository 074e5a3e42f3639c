import { z } from 'zod'
import type { NodeType } from '../../define'
import { labelledEnum, text } from '../../params'
import { pageUrl, timeoutSeconds, waitUntil } from '../params'

export const screenshotParams = z
  .object({
    url: pageUrl(),
    area: labelledEnum({ page: 'Whole page', viewport: 'Visible area', element: 'One element' })
      .default('page')
      .describe('page: the whole page, scrolled from top to bottom. viewport: what the window shows. element: one element (give its selector)'),
    selector: z
      .string()
      .trim()
      .default('')
      .describe('area element: the element to capture, a CSS selector ("#chart", "table.results"), or "xpath=//…" or "text=…"; the first match is taken'),
    waitForSelector: z.string().trim().default('').describe('Wait until an element matching this selector is visible before capturing (e.g. a chart that draws late); empty: do not'),
    format: labelledEnum({ png: 'PNG', jpeg: 'JPEG' }).default('png').describe('png: exact pixels. jpeg: smaller files for photos (set the quality)'),
    quality: z.coerce.number().int().min(1).max(100).default(80).describe('format jpeg: quality from 1 to 100'),
    fileName: text()
      .default('')
      .describe('Name of the stored file, e.g. "order-{{ $json.id }}.png"; empty: screenshot-<host>-<n>.png (n counts the step\'s items)')
      .meta({ ui: 'expression' }),
    outputField: z.string().trim().min(1, 'Name the field for the file').default('screenshot').describe('Field of the output item that holds the image file'),
    waitUntil: waitUntil(),
    timeoutSeconds: timeoutSeconds(),
  })
  .superRefine((p, ctx) => {
    if (p.area === 'element' && !p.selector) ctx.addIssue({ code: 'custom', path: ['selector'], message: 'Give the selector of the element to capture' })
  })
export type ScreenshotParams = z.infer<typeof screenshotParams>

export const browserScreenshot: NodeType<ScreenshotParams, 'browser' | 'files'> = {
  type: 'browser-screenshot',
  version: 1,
  label: 'Screenshot',
  description: 'Captures the page, the window or one element as a PNG or JPEG file.',
  icon: 'Camera',
  category: 'browser',
  docs: {
    description: [
      'Captures the page the item carries (from Open Page or an earlier browser node), or `url` when given: the whole page (`page`), the visible window (`viewport`) or the first element matching `selector` (`element`).',
      'The image is stored in the run\'s files and the output item (the input item, `$page` kept) gets the file in `outputField`: `{ $file, name, mimeType, size }`. The run view shows it inline and offers it for download; later nodes can attach it to a message or upload it.',
      'An element that is not on the page fails the step with `ELEMENT_NOT_FOUND` naming `selector`; `waitForSelector` waits (up to `timeoutSeconds`) for content that appears late.',
    ].join('\n'),
    examples: [
      {
        title: 'Capture a dashboard chart',
        params: { area: 'element', selector: '#revenue-chart' },
        input: [{ $page: { session: '…', url: 'https://dash.example/', browser: 'chromium' } }],
        output: {
          main: [
            {
              screenshot: { $file: 'f_…', name: 'screenshot-dash.example-1.png', mimeType: 'image/png', size: 48213 },
              $page: { session: '…', url: 'https://dash.example/', browser: 'chromium' },
            },
          ],
        },
      },
    ],
  },
  params: screenshotParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['browser', 'files'],
  load: () => import('./execute'),
}
