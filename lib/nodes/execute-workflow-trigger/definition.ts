import { z } from 'zod'
import { labelledEnum } from '../params'
import type { Item } from '../../engine/types'
import type { NodeType } from '../define'

export const INPUT_FIELD_TYPES = ['string', 'number', 'boolean', 'object', 'array', 'any'] as const
export type InputFieldType = (typeof INPUT_FIELD_TYPES)[number]

export const inputFieldSchema = z.object({
  name: z.string().trim().min(1, 'Name the field').max(200).describe('The field of each input item, e.g. "email"'),
  type: z.enum(INPUT_FIELD_TYPES).meta({ optionLabels: { string: 'Text', number: 'Number', boolean: 'Yes/no (boolean)', object: 'Object', array: 'List', any: 'Any' } }).default('any').describe('What its value must be (any: whatever it holds)'),
  required: z.boolean().default(false).describe('An item without this field (or with null) is refused'),
})
export type InputField = z.infer<typeof inputFieldSchema>

export const executeWorkflowTriggerParams = z.object({
  inputSource: labelledEnum({ acceptAll: 'Accept all data', schema: 'Check fields' })
    .default('acceptAll')
    .describe('acceptAll: take the caller\'s items as they are. schema: check each item against the fields below'),
  fields: z
    .array(inputFieldSchema)
    .max(100)
    .default([])
    .refine((fields) => new Set(fields.map((f) => f.name)).size === fields.length, 'Each field name may appear once')
    .describe('The input schema: the fields the caller\'s items carry')
    .meta({ ui: { showIf: { inputSource: ['schema'] } } }),
})
export type ExecuteWorkflowTriggerParams = z.infer<typeof executeWorkflowTriggerParams>

/** The JSON type of a value as the schema's types name it. */
function typeOf(value: unknown): Exclude<InputFieldType, 'any'> | 'null' {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  const t = typeof value
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object'
}

/**
 * The first way the caller's items break the input schema ("item 2: field "email" is required"), or null when they
 * fit. Items keep fields the schema does not name. Browser-safe: the host checks before it starts the child run.
 */
export function inputProblem(params: ExecuteWorkflowTriggerParams, items: Item[]): { index: number; field: string; message: string } | null {
  if (params.inputSource !== 'schema') return null
  for (const [index, item] of items.entries()) {
    for (const f of params.fields) {
      const value = (item as Record<string, unknown>)[f.name]
      if (value === undefined || value === null) {
        if (f.required) return { index, field: f.name, message: `item ${index}: field "${f.name}" is required` }
        continue
      }
      const actual = typeOf(value)
      if (f.type !== 'any' && actual !== f.type) return { index, field: f.name, message: `item ${index}: field "${f.name}" must be ${article(f.type)}, got ${article(actual)}` }
    }
  }
  return null
}

const article = (t: string) => (t === 'object' || t === 'array' ? `an ${t}` : `a ${t}`)

export const executeWorkflowTrigger: NodeType<ExecuteWorkflowTriggerParams> = {
  type: 'execute-workflow-trigger',
  version: 1,
  label: 'Execute Workflow Trigger',
  description: 'Starts the workflow when another workflow calls it with an Execute Workflow node; outputs the items it was given.',
  icon: 'LogIn',
  category: 'trigger',
  docs: {
    description: [
      'Makes the workflow a sub-workflow: an **Execute Workflow** node in another workflow (or in this one) starts it here',
      'and hands over its items, which this node outputs unchanged. Callers run its published version (publish it) or its',
      'newest saved version, as their `version` param says; it listens for nothing while active.',
      '',
      'With `inputSource: schema` the caller\'s items are checked against `fields` before the run starts: a missing',
      'required field (absent or null) or a value of the wrong type fails the child run, and so the calling step, with an',
      'error naming the item index and the field, e.g. `item 2: field "email" must be a string, got a number`. Fields the',
      'schema does not name pass through. Types: string, number, boolean, object, array, any.',
    ].join('\n'),
    examples: [
      {
        title: 'Accept whatever the caller sends',
        input: [{ orderId: 7 }],
        output: { main: [{ orderId: 7 }] },
      },
      {
        title: 'Require an email and an optional count',
        params: { inputSource: 'schema', fields: [{ name: 'email', type: 'string', required: true }, { name: 'count', type: 'number' }] },
        input: [{ email: 'ada@example.com', count: 2 }],
        output: { main: [{ email: 'ada@example.com', count: 2 }] },
      },
    ],
  },
  trigger: { kind: 'subworkflow' },
  params: executeWorkflowTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
