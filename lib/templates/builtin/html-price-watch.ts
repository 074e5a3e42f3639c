import { edge, firstVersion, node, slot } from './build'

const tick = { timestamp: '2026-11-30T09:00:00.000Z', firedAt: '2026-11-30T09:00:00.012Z', timezone: 'UTC' }
const page = (price: string) =>
  `<html><head><title>Espresso machine X1</title></head><body><h1 class="product">Espresso machine X1</h1><span class="price">€ ${price}</span><span class="stock">In stock</span></body></html>`

export const htmlPriceWatch = firstVersion('html-price-watch', {
  name: 'Watch a product page for a price drop',
  description: 'Checks a product page every few hours, reads the name, price and stock with CSS selectors, and emails you when the price is at or below your target.',
  category: 'productivity',
  tags: ['html', 'scraping', 'http', 'email', 'schedule'],
  parameters: [
    { name: 'url', label: 'Product page', type: 'string', default: 'https://shop.example.com/espresso-x1', required: true },
    { name: 'priceSelector', label: 'Price selector', type: 'string', default: '.price', required: true },
    { name: 'target', label: 'Target price', type: 'number', default: 300, required: true },
    { name: 'to', label: 'Email me at', type: 'string', default: 'me@example.com', required: true },
  ],
  credentials: [{ ref: 'credential-1', kinds: ['smtp'], label: 'SMTP server' }],
  graph: {
    nodes: [
      node('schedule', 'schedule-trigger', 'Every 6 hours', { mode: 'interval', every: 6, unit: 'hours', timezone: 'UTC' }, 0),
      node('fetch', 'http-request', 'Fetch page', { method: 'GET', url: '{{ $param.url }}', responseFormat: 'text' }, 1),
      node('read', 'html', 'Read product', { operation: 'extract', sourceField: 'body', rules: [{ key: 'name', selector: 'h1.product' }, { key: 'priceText', selector: '{{ $param.priceSelector }}' }, { key: 'stock', selector: '.stock' }] }, 2),
      node('price', 'code', 'Parse price', {
        mode: 'runOnceForEachItem',
        source: 'const price = Number(String(item.priceText).replace(/[^0-9.,]/g, "").replace(/\\.(?=\\d{3}\\b)/g, "").replace(",", "."))\nreturn { name: item.name, stock: item.stock, price }',
      }, 3),
      node('check', 'if', 'At or below target?', { conditions: [{ left: '{{ $json.price }}', operator: 'lte', right: '{{ $param.target }}' }] }, 4),
      node('email', 'send-email', 'Email me', {
        credential: slot('credential-1'),
        to: '{{ $param.to }}',
        subject: 'Price drop: {{ $json.name }} now {{ $json.price }}',
        text: '{{ $json.name }} costs {{ $json.price }} ({{ $json.stock }}): {{ $param.url }}',
      }, 5),
    ],
    edges: [edge('schedule', 'fetch'), edge('fetch', 'read'), edge('read', 'price'), edge('price', 'check'), edge('check', 'email', 'true')],
  },
  testCases: [
    {
      name: 'a price under the target sends an email',
      input: [tick],
      recorded: {
        'Fetch page': [{ status: 200, headers: { 'content-type': 'text/html' }, body: page('279,90') }],
        'Email me': [{ name: 'Espresso machine X1', stock: 'In stock', price: 279.9, email: { messageId: '<p1@example.com>', accepted: ['me@example.com'], rejected: [] } }],
      },
      expect: [{ node: 'At or below target?', port: 'true', equals: [{ name: 'Espresso machine X1', stock: 'In stock', price: 279.9 }] }],
    },
    {
      name: 'a price above the target sends nothing',
      input: [tick],
      recorded: { 'Fetch page': [{ status: 200, headers: { 'content-type': 'text/html' }, body: page('1.049,00') }], 'Email me': [] },
      expect: [{ node: 'Parse price', equals: [{ name: 'Espresso machine X1', stock: 'In stock', price: 1049 }] }, { node: 'At or below target?', port: 'true', equals: [] }],
    },
  ],
})
