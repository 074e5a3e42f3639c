import { aiUsage, edge, firstVersion, modelParam, node, pathParam, webhookItem } from './build'

const message = webhookItem('support', { from: 'sam@example.com', subject: 'Charged twice', text: 'I was charged twice for my March invoice.' })
const usage = aiUsage('gpt-4o-mini', 71, 6, 0.00001, 420)

export const aiSupportTriage = firstVersion('ai-support-triage', {
  name: 'Triage support requests with an LLM',
  description: 'A support request arrives as a webhook; a language model sorts it into billing, bug or feature request, and each category is assigned to its team and priority. Anything the model cannot place goes to a human. Ends with the assigned request, ready for your ticketing system.',
  category: 'ai',
  tags: ['ai', 'llm', 'classify', 'support', 'webhook'],
  parameters: [
    pathParam('support'),
    modelParam,
  ],
  graph: {
    nodes: [
      node('webhook', 'webhook-trigger', 'Support request', { path: '{{ $param.path }}', method: 'POST' }, 0),
      node('classify', 'classify', 'Classify', {
        model: '{{ $param.model }}',
        text: 'Subject: {{ $json.body.subject }}\n\n{{ $json.body.text }}',
        categories: [
          { name: 'billing', description: 'Invoices, charges, refunds, payment methods' },
          { name: 'bug', description: 'Something in the product does not work as it should' },
          { name: 'feature', description: 'A request for something the product does not do yet' },
        ],
        instructions: 'Choose the category a support agent would file this under.',
      }, 1),
      node('billing', 'set', 'Billing team', { fields: [{ name: 'team', value: 'finance' }, { name: 'priority', value: 'high' }] }, 2, -1),
      node('bug', 'set', 'Engineering team', { fields: [{ name: 'team', value: 'engineering' }, { name: 'priority', value: 'normal' }] }, 2, 0),
      node('feature', 'set', 'Product team', { fields: [{ name: 'team', value: 'product' }, { name: 'priority', value: 'low' }] }, 2, 1),
      node('human', 'set', 'Needs a human', { fields: [{ name: 'team', value: 'support' }, { name: 'priority', value: 'normal' }] }, 2, 2),
      node('merge', 'merge', 'Assigned', { mode: 'append' }, 3),
    ],
    edges: [
      edge('webhook', 'classify'),
      edge('classify', 'billing', 'out0'),
      edge('classify', 'bug', 'out1'),
      edge('classify', 'feature', 'out2'),
      edge('classify', 'human', 'other'),
      edge('billing', 'merge', 'main', 'input1'),
      edge('bug', 'merge', 'main', 'input2'),
      edge('feature', 'merge', 'main', 'input3'),
      edge('human', 'merge', 'main', 'input4'),
    ],
  },
  testCases: [{
    name: 'a double charge goes to the billing team',
    input: [message],
    recorded: { Classify: { out0: [{ ...message, category: 'billing', confidence: 0.94, ai: usage }], out1: [], out2: [], other: [] } },
    expect: [
      { node: 'Assigned', equals: [{ ...message, category: 'billing', confidence: 0.94, ai: usage, team: 'finance', priority: 'high' }] },
      { node: 'Classify', port: 'out1', equals: [] },
    ],
  }],
})
