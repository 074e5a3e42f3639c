import { aiUsage, edge, firstVersion, modelParam, node, slot } from './build'

const message = (type: string, text: string | null) => ({
  event: 'message', from: '+14155550123', waId: '14155550123', name: 'Ada', type, text, reply: null, media: null, location: null,
  messageId: 'wamid.HBgLMTQxNTU1NTAxMjMVAgASGBQzQUVC', timestamp: '2026-11-30T12:00:00.000Z', phoneNumberId: '106540352242922',
})
const question = message('text', 'Hi! Do you deliver on Saturdays?')
const usage = aiUsage('gpt-4o-mini', 118, 31, 0.00003, 640)
const answer = 'Yes, we deliver on Saturdays between 9 am and 2 pm. Orders placed by Friday 6 pm arrive the next day.'
const sent = { messageId: 'cm9msg', wamid: 'wamid.HBgLMTQxNTU1NTAxMjMVAgARGBI5QUVC', status: 'accepted', to: '+14155550123' }

export const whatsappSupportBot = firstVersion('whatsapp-support-bot', {
  name: 'WhatsApp support bot answered by an LLM',
  description: 'Customers write to your WhatsApp Business number and a language model answers them in the chat, with your instructions and facts about your business. Messages that are not text (photos, voice notes, locations) get a polite note that a person will look at them.',
  category: 'messaging',
  tags: ['whatsapp', 'ai', 'llm', 'support', 'chatbot'],
  parameters: [
    modelParam,
    { name: 'company', label: 'Business name', type: 'string', default: 'Acme Bakery', required: true },
    { name: 'facts', label: 'What the bot may tell customers', type: 'string', default: 'We deliver Monday to Saturday. Opening hours: 7 am to 6 pm. Orders: acme.example.com.', required: true },
  ],
  credentials: [{ ref: 'credential-1', kinds: ['whatsapp'], label: 'WhatsApp Business number' }],
  graph: {
    nodes: [
      node('inbound', 'whatsapp-trigger', 'Customer message', { credential: slot('credential-1') }, 0),
      node('isText', 'if', 'Text?', { conditions: [{ left: '{{ $json.type }}', operator: 'equals', right: 'text' }] }, 1),
      node('llm', 'llm-chat', 'Answer', {
        model: '{{ $param.model }}',
        systemMessage: 'You answer WhatsApp messages for {{ $param.company }}. Facts you may use: {{ $param.facts }} Keep answers under 600 characters, friendly, and say so when you do not know.',
        userMessage: '{{ $json.name }} writes: {{ $json.text }}',
        temperature: 0.3,
        stream: false,
      }, 2, -0.5),
      node('reply', 'whatsapp-send', 'Reply', { credential: slot('credential-1'), to: '{{ $json.from }}', type: 'text', text: '{{ $json.response }}' }, 3, -0.5),
      node('note', 'whatsapp-send', 'Hand over to a person', { credential: slot('credential-1'), to: '{{ $json.from }}', type: 'text', text: 'Thanks! A member of our team will look at this and get back to you.' }, 2, 0.5),
    ],
    edges: [edge('inbound', 'isText'), edge('isText', 'llm', 'true'), edge('llm', 'reply'), edge('isText', 'note', 'false')],
  },
  testCases: [
    {
      name: 'a text question is answered by the model',
      input: [question],
      recorded: {
        Answer: [{ ...question, response: answer, ai: usage }],
        Reply: [{ ...question, response: answer, ai: usage, whatsapp: sent }],
        'Hand over to a person': [],
      },
      expect: [
        { node: 'Text?', port: 'true', equals: [question] },
        { node: 'Text?', port: 'false', equals: [] },
      ],
    },
    {
      name: 'a photo is handed over to a person',
      input: [message('image', null)],
      recorded: { Answer: [], Reply: [], 'Hand over to a person': [{ ...message('image', null), whatsapp: sent }] },
      expect: [{ node: 'Text?', port: 'false', equals: [message('image', null)] }],
    },
  ],
})
