import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'
import { aiModelParam } from '../llm-chat/definition'

export const extractFieldSchema = z.object({
  name: z.string().trim().min(1, 'Name the field').regex(/^[A-Za-z_][\w]*$/, 'letters, digits and _ only').describe('Name of the field in the result (letters, digits and _)'),
  type: labelledEnum({ string: 'Text', number: 'Number', integer: 'Whole number', boolean: 'Yes/no (boolean)', array: 'List', object: 'Object' }).default('string').describe('JSON type the value must have'),
  description: z.string().default('').describe('What to extract, e.g. "the invoice total in EUR"'),
  required: z.boolean().default(false).describe('Off: null when the text does not say'),
})
export type ExtractField = z.infer<typeof extractFieldSchema>

export const extractParams = z.object({
  model: aiModelParam(),
  text: z.string().min(1, 'Give the text to extract from').describe('The text to read, e.g. {{ $json.body }}').meta({ ui: 'expression' }),
  fields: z.array(extractFieldSchema).min(1, 'Add at least one field').max(100).describe('The fields to extract (up to 100); they become a JSON Schema the answer is validated against'),
  instructions: z.string().default('').describe('Extra guidance for the model, e.g. date formats or what to do when a value is missing').meta({ ui: 'textarea' }),
  outputField: z.string().min(1).default('extracted').describe('Field to write the extracted object to'),
})
export type ExtractParams = z.infer<typeof extractParams>

export const extract: NodeType<ExtractParams, 'ai'> = {
  type: 'extract',
  version: 1,
  label: 'Extract',
  description: 'Pulls structured fields out of free text with a language model; the result is validated against the fields.',
  icon: 'ScanText',
  category: 'ai',
  docs: {
    description: 'Turns free text into the fields you list: they become a JSON Schema the model must answer with, and the answer is validated against it. Fields that are not required come back null when the text does not say.',
    examples: [
      {
        title: 'Read an invoice',
        params: { model: 'default', text: '{{ $json.text }}', fields: [{ name: 'total', type: 'number', required: true }, { name: 'customer' }] },
        input: [{ text: 'Invoice 12, total 12.50 EUR' }],
        output: { main: [{ text: 'Invoice 12, total 12.50 EUR', extracted: { total: 12.5, customer: null }, ai: { deployment: 'default', model: 'gpt-4o-mini', inputTokens: 58, outputTokens: 9, costUsd: 0.00001, latencyMs: 410, fallbackIndex: 0 } }] },
      },
    ],
  },
  params: extractParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  sideEffects: true, // model calls cost tokens (and an agent's tools act)
  services: ['ai'],
  load: () => import('./execute'),
}
