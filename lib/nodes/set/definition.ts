import { z } from 'zod'
import type { NodeType } from '../define'

export const SET_FIELD_TYPES = ['auto', 'string', 'number', 'boolean', 'json'] as const

export const setFieldSchema = z.object({
  name: z.string().min(1, 'Name the field').describe('Field path, e.g. "total" or "customer.address.city"'),
  value: z.unknown().optional().describe('Value, usually an expression such as {{ $json.price * 2 }}').meta({ ui: 'expression' }),
  type: z.enum(SET_FIELD_TYPES).meta({ optionLabels: { auto: 'As resolved', string: 'Text', number: 'Number', boolean: 'Yes/no (boolean)', json: 'JSON' } }).default('auto').describe('auto keeps the value as resolved; the others convert it'),
})
export type SetField = z.infer<typeof setFieldSchema>

export const setParams = z.object({
  fields: z.array(setFieldSchema).default([]).describe('Fields to set on every item'),
  keepOtherFields: z.boolean().default(true).describe('Keep the fields the item already had (off: output only the fields above)'),
})
export type SetParams = z.infer<typeof setParams>

export const setNode: NodeType<SetParams> = {
  type: 'set',
  version: 1,
  label: 'Set fields',
  description: 'Adds or replaces fields on every item, with type conversion.',
  icon: 'PenLine',
  category: 'data',
  docs: {
    description: [
      'Sets fields on every item from values or expressions (dotted paths create nested objects), optionally converting their type. With keepOtherFields off, items carry only the fields set here. The input items are never modified.',
      '',
      'A field\'s `name` is a path: `total`, `customer.address.city`, `lines[0].sku`; missing objects and arrays are',
      'created, and `__proto__`, `prototype` and `constructor` are refused with `RESERVED_KEY`.',
      '',
      '`type`: `auto` keeps the resolved value as it is; `string` (objects become JSON text, empty for null);',
      '`number` (`" 3.5 "` → `3.5`; anything else fails naming the field and item); `boolean` (`true/1/yes/on`,',
      '`false/0/no/off/""`); `json` (parses text, keeps other values).',
    ].join('\n'),
    examples: [
      {
        title: 'Compute a total',
        params: { fields: [{ name: 'total', value: '{{ $json.price * $json.qty }}' }] },
        input: [{ price: 2.5, qty: 4 }],
        output: { main: [{ price: 2.5, qty: 4, total: 10 }] },
      },
      {
        title: 'Keep only a renamed field',
        params: { fields: [{ name: 'customer.email', value: '{{ $json.email }}' }], keepOtherFields: false },
        input: [{ email: 'a@b.c', password: 'x' }],
        output: { main: [{ customer: { email: 'a@b.c' } }] },
      },
    ],
  },
  params: setParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  outputSample: { passesInput: true, fieldsFrom: 'fields' },
  mode: 'batch',
  load: () => import('./execute'),
}
