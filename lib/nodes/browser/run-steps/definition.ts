import { z } from 'zod'
import type { NodeType } from '../../define'
import { text } from '../../params'
import { pageUrl, timeoutSeconds } from '../params'

export const STEP_ACTIONS = [
  'click', 'dblclick', 'hover', 'type', 'fill', 'press', 'select', 'check', 'uncheck', 'wait', 'waitForSelector', 'waitForNavigation',
  'scroll', 'scrollIntoView', 'goto', 'extractText', 'download',
] as const
export type StepAction = (typeof STEP_ACTIONS)[number]

/** Actions that work on an element and need `selector`. */
export const NEEDS_SELECTOR: ReadonlySet<StepAction> = new Set(['click', 'dblclick', 'hover', 'type', 'fill', 'select', 'check', 'uncheck', 'waitForSelector', 'scrollIntoView', 'extractText', 'download'])

export const stepSchema = z.object({
  action: z
    .enum(STEP_ACTIONS).meta({ optionLabels: { click: 'Click', dblclick: 'Double-click', hover: 'Hover', type: 'Type (key by key)', fill: 'Fill', press: 'Press a key', select: 'Select an option', check: 'Check', uncheck: 'Uncheck', wait: 'Wait', waitForSelector: 'Wait for an element', waitForNavigation: 'Wait for navigation', scroll: 'Scroll', scrollIntoView: 'Scroll into view', goto: 'Go to a URL', extractText: 'Read text', download: 'Download a file' } })
    .describe(
      'What to do: click, dblclick, hover; type (key by key) or fill (at once) `value`; press a key (`value`, e.g. Enter, in `selector` or the page); select an option (`value`: its value or label); check, uncheck; ' +
        'wait `ms`; waitForSelector (visible); waitForNavigation (the page to load, at a URL matching `value` when given); scroll (`value`: pixels, "top" or "bottom"; empty: one screen down; in `selector` when given); ' +
        'scrollIntoView; goto `value` (a URL); extractText (the text of `selector` into the item field `key`); download (click `selector` and wait for the file it downloads)',
    ),
  selector: text().default('').describe('CSS selector of the element the action works on (e.g. "#tabs .pricing", "button[type=submit]")').meta({ ui: 'expression' }),
  value: text().default('').describe('The text to type or fill, the key to press, the option to select, the URL to go to, or how far to scroll').meta({ ui: 'expression' }),
  ms: z.coerce.number().int().min(0).max(600_000).default(0).describe('For wait: how long, in ms (at most the step timeout); for type: the pause between keys').meta({ title: 'Wait (ms)' }),
  key: z.string().trim().default('').describe('For extractText: the item field the text goes to'),
})
export type Step = z.infer<typeof stepSchema>

export const runStepsParams = z.object({
  url: pageUrl(),
  steps: z.array(stepSchema).default([]).describe('The actions to run on the page, in order; the first failing one fails the step, naming it (steps.<i>)'),
  timeoutSeconds: timeoutSeconds(),
})
export type RunStepsParams = z.infer<typeof runStepsParams>

export const browserRunSteps: NodeType<RunStepsParams, 'browser' | 'files'> = {
  type: 'browser-run-steps',
  version: 1,
  label: 'Run Steps',
  description: 'Runs a list of browser actions on the page: click, type, select, wait, scroll, go to, read text, download.',
  icon: 'ListChecks',
  category: 'browser',
  docs: {
    description: [
      'Runs `steps` in order on the item\'s page (or on `url` when given): click, dblclick, hover, type, fill, press, select, check, uncheck, wait, waitForSelector, waitForNavigation, scroll, scrollIntoView, goto, extractText and download. ',
      'No step runs script of yours in the page. Each action waits for its element (up to `timeoutSeconds`); a step that fails stops the node with an error naming it (`steps.<i>`, its action and selector): ',
      'ELEMENT_NOT_FOUND when nothing matches its selector, BROWSER_TIMEOUT when the element never became usable. `goto` is held to the same rules as Open Page (http and https only, the outbound policy).',
      '',
      'Output: the input item plus `url` and `title` (where the page is after the steps), one field per extractText step (`key`), `downloads` when the page downloaded files ',
      '(stored in the run\'s files, capped by the worker\'s download limit; `downloadsRefused` names those over it) and `$page` for the next browser node. ',
      'A click that starts a download is best written as a download step: it waits for the file.',
    ].join('\n'),
    examples: [
      {
        title: 'Open the pricing tab and read the price',
        params: {
          steps: [
            { action: 'click', selector: '#tab-pricing' },
            { action: 'waitForSelector', selector: '#pricing .price' },
            { action: 'extractText', selector: '#pricing .price', key: 'price' },
          ],
        },
        input: [{ $page: { session: '…', url: 'https://shop.example/products/42', browser: 'chromium' } }],
        output: { main: [{ url: 'https://shop.example/products/42', title: 'Mug — Shop', price: '€12.00', $page: { session: '…', url: 'https://shop.example/products/42', browser: 'chromium' } }] },
      },
    ],
  },
  params: runStepsParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['browser', 'files'],
  load: () => import('./execute'),
}
