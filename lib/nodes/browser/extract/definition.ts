import { z } from 'zod'
import { labelledEnum } from '../../params'
import type { NodeType } from '../../define'
import { pageUrl, timeoutSeconds, waitUntil } from '../params'

export const SELECTOR_TYPES = ['css', 'xpath', 'text'] as const
export type SelectorType = (typeof SELECTOR_TYPES)[number]
export const MAX_PAGES = 100

export const extractRule = z
  .object({
    key: z.string().trim().min(1, 'Name the field to write').describe('Field the value goes in, e.g. "title" or "price"'),
    selector: z
      .string()
      .trim()
      .default('')
      .describe('Where the value is, e.g. "h1", "td:nth-child(2)", "//span[@class=\'price\']" or "Add to cart". Empty: the whole page (fields mode) or the item\'s element itself (items mode)'),
    selectorType: z
      .enum(SELECTOR_TYPES).meta({ optionLabels: { css: 'CSS selector', xpath: 'XPath', text: 'Text on the page' } })
      .default('css')
      .describe('css: a CSS selector. xpath: an XPath expression (in items mode, start it with "." to stay inside the element: ".//a"). text: the smallest elements whose text contains this (case-insensitive; in "quotes": the whole text, exactly)'),
    return: labelledEnum({ text: 'Text', html: 'Inner HTML', attribute: 'Attribute', value: 'Form field value', url: 'Link URL' })
      .default('text')
      .describe('text: the text as shown. html: the inner HTML. attribute: one attribute (name it below). value: a form field\'s value. url: the link (href, else src) as an absolute URL'),
    attribute: z.string().trim().default('').describe('return attribute: the attribute to read, e.g. "href", "data-id" or "src"'),
    multiple: z.boolean().default(false).describe('On: a list with a value per matching element. Off: the first match only (null when nothing matches)'),
  })
  .superRefine((rule, ctx) => {
    if (rule.return === 'attribute' && !rule.attribute) ctx.addIssue({ code: 'custom', path: ['attribute'], message: 'Name the attribute to read' })
  })
export type ExtractRule = z.infer<typeof extractRule>

export const extractParams = z
  .object({
    url: pageUrl(),
    mode: labelledEnum({ fields: 'Fields (one item per page)', items: 'Items (one per matching element)', table: 'Table (one item per row)' })
      .default('fields')
      .describe('fields: one item per page with the rules\' fields. items: one item per element matching the item selector, with the rules applied inside it. table: one item per table row, keyed by the header cells'),
    rules: z.array(extractRule).default([]).describe('What to extract (fields and items modes): each rule writes one field'),
    itemSelector: z.string().trim().default('').describe('items mode: the elements that become items, e.g. "ul.results > li" or "//article"'),
    itemSelectorType: labelledEnum({ css: 'CSS selector', xpath: 'XPath' }).default('css').describe('items mode: whether the item selector is CSS or XPath'),
    tableSelector: z.string().trim().default('table').describe('table mode: the table(s) to read, e.g. "table#prices" (every matching table\'s rows become items)'),
    tableSelectorType: labelledEnum({ css: 'CSS selector', xpath: 'XPath' }).default('css').describe('table mode: whether the table selector is CSS or XPath'),
    headerRow: z
      .boolean()
      .default(true)
      .describe('table mode: take the keys from the header (the <thead> rows, else the first row). Off: every row is data, keys col1, col2, …'),
    nextSelector: z
      .string()
      .trim()
      .default('')
      .describe('Pagination: the "next page" link or button, e.g. "a[rel=next]" or "li.next > a" (same selector type as below). Empty: only this page'),
    nextSelectorType: z.enum(SELECTOR_TYPES).meta({ optionLabels: { css: 'CSS selector', xpath: 'XPath', text: 'Text on the page' } }).default('css').describe('Pagination: whether the next selector is CSS, XPath or text (e.g. "Next")'),
    maxPages: z.coerce
      .number()
      .int()
      .min(1, 'At least 1 page')
      .max(MAX_PAGES, `At most ${MAX_PAGES} pages`)
      .default(1)
      .describe(`Pagination: the most pages to read per input item, this one included (1: no pagination; at most ${MAX_PAGES})`),
    waitUntil: waitUntil(),
    trim: z.boolean().default(true).describe('Trim white space around extracted text and table cells'),
    keepInputFields: z
      .boolean()
      .optional()
      .describe('Keep the input item\'s fields on each output item. Unset: yes in fields mode, no in items and table modes'),
    failIfEmpty: z.boolean().default(false).describe('Fail the step when an input item yields nothing (no element, no row, every field empty). Off: nothing found is an empty result'),
    timeoutSeconds: timeoutSeconds(),
  })
  .superRefine((p, ctx) => {
    if (p.mode === 'items' && !p.itemSelector) ctx.addIssue({ code: 'custom', path: ['itemSelector'], message: 'Give the selector of the elements that become items' })
    if (p.mode === 'table' && !p.tableSelector) ctx.addIssue({ code: 'custom', path: ['tableSelector'], message: 'Give the selector of the table' })
    if (p.mode !== 'table' && p.rules.length === 0) ctx.addIssue({ code: 'custom', path: ['rules'], message: 'Add at least one rule saying what to extract' })
  })
export type ExtractParams = z.infer<typeof extractParams>

export const browserExtract: NodeType<ExtractParams, 'browser' | 'files'> = {
  type: 'browser-extract',
  version: 1,
  label: 'Extract Page Data',
  description: 'Extracts fields, lists of items or table rows from the page in the browser, following "next" links across pages.',
  icon: 'ScanText',
  category: 'browser',
  docs: {
    description: [
      'Reads data out of the page the item carries (from Open Page or an earlier browser node), or out of `url` when given. The page is read as the browser shows it, after its scripts ran.',
      '',
      '- **fields**: each rule writes one field; one output item per page.',
      '- **items**: one output item per element matching `itemSelector` (a search result, a product card), with the rules applied inside that element (a rule with an empty selector reads the element itself).',
      '- **table**: one output item per row of the table(s) matching `tableSelector`, keyed by the header cells (the `<thead>` rows, else the first row; empty or repeated headers become `col3`, `Price_2`). Cells spanning several columns or rows are repeated in each column or row they cover. With `headerRow` off the keys are `col1`, `col2`, ….',
      '',
      'Selectors are CSS (`div.price`), XPath (`//table//tr[2]/td`) or text (`Add to cart`: the smallest elements containing it, ignoring case; `"Add to cart"` in quotes: the exact text). A rule returns the element\'s text, inner HTML, an attribute, a form field\'s value or its link as an absolute URL; `multiple` makes a list of every match.',
      '',
      'Pagination: with `nextSelector` and `maxPages` over 1, after reading a page the node follows the next link (an `<a href>` is opened as a navigation, anything else is clicked and the page is awaited) and reads again, until there is no next element, it is disabled (`disabled`, `aria-disabled="true"` or a `disabled` class on it or its parent), it leads back to a page already read, or `maxPages` pages were read. Every output item says where it came from: `page` (1, 2, …) and `url`; your rules\' keys win over those names. Each page is read in one call into the browser.',
      '',
      'Every output item carries `$page` pointing at the page it was read from, so the next browser nodes continue there. Nothing found is an empty result (fields are null or empty lists) unless `failIfEmpty` is on; a selector the browser cannot parse fails with `INVALID_SELECTOR` naming the rule.',
    ].join('\n'),
    examples: [
      {
        title: 'Product names and prices across result pages',
        params: {
          mode: 'items',
          itemSelector: 'li.product',
          rules: [
            { key: 'name', selector: 'h2' },
            { key: 'price', selector: '.price' },
            { key: 'link', selector: 'a', return: 'url' },
          ],
          nextSelector: 'a[rel=next]',
          maxPages: 5,
        },
        input: [{ url: 'https://shop.example/search?q=mug', $page: { session: '…', url: 'https://shop.example/search?q=mug', browser: 'chromium' } }],
        output: {
          main: [
            { page: 1, url: 'https://shop.example/search?q=mug', name: 'Blue mug', price: '$12', link: 'https://shop.example/p/1', $page: { session: '…', url: 'https://shop.example/search?q=mug', browser: 'chromium' } },
            { page: 2, url: 'https://shop.example/search?q=mug&page=2', name: 'Red mug', price: '$14', link: 'https://shop.example/p/7', $page: { session: '…', url: 'https://shop.example/search?q=mug&page=2', browser: 'chromium' } },
          ],
        },
      },
      {
        title: 'A price table as rows',
        params: { mode: 'table', tableSelector: 'table#prices' },
        input: [{ $page: { session: '…', url: 'https://shop.example/prices', browser: 'chromium' } }],
        output: { main: [{ page: 1, url: 'https://shop.example/prices', Plan: 'Basic', Price: '$5', $page: { session: '…', url: 'https://shop.example/prices', browser: 'chromium' } }] },
      },
    ],
  },
  params: extractParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['browser', 'files'],
  load: () => import('./execute'),
}
