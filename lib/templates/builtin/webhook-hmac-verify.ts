import { edge, firstVersion, node, pathParam, slot, webhookItem } from './build'

const signed = (signature: string) => webhookItem('payments', { event: 'payment.succeeded', id: 'evt_19' }, { 'x-signature': signature })
const good = 'k3v5ZC4m3mYwJ2fYq8QGzY3W0cV6fM0Qd8s3l2mHq4E='

export const webhookHmacVerify = firstVersion('webhook-hmac-verify', {
  name: 'Verify signed webhooks (HMAC)',
  description: 'Checks the HMAC-SHA256 signature that payment providers and other services put on their webhooks (a header computed with a shared secret you keep as a credential). Signed requests are accepted and go on; the rest get 401 and stop there.',
  category: 'webhooks',
  tags: ['webhook', 'security', 'hmac', 'crypto', 'respond'],
  parameters: [
    pathParam('payments'),
    { name: 'header', label: 'Signature header', type: 'string', default: 'x-signature', required: true },
  ],
  credentials: [{ ref: 'credential-1', kinds: ['cryptoSecret'], label: 'Signing secret' }],
  graph: {
    nodes: [
      node('webhook', 'webhook-trigger', 'Signed webhook', { path: '{{ $param.path }}', method: 'POST', responseMode: 'lastNode' }, 0),
      node('hmac', 'crypto', 'Expected signature', { operation: 'hmac', credential: slot('credential-1'), source: 'value', value: '{{ JSON.stringify($json.body) }}', algorithm: 'sha256', encoding: 'base64', outputField: 'expected' }, 1),
      node('check', 'if', 'Signature matches?', { conditions: [{ left: '{{ $json.headers[$param.header] ?? "" }}', operator: 'equals', right: '{{ $json.expected }}' }] }, 2),
      node('ok', 'respond-to-webhook', 'Accepted', { respondWith: 'json', statusCode: 200, json: { received: true } }, 3, -0.5),
      node('denied', 'respond-to-webhook', 'Answer 401', { respondWith: 'json', statusCode: 401, json: { error: 'invalid signature' } }, 3, 0.5),
    ],
    edges: [edge('webhook', 'hmac'), edge('hmac', 'check'), edge('check', 'ok', 'true'), edge('check', 'denied', 'false')],
  },
  testCases: [
    {
      name: 'a correctly signed webhook is accepted',
      input: [signed(good)],
      recorded: { 'Expected signature': [{ ...signed(good), expected: good }] },
      expect: [{ node: 'Accepted', equals: [{ ...signed(good), expected: good }] }, { node: 'Signature matches?', port: 'false', equals: [] }],
    },
    {
      name: 'a forged signature gets 401',
      input: [signed('forged')],
      recorded: { 'Expected signature': [{ ...signed('forged'), expected: good }] },
      expect: [{ node: 'Answer 401', equals: [{ ...signed('forged'), expected: good }] }],
    },
  ],
})
