import { edge, firstVersion, node, slot } from './build'

const customers = [
  { id: 'c1', name: 'Ada', email: 'ada@example.com', segment: 'enterprise' },
  { id: 'c2', name: 'Bo', email: 'bo@example.com', segment: 'smb' },
]
const ordersResponse = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: { orders: [{ id: 'o1', customerId: 'c1', total: 120 }, { id: 'o2', customerId: 'c2', total: 35 }, { id: 'o3', customerId: 'c1', total: 80 }, { id: 'o4', customerId: 'c9', total: 10 }] },
}

export const postgresJoinOrders = firstVersion('postgres-join-orders', {
  name: 'Join API orders with customers from PostgreSQL',
  description: 'Reads customers from a PostgreSQL table and orders from your shop\'s API, joins them by customer id, and totals revenue per customer and segment, biggest first. Orders of unknown customers are left out.',
  category: 'data',
  tags: ['postgres', 'database', 'http', 'merge', 'join', 'aggregate'],
  parameters: [
    { name: 'table', label: 'Customers table', type: 'string', default: 'customers', required: true },
    { name: 'ordersUrl', label: 'Orders API URL', type: 'string', default: 'https://shop.example.com/api/orders?since=7d', required: true, description: 'Answers { "orders": [ { id, customerId, total } ] }' },
  ],
  credentials: [
    { ref: 'credential-1', kinds: ['postgres'], label: 'PostgreSQL' },
    { ref: 'credential-2', kinds: ['apiKey', 'bearer', 'basicAuth', 'customHeaders'], label: 'Shop API', required: false },
  ],
  graph: {
    nodes: [
      node('start', 'manual-trigger', 'Run now', {}, 0),
      node('customers', 'postgres', 'Customers', { credential: slot('credential-1'), operation: 'select', table: '{{ $param.table }}', columns: ['id', 'name', 'email', 'segment'] }, 1, -0.5),
      node('orders', 'http-request', 'Orders', { method: 'GET', url: '{{ $param.ordersUrl }}', credential: slot('credential-2') }, 1, 0.5),
      node('split', 'split-out', 'One item per order', { field: 'body.orders' }, 2, 0.5),
      node('join', 'merge', 'Join by customer', { mode: 'byKey', joinKind: 'inner', field1: 'customerId', field2: 'id', preferOnClash: 'input1' }, 3),
      node('sum', 'summarize', 'Revenue per customer', { groupBy: ['customerId', 'name', 'segment'], aggregations: [{ operation: 'count', outputName: 'orders' }, { operation: 'sum', field: 'total', outputName: 'revenue' }] }, 4),
      node('sort', 'sort', 'Biggest first', { sortBy: [{ field: 'revenue', order: 'desc' }] }, 5),
    ],
    edges: [
      edge('start', 'customers'),
      edge('start', 'orders'),
      edge('orders', 'split'),
      edge('split', 'join', 'main', 'input1'),
      edge('customers', 'join', 'main', 'input2'),
      edge('join', 'sum'),
      edge('sum', 'sort'),
    ],
  },
  testCases: [{
    name: 'revenue per known customer',
    recorded: { Customers: customers, Orders: [ordersResponse] },
    expect: [{
      node: 'Biggest first',
      equals: [
        { customerId: 'c1', name: 'Ada', segment: 'enterprise', orders: 2, revenue: 200 },
        { customerId: 'c2', name: 'Bo', segment: 'smb', orders: 1, revenue: 35 },
      ],
    }],
  }],
})
