import { z } from 'zod'
import type { PortDef } from '../../engine/types'
import type { NodeType } from '../define'
import { aiModelParam } from '../llm-chat/definition'

export const classifyParams = z.object({
  model: aiModelParam(),
  text: z.string().min(1, 'Give the text to classify').describe('e.g. {{ $json.body }}').meta({ ui: 'expression' }),
  categories: z
    .array(z.object({ name: z.string().trim().min(1, 'Name the category').describe('The category name the model answers with'), description: z.string().default('').describe('When to choose it') }))
    .min(2, 'Add at least two categories')
    .max(30)
    .describe('Each category feeds its own output (out0, out1, …); items that fit none go to "other"'),
  instructions: z.string().default('').describe('Extra guidance for the model').meta({ ui: 'textarea' }),
  outputField: z.string().min(1).default('category').describe('Field to write the chosen category to'),
})
export type ClassifyParams = z.infer<typeof classifyParams>

export const OTHER_PORT = 'other'

export function classifyOutputs(p: Partial<ClassifyParams>): PortDef[] {
  return [...(p.categories ?? []).map((c, i) => ({ name: `out${i}`, label: c.name || `Category ${i + 1}` })), { name: OTHER_PORT, label: 'Other' }]
}

export const classify: NodeType<ClassifyParams, 'ai'> = {
  type: 'classify',
  version: 1,
  label: 'Classify',
  description: 'Sorts each item into one of your categories with a language model, one output per category.',
  icon: 'Tags',
  category: 'ai',
  docs: {
    description: 'Asks a model which of your categories each item belongs to (the answer is constrained to the category names) and sends the item to that category\'s output; items that fit none go to "other".',
    examples: [
      {
        title: 'Triage support mail',
        params: { model: 'default', text: '{{ $json.body }}', categories: [{ name: 'billing' }, { name: 'bug' }] },
        input: [{ body: 'I was charged twice this month.' }],
        output: { out0: [{ body: 'I was charged twice this month.', category: 'billing', confidence: 0.93, ai: { deployment: 'default', model: 'gpt-4o-mini', inputTokens: 58, outputTokens: 9, costUsd: 0.00001, latencyMs: 410, fallbackIndex: 0 } }], out1: [], other: [] },
      },
    ],
  },
  params: classifyParams,
  inputs: [{ name: 'main' }],
  outputs: classifyOutputs,
  sideEffects: true, // model calls cost tokens (and an agent's tools act)
  services: ['ai'],
  load: () => import('./execute'),
}
