import { edge, firstVersion, node, slot } from './build'

const shot = (id: string, name: string) => ({ $file: id, name, mimeType: 'image/png', size: 48213 })
const change = {
  url: 'https://example.com/pricing',
  changedAt: '2026-11-30T09:15:02.310Z',
  changeRatio: 0.0625,
  diff: { added: ['Team: $24 per seat'], removed: ['Team: $19 per seat'], unified: '@@ -4,1 +4,1 @@\n-Team: $19 per seat\n+Team: $24 per seat\n' },
  before: { text: 'Pricing\nFree\nTeam: $19 per seat', screenshot: shot('f_before', 'before.png'), checkedAt: '2026-11-30T09:00:01.904Z' },
  after: { text: 'Pricing\nFree\nTeam: $24 per seat', screenshot: shot('f_after', 'after.png'), checkedAt: '2026-11-30T09:15:02.310Z' },
}

export const browserPageChangeAlert = firstVersion('browser-page-change-alert', {
  name: 'Email me when a web page changes',
  description: 'Checks a page (or one part of it) in a real browser every few minutes and, when its text changes by more than a threshold, emails you what was added and removed, with before and after screenshots attached.',
  category: 'productivity',
  tags: ['browser', 'monitoring', 'playwright', 'diff', 'email'],
  parameters: [
    { name: 'url', label: 'Page to watch', type: 'string', default: 'https://example.com/pricing', required: true },
    { name: 'selector', label: 'Only this part (CSS selector, optional)', type: 'string', default: '', required: false },
    { name: 'every', label: 'Check every (minutes)', type: 'number', default: 15, required: true },
    { name: 'to', label: 'Email me at', type: 'string', default: 'me@example.com', required: true },
  ],
  credentials: [{ ref: 'credential-1', kinds: ['smtp'], label: 'SMTP server' }],
  graph: {
    nodes: [
      node('watch', 'browser-page-monitor', 'Page changed', { url: '{{ $param.url }}', selector: '{{ $param.selector }}', every: '{{ $param.every }}', unit: 'minutes', threshold: 1 }, 0),
      node('summary', 'set', 'Write the summary', {
        fields: [
          { name: 'subject', value: 'Changed: {{ $json.url }} ({{ Math.round($json.changeRatio * 100) }} %)', type: 'string' },
          { name: 'text', value: 'Added:\n{{ $json.diff.added.join("\\n") }}\n\nRemoved:\n{{ $json.diff.removed.join("\\n") }}\n\nChecked at {{ $json.changedAt }}', type: 'string' },
        ],
        keepOtherFields: true,
      }, 1),
      node('email', 'send-email', 'Email me', {
        credential: slot('credential-1'),
        to: '{{ $param.to }}',
        subject: '{{ $json.subject }}',
        text: '{{ $json.text }}',
        attachments: ['before.screenshot', 'after.screenshot'],
      }, 2),
    ],
    edges: [edge('watch', 'summary'), edge('summary', 'email')],
  },
  testCases: [
    {
      name: 'a price change is summarized with what was added and removed',
      input: [change],
      recorded: { 'Email me': [{ email: { messageId: '<c1@example.com>', accepted: ['me@example.com'], rejected: [] } }] },
      expect: [
        {
          node: 'Write the summary',
          equals: [{ ...change, subject: 'Changed: https://example.com/pricing (6 %)', text: 'Added:\nTeam: $24 per seat\n\nRemoved:\nTeam: $19 per seat\n\nChecked at 2026-11-30T09:15:02.310Z' }],
        },
      ],
    },
  ],
})
