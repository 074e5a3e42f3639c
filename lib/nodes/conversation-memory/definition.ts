import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const conversationMemoryParams = z.object({
  operation: labelledEnum({ load: 'Load the history', save: 'Save this turn', clear: 'Clear the session' }).default('load').describe('load: read the history; save: append this turn; clear: forget the session'),
  sessionKey: z.string().trim().min(1, 'Give a session key, e.g. {{ $json.chatId }}').describe('Which conversation, e.g. {{ $json.chatId }}').meta({ ui: 'expression' }),
  userMessage: z.string().default('').describe('save: the user turn to append').meta({ ui: 'expression' }),
  assistantMessage: z.string().default('').describe('save: the assistant turn to append').meta({ ui: 'expression' }),
  strategy: labelledEnum({ window: 'Keep the last messages', summary: 'Summarise older messages' }).default('window').describe('window: keep the last N messages; summary: fold older ones into a summary'),
  windowSize: z.number().int().min(1).max(500).default(20).describe('Messages kept verbatim'),
  summaryModel: z.string().default('').describe('summary strategy: deployment or route that writes the summary').meta({ ui: 'aiModel' }),
  outputField: z.string().min(1).default('history').describe('Field to write the history to (feed it to LLM Chat or Agent)'),
})
export type ConversationMemoryParams = z.infer<typeof conversationMemoryParams>

export const conversationMemory: NodeType<ConversationMemoryParams, 'ai' | 'aiMemory'> = {
  type: 'conversation-memory',
  version: 1,
  label: 'Conversation memory',
  description: 'Keeps chat history per session key in PostgreSQL (windowed or summarised) for LLM Chat and Agent nodes.',
  icon: 'History',
  category: 'ai',
  docs: {
    description: 'Loads, saves or clears chat history per session key in PostgreSQL. The window strategy keeps the last N messages; summary folds older ones into a running summary written by summaryModel. Feed `history` to an LLM Chat or Agent node.',
    examples: [
      {
        title: 'Load the history of a chat',
        params: { operation: 'load', sessionKey: '{{ $json.chatId }}' },
        input: [{ chatId: 'c1' }],
        output: { main: [{ chatId: 'c1', history: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }], summary: '' }] },
      },
    ],
  },
  params: conversationMemoryParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['ai', 'aiMemory'],
  load: () => import('./execute'),
}
