import { aiUsage, edge, firstVersion, modelParam, node, pathParam, webhookItem } from './build'

const request = webhookItem('summarize', { text: 'Our Q1 revenue grew 12% to 4.1M, driven by the new enterprise plan. Churn fell to 2.1%. Hiring is paused until June.' })
const usage = aiUsage('gpt-4o-mini', 64, 22, 0.00001, 540)
const summary = 'Q1 revenue +12% (4.1M) on the enterprise plan; churn down to 2.1%; hiring paused until June.'

export const aiSummarizeWebhook = firstVersion('ai-summarize-webhook', {
  name: 'Summarize text with an LLM (API endpoint)',
  description: 'Turns a webhook into a small summarization API: POST { "text": "…" } and the caller gets back { summary, model, tokens } from the language model you choose, in the style your instructions set.',
  category: 'ai',
  tags: ['ai', 'llm', 'chat', 'summarize', 'webhook', 'api'],
  parameters: [
    pathParam('summarize'),
    modelParam,
    { name: 'instructions', label: 'Instructions', type: 'text', default: 'Summarize the text in one or two sentences. Keep every number.', description: 'The system message' },
    { name: 'maxTokens', label: 'Longest answer (tokens)', type: 'number', default: 200 },
  ],
  graph: {
    nodes: [
      node('webhook', 'webhook-trigger', 'Text to summarize', { path: '{{ $param.path }}', method: 'POST', responseMode: 'lastNode' }, 0),
      node('llm', 'llm-chat', 'Summarize', { model: '{{ $param.model }}', systemMessage: '{{ $param.instructions }}', userMessage: '{{ $json.body.text }}', maxTokens: '{{ $param.maxTokens }}', temperature: 0.2, stream: false }, 1),
      node('shape', 'set', 'Answer', { keepOtherFields: false, fields: [{ name: 'summary', value: '{{ $json.response }}' }, { name: 'model', value: '{{ $json.ai.model }}' }, { name: 'tokens', value: '{{ $json.ai.inputTokens + $json.ai.outputTokens }}' }] }, 2),
      node('respond', 'respond-to-webhook', 'Reply', { respondWith: 'firstItem', statusCode: 200 }, 3),
    ],
    edges: [edge('webhook', 'llm'), edge('llm', 'shape'), edge('shape', 'respond')],
  },
  testCases: [{
    name: 'answers the summary with the model and token count',
    input: [request],
    recorded: { Summarize: [{ ...request, response: summary, ai: usage }] },
    expect: [{ node: 'Reply', equals: [{ summary, model: 'gpt-4o-mini', tokens: 86 }] }],
  }],
})
