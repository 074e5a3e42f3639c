import { edge, firstVersion, node, pathParam, slot, webhookItem } from './build'

const request = webhookItem('sms-campaign', { phones: ['+14155550123', '+14155550124', '+14155550123', '+14155550199'] })
const summary = { total: 3, sent: 2, skipped: 1, failed: 0, duplicates: 1 }

export const twilioSmsCampaign = firstVersion('twilio-sms-campaign', {
  name: 'Send an SMS campaign to a list of numbers',
  description: 'POST a list of phone numbers to a webhook and everyone on it gets your text through Twilio, at a rate your number allows. Repeats are sent once, people who replied STOP are skipped, and the caller gets the counts back. Delivery states show up in Messages.',
  category: 'messaging',
  tags: ['sms', 'twilio', 'campaign', 'bulk', 'webhook'],
  parameters: [
    pathParam('sms-campaign'),
    { name: 'from', label: 'From (your Twilio number)', type: 'string', default: '+14155550100', required: true, description: 'E.164, e.g. +14155550100, or a Messaging Service SID (MG…)' },
    { name: 'message', label: 'Message', type: 'string', default: 'Our spring sale starts today: 20% off everything until Sunday. Reply STOP to opt out.', required: true },
    { name: 'ratePerSecond', label: 'Messages per second', type: 'number', default: 1, required: true, description: 'A long code takes 1, toll-free numbers 3 or more, short codes up to 100' },
  ],
  credentials: [{ ref: 'credential-1', kinds: ['twilio'], label: 'Twilio account' }],
  graph: {
    nodes: [
      node('webhook', 'webhook-trigger', 'Campaign list', { path: '{{ $param.path }}', method: 'POST', responseMode: 'lastNode' }, 0),
      node('send', 'twilio-bulk-sms', 'Text everyone', {
        credential: slot('credential-1'),
        from: '{{ $param.from }}',
        recipients: '{{ $json.body.phones }}',
        body: '{{ $param.message }}',
        ratePerSecond: '{{ $param.ratePerSecond }}',
      }, 1),
      node('respond', 'respond-to-webhook', 'Reply with the counts', { respondWith: 'firstItem' }, 2),
    ],
    edges: [edge('webhook', 'send'), edge('send', 'respond')],
  },
  testCases: [{
    name: 'the caller gets the campaign counts',
    input: [request],
    recorded: { 'Text everyone': [summary] },
    expect: [{ node: 'Reply with the counts', equals: [summary] }],
  }],
})
