import { edge, firstVersion, node, slot } from './build'

const tick = { timestamp: '2026-11-30T07:00:00.000Z', firedAt: '2026-11-30T07:00:00.030Z', timezone: 'Europe/Berlin', localTime: '2026-11-30T08:00:00+01:00', readableDate: 'Monday, November 30, 2026' }
const rows = [
  { region: 'EU', order_id: 1, total: 120.5 },
  { region: 'US', order_id: 2, total: 80 },
  { region: 'EU', order_id: 3, total: 79.5 },
  { region: 'APAC', order_id: 4, total: 300 },
]
const report = [
  { region: 'APAC', count: 1, sum_total: 300 },
  { region: 'EU', count: 2, sum_total: 200 },
  { region: 'US', count: 1, sum_total: 80 },
]

export const mysqlDailySalesEmail = firstVersion('mysql-daily-sales-email', {
  name: 'Daily sales report from MySQL by email',
  description: 'Every morning, reads yesterday\'s orders from MySQL, totals them per region, ranks the regions and emails a short report (an HTML table and a plain-text version) to the addresses you choose.',
  category: 'email',
  tags: ['mysql', 'database', 'schedule', 'email', 'report', 'summarize'],
  parameters: [
    { name: 'cron', label: 'When (cron)', type: 'string', default: '0 8 * * *', required: true },
    { name: 'timezone', label: 'Time zone', type: 'string', default: 'Europe/Berlin' },
    { name: 'to', label: 'Send to', type: 'string', default: 'sales@example.com', required: true, description: 'Comma-separated addresses' },
    { name: 'from', label: 'From', type: 'string', default: 'Reports <reports@example.com>' },
  ],
  credentials: [
    { ref: 'credential-1', kinds: ['mysql'], label: 'MySQL' },
    { ref: 'credential-2', kinds: ['smtp'], label: 'SMTP server' },
  ],
  graph: {
    nodes: [
      node('schedule', 'schedule-trigger', 'Every morning', { mode: 'cron', cron: '{{ $param.cron }}', timezone: '{{ $param.timezone }}' }, 0),
      node('query', 'mysql', 'Yesterday\'s orders', {
        credential: slot('credential-1'),
        operation: 'executeQuery',
        query: 'SELECT region, id AS order_id, total FROM orders WHERE created_at >= CURDATE() - INTERVAL 1 DAY AND created_at < CURDATE()',
        queryBatching: 'once',
      }, 1),
      node('sum', 'summarize', 'Per region', { groupBy: ['region'], aggregations: [{ operation: 'count' }, { operation: 'sum', field: 'total' }] }, 2),
      node('sort', 'sort', 'Biggest first', { sortBy: [{ field: 'sum_total', order: 'desc' }] }, 3),
      node('render', 'code', 'Render report', {
        mode: 'runOnceForAllItems',
        source: [
          'const total = items.reduce((s, r) => s + r.sum_total, 0)',
          'const rows = items.map((r) => `<tr><td>${r.region}</td><td>${r.count}</td><td>${r.sum_total.toFixed(2)}</td></tr>`).join("")',
          'const text = items.map((r) => `${r.region}: ${r.count} orders, ${r.sum_total.toFixed(2)}`).join("\\n")',
          'return [{ total, regions: items.length, html: `<table><tr><th>Region</th><th>Orders</th><th>Total</th></tr>${rows}</table>`, text }]',
        ].join('\n'),
      }, 4),
      node('email', 'send-email', 'Email report', {
        credential: slot('credential-2'),
        from: '{{ $param.from }}',
        to: '{{ $param.to }}',
        subject: 'Sales yesterday: {{ $json.total.toFixed(2) }} in {{ $json.regions }} regions',
        text: '{{ $json.text }}',
        html: '{{ $json.html }}',
      }, 5),
    ],
    edges: [edge('schedule', 'query'), edge('query', 'sum'), edge('sum', 'sort'), edge('sort', 'render'), edge('render', 'email')],
  },
  testCases: [{
    name: 'totals per region, biggest first, in one email',
    input: [tick],
    recorded: {
      "Yesterday's orders": rows,
      'Email report': [{ total: 580, regions: 3, email: { messageId: '<r1@example.com>', accepted: ['sales@example.com'], rejected: [] } }],
    },
    expect: [
      { node: 'Biggest first', equals: report },
      {
        node: 'Render report',
        equals: [{
          total: 580,
          regions: 3,
          html: '<table><tr><th>Region</th><th>Orders</th><th>Total</th></tr><tr><td>APAC</td><td>1</td><td>300.00</td></tr><tr><td>EU</td><td>2</td><td>200.00</td></tr><tr><td>US</td><td>1</td><td>80.00</td></tr></table>',
          text: 'APAC: 1 orders, 300.00\nEU: 2 orders, 200.00\nUS: 1 orders, 80.00',
        }],
      },
    ],
  }],
})
