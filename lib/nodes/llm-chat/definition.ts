import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const aiModelParam = () =>
  z.string().trim().min(1, 'Choose a model deployment or route').describe('Deployment or route name from the model registry').meta({ ui: 'aiModel' })

export const llmChatParams = z.object({
  model: aiModelParam(),
  systemMessage: z.string().default('').describe('Instructions for the model; expressions allowed').meta({ ui: 'textarea' }),
  userMessage: z.string().min(1, 'Write the user message').describe('The prompt, e.g. "Summarise: {{ $json.text }}"').meta({ ui: 'textarea' }),
  history: z.unknown().optional().describe('Earlier messages, e.g. {{ $json.history }} from Conversation Memory').meta({ ui: 'expression' }),
  temperature: z.number().min(0).max(2).optional().describe('0 = focused, higher = more varied'),
  maxTokens: z.number().int().positive().max(200_000).optional().describe('Upper bound on the answer length (also sizes the budget check)'),
  outputFormat: labelledEnum({ text: 'Text', json: 'JSON' }).default('text').describe('json: the answer is parsed (and validated against the schema)'),
  jsonSchema: z.unknown().optional().describe('JSON Schema the answer must match (json format only)').meta({ ui: 'json' }),
  outputField: z.string().min(1).default('response').describe('Field to write the answer to'),
  stream: z.boolean().default(true).describe('Stream tokens to the live run view'),
})
export type LlmChatParams = z.infer<typeof llmChatParams>

export const llmChat: NodeType<LlmChatParams, 'ai'> = {
  type: 'llm-chat',
  version: 1,
  label: 'LLM Chat',
  description: 'Asks a language model through the AI router (failover, budgets, usage ledger); text or validated JSON.',
  icon: 'MessageSquare',
  category: 'ai',
  docs: {
    description: 'Sends a system and user message (with optional history) to a deployment or route of the model registry through the AI router, with failover, budgets and the usage ledger. The answer is text, or JSON validated against a schema; tokens stream to the live run view.',
    examples: [
      {
        title: 'Summarise a ticket',
        params: { model: 'default', userMessage: 'Summarise in one line: {{ $json.text }}', stream: false },
        input: [{ text: 'The invoice PDF will not open on my phone.' }],
        output: { main: [{ text: 'The invoice PDF will not open on my phone.', response: 'Customer cannot open the invoice PDF on mobile.', ai: { deployment: 'default', model: 'gpt-4o-mini', inputTokens: 31, outputTokens: 12, costUsd: 0.00001, latencyMs: 640, fallbackIndex: 0 } }] },
      },
    ],
  },
  params: llmChatParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  sideEffects: true, // model calls cost tokens (and an agent's tools act)
  services: ['ai'],
  load: () => import('./execute'),
}
