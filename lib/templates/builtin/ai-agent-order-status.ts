import { aiUsage, edge, firstVersion, modelParam, node, pathParam, webhookItem } from './build'

const question = webhookItem('assistant', { customer: 'c-17', question: 'Where is my order A-1042?' })
const usage = aiUsage('gpt-4o', 512, 48, 0.0019, 2100)
const answer = 'Your order A-1042 shipped yesterday with DHL (tracking 00340434) and should arrive on Thursday.'

export const aiAgentOrderStatus = firstVersion('ai-agent-order-status', {
  name: 'Customer assistant agent with an order lookup tool',
  description: 'An AI agent answers customer questions posted to a webhook. It may call your order API (an HTTP tool) to look an order up before it answers; the caller gets the answer and the tools it used.',
  category: 'ai',
  tags: ['ai', 'agent', 'tools', 'support', 'webhook'],
  parameters: [
    pathParam('assistant'),
    modelParam,
    { name: 'ordersApi', label: 'Orders API base URL', type: 'string', default: 'https://api.example.com', required: true, description: 'The tool calls GET <base>/orders/<id>' },
    { name: 'company', label: 'Company name', type: 'string', default: 'our shop' },
  ],
  graph: {
    nodes: [
      node('webhook', 'webhook-trigger', 'Customer question', { path: '{{ $param.path }}', method: 'POST', responseMode: 'lastNode' }, 0),
      node('agent', 'agent', 'Assistant', {
        model: '{{ $param.model }}',
        systemMessage: 'You answer customers of {{ $param.company }}. Look orders up with get_order before saying anything about them. Be brief and friendly.',
        userMessage: 'Customer {{ $json.body.customer }} asks: {{ $json.body.question }}',
        tools: [{
          name: 'get_order',
          description: 'Fetch an order (status, carrier, tracking) by its id, e.g. A-1042',
          kind: 'node',
          nodeType: 'http-request',
          params: { method: 'GET', url: '{{ $param.ordersApi }}/orders/{{ $json.id }}' },
          parameters: { type: 'object', properties: { id: { type: 'string', description: 'The order id' } }, required: ['id'] },
        }],
        maxSteps: 4,
      }, 1),
      node('shape', 'set', 'Answer', { keepOtherFields: false, fields: [{ name: 'answer', value: '{{ $json.response }}' }, { name: 'toolsUsed', value: '{{ $json.steps.map((s) => s.tool) }}', type: 'json' }] }, 2),
      node('respond', 'respond-to-webhook', 'Reply', { respondWith: 'firstItem' }, 3),
    ],
    edges: [edge('webhook', 'agent'), edge('agent', 'shape'), edge('shape', 'respond')],
  },
  testCases: [{
    name: 'answers with what the order lookup found',
    input: [question],
    recorded: {
      Assistant: [{
        ...question,
        response: answer,
        finished: true,
        steps: [{ step: 1, tool: 'get_order', arguments: { id: 'A-1042' }, result: { status: 200, headers: {}, body: { id: 'A-1042', status: 'shipped', carrier: 'DHL', tracking: '00340434' } }, durationMs: 180 }],
        ai: { ...usage, modelCalls: 2 },
      }],
    },
    expect: [{ node: 'Reply', equals: [{ answer, toolsUsed: ['get_order'] }] }],
  }],
})
