import { edge, firstVersion, node, slot } from './build'

const tick = { timestamp: '2026-03-30T07:15:00.000Z', firedAt: '2026-03-30T07:15:00.020Z', timezone: 'UTC' }
const page = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: {
    data: [
      { id: 101, title: 'Printer offline', status: 'open', updatedAt: '2026-03-30T07:01:00Z' },
      { id: 102, title: 'VPN slow', status: 'closed', updatedAt: '2026-03-30T07:05:00Z' },
      { id: 101, title: 'Printer offline', status: 'open', updatedAt: '2026-03-30T07:01:00Z' },
      { id: 103, title: 'New laptop', status: 'open', updatedAt: '2026-03-30T07:09:00Z' },
    ],
  },
}

export const schedulePollNewRecords = firstVersion('schedule-poll-new-records', {
  name: 'Poll an API for new records',
  description: 'Every few minutes, fetches a list from a JSON API, splits it into one item per record, keeps only records this workflow has not seen before (remembered across runs) that have the status you choose. Connect what should happen to each new record after "New records".',
  category: 'schedules',
  tags: ['schedule', 'polling', 'http', 'deduplicate'],
  parameters: [
    { name: 'every', label: 'Every (minutes)', type: 'number', default: 5, required: true, description: 'How often to poll' },
    { name: 'url', label: 'API URL', type: 'string', default: 'https://api.example.com/tickets?updated_since=15m', required: true, description: 'Answers JSON with the records in `data`' },
    { name: 'status', label: 'Keep status', type: 'string', default: 'open', description: 'Only records with this `status` go on' },
  ],
  credentials: [{ ref: 'credential-1', kinds: ['apiKey', 'bearer', 'basicAuth', 'customHeaders'], label: 'API credential', required: false }],
  graph: {
    nodes: [
      node('schedule', 'schedule-trigger', 'Every few minutes', { mode: 'interval', every: '{{ $param.every }}', unit: 'minutes', timezone: 'UTC' }, 0),
      node('fetch', 'http-request', 'Fetch records', { method: 'GET', url: '{{ $param.url }}', credential: slot('credential-1'), responseFormat: 'json' }, 1),
      node('split', 'split-out', 'One item per record', { field: 'body.data' }, 2),
      node('dedupe', 'remove-duplicates', 'Not seen before', { compare: 'selectedFields', fields: ['id'], history: 'workflow', historySize: 10000 }, 3),
      node('filter', 'filter', 'New records', { conditions: [{ left: '{{ $json.status }}', operator: 'equals', right: '{{ $param.status }}' }] }, 4),
    ],
    edges: [edge('schedule', 'fetch'), edge('fetch', 'split'), edge('split', 'dedupe'), edge('dedupe', 'filter')],
  },
  testCases: [{
    name: 'keeps each open record once',
    input: [tick],
    recorded: { 'Fetch records': [page] },
    expect: [
      { node: 'Not seen before', equals: [page.body.data[0], page.body.data[1], page.body.data[3]] },
      { node: 'New records', equals: [page.body.data[0], page.body.data[3]] },
    ],
  }],
})
