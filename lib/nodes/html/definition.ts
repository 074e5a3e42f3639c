import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const htmlRule = z
  .object({
    key: z.string().trim().min(1, 'Name the field to write').describe('Field the value goes in, e.g. "title" or "product.price"'),
    selector: z
      .string()
      .trim()
      .default('')
      .describe('CSS selector, e.g. "h1", "a.next", "td:nth-child(2)". Empty: the whole document (extract) or the split element itself (split)'),
    return: labelledEnum({ text: 'Text', html: 'HTML', attribute: 'Attribute', value: 'Form field value' })
      .default('text')
      .describe('text: the text content. html: the inner HTML. attribute: one attribute (name it below). value: a form field\'s value'),
    attribute: z.string().trim().optional().describe('return attribute: the attribute to read, e.g. "href" or "src"'),
    multiple: z.boolean().default(false).describe('On: a list with a value per matching element. Off: the first match only (null when nothing matches)'),
  })
  .superRefine((rule, ctx) => {
    if (rule.return === 'attribute' && !rule.attribute) ctx.addIssue({ code: 'custom', path: ['attribute'], message: 'Name the attribute to read' })
  })
export type HtmlRule = z.infer<typeof htmlRule>

export const htmlParams = z
  .object({
    operation: labelledEnum({ extract: 'Extract values', split: 'Split into items' })
      .default('extract')
      .describe('extract: add the rules\' fields to each item. split: one new item per element matching the split selector, with the rules applied inside that element'),
    sourceField: z.string().trim().min(1, 'Name the field holding the HTML').default('body').describe('Field holding the HTML text; "body" is where HTTP Request puts a response'),
    splitSelector: z.string().trim().default('').describe('split: CSS selector of the elements that become items, e.g. "ul.results > li"'),
    rules: z.array(htmlRule).default([]).describe('What to extract: each rule writes one field'),
    trim: z.boolean().default(true).describe('Trim white space around extracted text'),
    maxInputMb: z.number().positive().max(50).default(5).describe('Largest HTML accepted per item, in megabytes; a larger one fails the step'),
  })
  .superRefine((p, ctx) => {
    if (p.operation === 'split' && !p.splitSelector) ctx.addIssue({ code: 'custom', path: ['splitSelector'], message: 'Give the selector of the elements to split on' })
  })
export type HtmlParams = z.infer<typeof htmlParams>

const page = '<html><head><title>Shop</title></head><body><ul class="products"><li><a href="/p/1">Mug</a><span class="price">12</span></li><li><a href="/p/2">Cap</a><span class="price">9</span></li></ul></body></html>'

export const htmlNode: NodeType<HtmlParams> = {
  type: 'html',
  version: 1,
  label: 'HTML',
  description: 'Extracts fields from HTML with CSS selectors, or turns the elements a selector matches into items.',
  icon: 'CodeXml',
  category: 'data',
  docs: {
    description: 'Reads the HTML text in `sourceField` (default `body`, where HTTP Request puts a response) with CSS selectors. **extract** adds a field per rule to the item. **split** turns every element matching `splitSelector` into its own item holding only the rules\' fields, with each rule\'s selector applied inside that element (an empty selector means the element itself). A rule returns the text, the inner HTML, an attribute or a form field\'s value of the first match (null when nothing matches), or with `multiple` a list of every match. An item whose field is not text, HTML larger than `maxInputMb` (5 MB by default) and an invalid selector fail the step naming the field and the item. Works page by page.',
    examples: [
      {
        title: 'The title and every product name of a page',
        params: {
          rules: [
            { key: 'title', selector: 'title' },
            { key: 'products', selector: 'ul.products a', multiple: true },
          ],
        },
        input: [{ url: 'https://shop.example/', body: page }],
        output: { main: [{ url: 'https://shop.example/', body: page, title: 'Shop', products: ['Mug', 'Cap'] }] },
      },
      {
        title: 'One item per product',
        params: {
          operation: 'split',
          splitSelector: 'ul.products > li',
          rules: [
            { key: 'name', selector: 'a' },
            { key: 'link', selector: 'a', return: 'attribute', attribute: 'href' },
            { key: 'price', selector: '.price' },
          ],
        },
        input: [{ body: page }],
        output: { main: [{ name: 'Mug', link: '/p/1', price: '12' }, { name: 'Cap', link: '/p/2', price: '9' }] },
      },
    ],
  },
  params: htmlParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
