import { edge, firstVersion, node, pathParam, webhookItem } from './build'

const signup = webhookItem('signup', { email: '  Ada@Example.COM ', name: 'Ada Lovelace' }, { 'content-type': 'application/json' })

export const webhookValidateRespond = firstVersion('webhook-validate-respond', {
  name: 'Validate a form webhook and answer',
  description: 'Receives a sign-up (or any form) as a webhook, checks that it carries an email address, normalizes it and answers the caller at once: 201 with the cleaned record, or 400 saying what is missing. Add your own steps after "Normalize" (store it, send a welcome email).',
  category: 'webhooks',
  tags: ['webhook', 'validation', 'forms', 'respond'],
  parameters: [
    pathParam('signup'),
    { name: 'source', label: 'Source label', type: 'string', default: 'website', description: 'Stored with each record to say where it came from' },
  ],
  graph: {
    nodes: [
      node('webhook', 'webhook-trigger', 'Form webhook', { path: '{{ $param.path }}', method: 'POST', responseMode: 'lastNode' }, 0),
      node('check', 'if', 'Has an email?', { conditions: [{ left: '{{ $json.body.email }}', operator: 'regex', right: '/^\\s*[^@\\s]+@[^@\\s]+\\.[^@\\s]+\\s*$/' }] }, 1),
      node('normalize', 'set', 'Normalize', {
        keepOtherFields: false,
        fields: [
          { name: 'email', value: '{{ $json.body.email.trim().toLowerCase() }}' },
          { name: 'name', value: '{{ ($json.body.name ?? "").trim() }}' },
          { name: 'source', value: '{{ $param.source }}' },
        ],
      }, 2, -0.5),
      node('accepted', 'respond-to-webhook', 'Answer 201', { respondWith: 'json', statusCode: 201, json: { ok: true, email: '{{ $json.email }}' } }, 3, -0.5),
      node('rejected', 'respond-to-webhook', 'Answer 400', { respondWith: 'json', statusCode: 400, json: { ok: false, error: 'body.email: a valid email address is required' } }, 2, 0.5),
    ],
    edges: [edge('webhook', 'check'), edge('check', 'normalize', 'true'), edge('normalize', 'accepted'), edge('check', 'rejected', 'false')],
  },
  testCases: [
    {
      name: 'a valid sign-up is normalized and accepted',
      params: { source: 'landing-page' },
      input: [signup],
      expect: [
        { node: 'Normalize', equals: [{ email: 'ada@example.com', name: 'Ada Lovelace', source: 'landing-page' }] },
        { node: 'Answer 201', equals: [{ email: 'ada@example.com', name: 'Ada Lovelace', source: 'landing-page' }] },
      ],
    },
    {
      name: 'a sign-up without an email is rejected',
      input: [{ ...signup, body: { name: 'No Mail' } }],
      expect: [{ node: 'Answer 400', equals: [{ ...signup, body: { name: 'No Mail' } }] }, { node: 'Has an email?', port: 'true', equals: [] }],
    },
  ],
})
