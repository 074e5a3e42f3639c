import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const xmlParams = z.object({
  operation: labelledEnum({ toJson: 'XML to JSON', toXml: 'JSON to XML' }).default('toJson').describe('toJson: parse XML text into an object. toXml: write an object as XML text'),
  sourceField: z.string().trim().min(1, 'Name the field to convert').default('body').describe('Field holding the XML text (toJson) or the object (toXml); "body" is where HTTP Request puts a response'),
  destination: z.string().trim().optional().describe('Field the result goes in. Empty: it replaces the source field'),
  attributes: z.boolean().default(true).describe('toJson: keep attributes as prefixed keys. toXml: write prefixed keys as attributes. Off: attributes are dropped (toJson) or written as elements (toXml)'),
  attributePrefix: z.string().min(1, 'Give a prefix, e.g. "@_"').default('@_').describe('Prefix marking an attribute key, e.g. "@_id" for id="…"'),
  textNodeName: z.string().min(1, 'Give a key, e.g. "#text"').default('#text').describe('Key of an element\'s text when it also has attributes or children'),
  alwaysArray: z.array(z.string().trim().min(1)).default([]).describe('toJson: element names that always become lists, even when there is one, e.g. ["item"]'),
  parseNumbers: z.boolean().default(false).describe('toJson: turn numeric text into numbers (off: every value stays text, so "007" keeps its zeros)'),
  rootName: z.string().trim().optional().describe('toXml: wrap the object in an element of this name; needed when the object has several keys or is a list'),
  format: z.boolean().default(false).describe('toXml: indent the XML'),
  maxDepth: z.number().int().min(1).max(1000).default(100).describe('Deepest element nesting accepted; a deeper document or object fails the step'),
  maxInputMb: z.number().positive().max(50).default(5).describe('toJson: largest XML accepted per item, in megabytes; a larger one fails the step'),
})
export type XmlParams = z.infer<typeof xmlParams>

const feed = '<?xml version="1.0"?><orders><order id="7"><sku>A-1</sku><qty>2</qty></order></orders>'

export const xmlNode: NodeType<XmlParams> = {
  type: 'xml',
  version: 1,
  label: 'XML',
  description: 'Converts XML text to JSON and JSON to XML text.',
  icon: 'FileCode',
  category: 'data',
  docs: {
    description: 'Converts between XML text and objects with fast-xml-parser. **toJson** parses the XML in `sourceField` (default `body`) and puts the object in `destination` (default: replacing the text). Attributes become keys starting with `attributePrefix` (`@_`), an element with attributes or children keeps its text under `textNodeName` (`#text`), repeated elements become lists, and `alwaysArray` names the ones that must always be lists. Values stay text unless `parseNumbers` is on. The XML declaration and processing instructions are left out. **toXml** writes the object in `sourceField` as XML text, wrapped in `rootName` if given.\n\nMalformed XML fails the step with INVALID_XML and its line and column. Entities declared in a DOCTYPE are expanded once and within limits (at most 100 entities, 1,000 expansions, 100,000 characters): entities that refer to other entities are left unexpanded, so a "billion laughs" document cannot blow up, and one that goes over the limits fails with XML_ENTITY_LIMIT. Nesting deeper than `maxDepth` (100) fails with XML_TOO_DEEP, and XML larger than `maxInputMb` (5 MB) with INPUT_TOO_LARGE. Works page by page.',
    examples: [
      {
        title: 'Parse an XML response',
        params: { alwaysArray: ['order'] },
        input: [{ status: 200, body: feed }],
        output: { main: [{ status: 200, body: { orders: { order: [{ '@_id': '7', sku: 'A-1', qty: '2' }] } } }] },
      },
      {
        title: 'Write an order as XML',
        params: { operation: 'toXml', sourceField: 'order', destination: 'xml', rootName: 'order' },
        input: [{ order: { '@_id': 7, sku: 'A-1', note: 'fragile & heavy' } }],
        output: { main: [{ order: { '@_id': 7, sku: 'A-1', note: 'fragile & heavy' }, xml: '<order id="7"><sku>A-1</sku><note>fragile &amp; heavy</note></order>' }] },
      },
    ],
  },
  params: xmlParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
