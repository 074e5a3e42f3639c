import { z } from 'zod'
import type { NodeType } from '../../define'
import { timeoutSeconds, waitUntil } from '../params'

export const MONITOR_UNITS = ['seconds', 'minutes', 'hours'] as const
export const MONITOR_UNIT_MS: Record<(typeof MONITOR_UNITS)[number], number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000 }

/** One `ignore` line: `/regex/flags` strips matching text, anything else is a CSS selector whose elements are removed. */
export function parseIgnore(ignore: string): { patterns: RegExp[]; selectors: string[] } {
  const patterns: RegExp[] = []
  const selectors: string[] = []
  for (const raw of ignore.split('\n')) {
    const line = raw.trim()
    if (!line) continue
    const m = /^\/(.+)\/([a-z]*)$/.exec(line)
    if (m) patterns.push(new RegExp(m[1], m[2].includes('g') ? m[2] : `${m[2]}g`))
    else selectors.push(line)
  }
  return { patterns, selectors }
}

export const pageMonitorParams = z.object({
  url: z
    .string()
    .trim()
    .min(1, 'Give the address of the page to watch')
    .refine((u) => /^https?:\/\/[^\s]+$/i.test(u), 'An http:// or https:// address')
    .describe('The page to watch, http:// or https://, e.g. https://shop.example/products/42'),
  selector: z
    .string()
    .trim()
    .default('')
    .describe('Watch only the first element matching this CSS selector (e.g. "#price" or "main .news"); empty: the whole page'),
  every: z.coerce.number().int('A whole number').min(1, 'At least 1').max(100_000).default(15).describe('How many units between two checks'),
  unit: z.enum(MONITOR_UNITS).meta({ optionLabels: { seconds: 'Seconds', minutes: 'Minutes', hours: 'Hours' } }).default('minutes').describe('The unit of every'),
  ignore: z
    .string()
    .default('')
    .refine((v) => {
      try {
        parseIgnore(v)
        return true
      } catch {
        return false
      }
    }, 'A line between slashes is not a valid regular expression')
    .describe(
      'What not to compare, one per line: /regex/flags removes matching text (e.g. /\\d{1,2}:\\d{2}(:\\d{2})?/ for clock times), any other line is a CSS selector whose elements are left out (e.g. .ad, #clock)',
    )
    .meta({ ui: 'textarea' }),
  threshold: z.coerce
    .number()
    .min(0, 'At least 0')
    .max(100, 'At most 100')
    .default(1)
    .describe('Fire only when at least this percent of the text changed (changed lines\' characters over all characters, before and after); 0: any change'),
  screenshots: z.boolean().default(true).describe('Add before/after screenshots (PNG files) of the page, or of the selected element, to the item'),
  waitUntil: waitUntil(),
  timeoutSeconds: timeoutSeconds(),
})
export type PageMonitorParams = z.infer<typeof pageMonitorParams>

export const monitorIntervalMs = (p: Pick<PageMonitorParams, 'every' | 'unit'>) => p.every * MONITOR_UNIT_MS[p.unit]

const exampleShot = (id: string, name: string) => ({ $file: id, name, mimeType: 'image/png', size: 48213 })
const exampleItem = {
  url: 'https://shop.example/products/42',
  changedAt: '2026-03-30T07:15:02.310Z',
  changeRatio: 0.0625,
  diff: { added: ['Price: 17.99 €'], removed: ['Price: 19.99 €'], unified: '@@ -2,1 +2,1 @@\n-Price: 19.99 €\n+Price: 17.99 €\n' },
  before: { text: 'Mug\nPrice: 19.99 €\nIn stock', screenshot: exampleShot('f_before', 'before.png'), checkedAt: '2026-03-30T07:00:01.904Z' },
  after: { text: 'Mug\nPrice: 17.99 €\nIn stock', screenshot: exampleShot('f_after', 'after.png'), checkedAt: '2026-03-30T07:15:02.310Z' },
}

export const browserPageMonitor: NodeType<PageMonitorParams, 'browser' | 'files'> = {
  type: 'browser-page-monitor',
  version: 1,
  label: 'Page Changed',
  description: 'Starts the workflow when a web page (or a part of it) changes: checked in a real browser on an interval, with a text diff and before/after screenshots.',
  icon: 'ScanEye',
  category: 'trigger',
  docs: {
    description: [
      'While the workflow is active, a worker opens `url` every `every` `unit`s in a headless browser (Chromium), reads the',
      'visible text of the page, or of the first element matching `selector`, and compares it with the last baseline. The',
      'first check records the baseline and starts nothing. A later check whose text differs by at least `threshold`',
      'percent (the characters of the changed lines over all characters, before and after) starts one run, and its text',
      'becomes the new baseline; smaller differences start nothing and keep the old baseline, so slow drift adds up.',
      '',
      '`ignore` leaves out what changes all the time: one entry per line, `/regex/flags` strips matching text (clock',
      'times, counters), anything else is a CSS selector whose elements are removed before reading (ads, "last updated").',
      'Text is compared line by line, each line trimmed, blank lines dropped.',
      '',
      'With several workers each change starts exactly one run: a check moves the baseline on with a compare-and-swap',
      'in the same transaction that records the run. A check that fails (the site is down, the address is internal and',
      'refused by the outbound network policy, the selector matches nothing) starts nothing; its error is kept with the',
      'monitor and the next check tries again. The last 10 baselines are kept with their screenshots.',
      '',
      'Activation refuses an interval shorter than the workspace allows (`AUTERITY_PAGE_MONITOR_MIN_INTERVAL_MS`,',
      'default 60 s), naming `every`. Changing the URL, selector or ignore rules starts from a new baseline.',
      '',
      'Output item (the screenshots are files of the run; `before` is the baseline the change is measured against):',
      '',
      '```json',
      JSON.stringify(exampleItem),
      '```',
      '',
      'Run by hand (or "test this step"), the node checks the page once and returns it as `after`, with `before` null.',
    ].join('\n'),
    examples: [
      {
        title: 'A product page\'s price changed',
        params: { url: 'https://shop.example/products/42', selector: '#product', every: 15, unit: 'minutes', threshold: 1 },
        input: [exampleItem],
        output: { main: [exampleItem] },
      },
    ],
  },
  trigger: { kind: 'monitor' },
  listen: { key: (p: PageMonitorParams) => p.url },
  params: pageMonitorParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  services: ['browser', 'files'],
  load: () => import('./execute'),
}
