import { edge, firstVersion, node } from './build'

const handle = (url: string) => ({ session: 'c0ffee00-0000-4000-8000-000000000001', url, browser: 'chromium' })
const row = (n: number, name: string, price: string, url: string, page: number) => ({ SKU: `SKU-${n}`, Product: name, Price: price, page, url, $page: handle(url) })
const page1 = 'https://shop.example.com/catalogue?page=1'
const page2 = 'https://shop.example.com/catalogue?page=2'

export const browserScrapeTable = firstVersion('browser-scrape-table', {
  name: 'Scrape a table across pages into a CSV file',
  description: 'Opens a page in a real browser, reads every row of a table (keys from its header), follows the "next page" link up to a page limit, keeps the rows you want and saves them as a CSV file you can download from the run.',
  category: 'productivity',
  tags: ['browser', 'scraping', 'playwright', 'csv', 'table'],
  parameters: [
    { name: 'url', label: 'First page', type: 'string', default: page1, required: true },
    { name: 'table', label: 'Table selector', type: 'string', default: 'table.products', required: true },
    { name: 'next', label: '"Next page" link selector', type: 'string', default: 'a[rel=next]', required: false },
    { name: 'maxPages', label: 'Most pages to read', type: 'number', default: 10, required: true },
  ],
  credentials: [],
  graph: {
    nodes: [
      node('start', 'manual-trigger', 'Run by hand', {}, 0),
      node('open', 'browser-open-page', 'Open first page', { url: '{{ $param.url }}', waitForSelector: '{{ $param.table }}' }, 1),
      node('rows', 'browser-extract', 'Read table rows', { mode: 'table', tableSelector: '{{ $param.table }}', nextSelector: '{{ $param.next }}', maxPages: '{{ $param.maxPages }}' }, 2),
      node('clean', 'filter', 'Rows with a price', { conditions: [{ left: '{{ $json.Price }}', operator: 'isNotEmpty' }] }, 3),
      node('csv', 'convert-to-file', 'Save as CSV', { operation: 'csv', fileName: 'table.csv', columns: [] }, 4),
    ],
    edges: [edge('start', 'open'), edge('open', 'rows'), edge('rows', 'clean'), edge('clean', 'csv')],
  },
  testCases: [
    {
      name: 'rows from two pages become one CSV file; rows without a price are left out',
      input: [{}],
      recorded: {
        'Open first page': [{ url: page1, status: 200, title: 'Catalogue', $page: handle(page1) }],
        'Read table rows': [
          row(1, 'Stoneware mug', '12.50', page1, 1),
          row(2, 'Teapot', '', page1, 1),
          row(3, 'Serving bowl', '24.00', page2, 2),
        ],
      },
      expect: [
        { node: 'Rows with a price', equals: [row(1, 'Stoneware mug', '12.50', page1, 1), row(3, 'Serving bowl', '24.00', page2, 2)] },
      ],
    },
  ],
})
