import { edge, firstVersion, node, pathParam, slot, webhookItem } from './build'

const call = webhookItem('api/ingest', { event: 'ping' }, { 'x-api-key': 'key-123' })

export const redisRateLimit = firstVersion('redis-rate-limit', {
  name: 'Rate-limit a webhook with Redis',
  description: 'Counts each caller\'s requests per minute in Redis (by their x-api-key header) and answers 429 Too Many Requests once they pass the limit; calls within the limit get 202 and go on to your processing steps after "Accepted".',
  category: 'webhooks',
  tags: ['redis', 'webhook', 'rate limit', 'respond', 'api'],
  parameters: [
    pathParam('api/ingest'),
    { name: 'limit', label: 'Requests per minute', type: 'number', default: 60, required: true },
    { name: 'header', label: 'Caller header', type: 'string', default: 'x-api-key', description: 'The request header that identifies a caller' },
  ],
  credentials: [{ ref: 'credential-1', kinds: ['redis'], label: 'Redis' }],
  graph: {
    nodes: [
      node('webhook', 'webhook-trigger', 'API call', { path: '{{ $param.path }}', method: 'POST', responseMode: 'lastNode' }, 0),
      node('count', 'redis', 'Count this minute', { credential: slot('credential-1'), operation: 'incr', key: 'ratelimit:{{ $json.headers[$param.header] ?? "anonymous" }}', by: 1, expire: 60, outputField: 'hits' }, 1),
      node('check', 'if', 'Over the limit?', { conditions: [{ left: '{{ $json.hits }}', operator: 'gt', right: '{{ $param.limit }}' }] }, 2),
      node('tooMany', 'respond-to-webhook', 'Answer 429', { respondWith: 'json', statusCode: 429, headers: [{ name: 'Retry-After', value: '60' }], json: { error: 'Too many requests: at most {{ $param.limit }} a minute' } }, 3, -0.5),
      node('accepted', 'respond-to-webhook', 'Accepted', { respondWith: 'json', statusCode: 202, json: { accepted: true } }, 3, 0.5),
    ],
    edges: [edge('webhook', 'count'), edge('count', 'check'), edge('check', 'tooMany', 'true'), edge('check', 'accepted', 'false')],
  },
  testCases: [
    {
      name: 'a call within the limit is accepted',
      input: [call],
      recorded: { 'Count this minute': [{ ...call, hits: 3 }] },
      expect: [{ node: 'Accepted', equals: [{ ...call, hits: 3 }] }, { node: 'Over the limit?', port: 'true', equals: [] }],
    },
    {
      name: 'the call past the limit is refused',
      params: { limit: 10 },
      input: [call],
      recorded: { 'Count this minute': [{ ...call, hits: 11 }] },
      expect: [{ node: 'Answer 429', equals: [{ ...call, hits: 11 }] }],
    },
  ],
})
