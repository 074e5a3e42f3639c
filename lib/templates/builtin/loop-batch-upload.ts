import { edge, firstVersion, node, pathParam, slot, webhookItem } from './build'

const contacts = Array.from({ length: 5 }, (_, i) => ({ email: `user${i + 1}@example.com`, name: `User ${i + 1}` }))
const request = webhookItem('contacts/import', { contacts })

export const loopBatchUpload = firstVersion('loop-batch-upload', {
  name: 'Send records to an API in batches',
  description: 'Takes a list of records from a webhook and posts them to an API a batch at a time (APIs often cap a request at 100 records), then reports how many batches were sent and how many records the API accepted.',
  category: 'data',
  tags: ['loop', 'batch', 'http', 'webhook', 'import'],
  parameters: [
    pathParam('contacts/import'),
    { name: 'apiUrl', label: 'Bulk API URL', type: 'string', default: 'https://crm.example.com/api/contacts/bulk', required: true, description: 'Takes POST { "records": [ … ] }' },
    { name: 'batchSize', label: 'Records per request', type: 'number', default: 100, required: true },
  ],
  credentials: [{ ref: 'credential-1', kinds: ['apiKey', 'bearer', 'basicAuth', 'customHeaders'], label: 'API credential', required: false }],
  graph: {
    nodes: [
      node('webhook', 'webhook-trigger', 'Records to import', { path: '{{ $param.path }}', method: 'POST' }, 0),
      node('split', 'split-out', 'One item per record', { field: 'body.contacts' }, 1),
      node('loop', 'loop-over-items', 'Batches', { batchSize: '{{ $param.batchSize }}', maxIterations: 1000 }, 2),
      node('batch', 'aggregate', 'Batch body', { aggregate: 'allItemData', destination: 'records' }, 3, 0.6),
      node('post', 'http-request', 'Post batch', { method: 'POST', url: '{{ $param.apiUrl }}', credential: slot('credential-1'), bodyType: 'json', jsonBody: '{{ { records: $json.records } }}' }, 4, 0.6),
      node('report', 'summarize', 'Report', { aggregations: [{ operation: 'count', outputName: 'batches' }, { operation: 'sum', field: 'body.accepted', outputName: 'accepted' }] }, 3, -0.6),
    ],
    edges: [edge('webhook', 'split'), edge('split', 'loop'), edge('loop', 'batch', 'loop'), edge('batch', 'post'), edge('post', 'loop'), edge('loop', 'report', 'done')],
  },
  testCases: [{
    name: 'five records in batches of two: three requests',
    params: { batchSize: 2 },
    input: [request],
    recorded: { 'Post batch': [{ status: 200, headers: { 'content-type': 'application/json' }, body: { accepted: 2 } }] },
    expect: [{ node: 'Report', equals: [{ batches: 3, accepted: 6 }] }, { node: 'Batch body', equals: [{ records: [contacts[4]] }] }],
  }],
})
