import { edge, firstVersion, node } from './build'

const tick = { timestamp: '2026-11-30T06:00:00.000Z', firedAt: '2026-11-30T06:00:00.010Z', timezone: 'UTC' }
const feed = [
  '<?xml version="1.0"?><rss version="2.0"><channel><title>Release notes</title>',
  '<item><title>v2.4 released</title><link>https://example.com/v2.4</link><pubDate>Sun, 29 Nov 2026 10:00:00 GMT</pubDate></item>',
  '<item><title>v2.3.1 hotfix</title><link>https://example.com/v2.3.1</link><pubDate>Fri, 27 Nov 2026 16:30:00 GMT</pubDate></item>',
  '<item><title>v2.3 released</title><link>https://example.com/v2.3</link><pubDate>Mon, 16 Nov 2026 09:00:00 GMT</pubDate></item>',
  '</channel></rss>',
].join('')

export const rssFeedDigest = firstVersion('rss-feed-digest', {
  name: 'Read an RSS feed into items',
  description: 'Fetches an RSS (XML) feed on a schedule, turns it into one item per entry with an ISO publication date, and keeps the newest few. A starting point for digests, Slack posts or a database of articles.',
  category: 'schedules',
  tags: ['rss', 'xml', 'http', 'schedule', 'date'],
  parameters: [
    { name: 'feedUrl', label: 'Feed URL', type: 'string', default: 'https://example.com/releases.rss', required: true },
    { name: 'hours', label: 'Every (hours)', type: 'number', default: 6, required: true },
    { name: 'keep', label: 'Entries to keep', type: 'number', default: 2 },
  ],
  graph: {
    nodes: [
      node('schedule', 'schedule-trigger', 'Every few hours', { mode: 'interval', every: '{{ $param.hours }}', unit: 'hours', timezone: 'UTC' }, 0),
      node('fetch', 'http-request', 'Fetch feed', { method: 'GET', url: '{{ $param.feedUrl }}', responseFormat: 'text' }, 1),
      node('parse', 'xml', 'Parse XML', { operation: 'toJson', sourceField: 'body', destination: 'feed', alwaysArray: ['item'] }, 2),
      node('split', 'split-out', 'One item per entry', { field: 'feed.rss.channel.item' }, 3),
      node('date', 'date-time', 'Published (ISO)', { operation: 'format', field: 'pubDate', inputFormat: 'rfc2822', outputFormat: 'iso', zone: 'UTC', outputField: 'published' }, 4),
      node('sort', 'sort', 'Newest first', { sortBy: [{ field: 'published', order: 'desc' }] }, 5),
      node('limit', 'limit', 'Newest entries', { maxItems: '{{ $param.keep }}', keep: 'first' }, 6),
    ],
    edges: [edge('schedule', 'fetch'), edge('fetch', 'parse'), edge('parse', 'split'), edge('split', 'date'), edge('date', 'sort'), edge('sort', 'limit')],
  },
  testCases: [{
    name: 'the newest two entries with ISO dates',
    input: [tick],
    recorded: { 'Fetch feed': [{ status: 200, headers: { 'content-type': 'application/rss+xml' }, body: feed }] },
    expect: [{
      node: 'Newest entries',
      equals: [
        { title: 'v2.4 released', link: 'https://example.com/v2.4', pubDate: 'Sun, 29 Nov 2026 10:00:00 GMT', published: '2026-11-29T10:00:00.000Z' },
        { title: 'v2.3.1 hotfix', link: 'https://example.com/v2.3.1', pubDate: 'Fri, 27 Nov 2026 16:30:00 GMT', published: '2026-11-27T16:30:00.000Z' },
      ],
    }],
  }],
})
