import { z } from 'zod'
import { labelledEnum } from '../params'
import type { PortDef } from '../../engine/types'
import type { NodeType } from '../define'
import { conditionSchema } from '../conditions'

export const switchRuleSchema = conditionSchema.extend({
  label: z.string().max(100).optional().describe('Name shown on the output'),
})
export type SwitchRule = z.infer<typeof switchRuleSchema>

export const switchParams = z.object({
  mode: labelledEnum({ rules: 'Rules (one output per rule)', expression: 'Expression (picks the output number)' }).default('rules').describe('rules: one output per rule. expression: an expression picks the output index'),
  rules: z.array(switchRuleSchema).max(50).default([]).describe('rules mode: each rule feeds output out0, out1, …'),
  matching: labelledEnum({ firstMatch: 'First matching rule only', allMatches: 'Every matching rule' }).default('firstMatch').describe('rules mode: send an item to the first matching rule only, or to every matching rule'),
  outputIndex: z.unknown().optional().describe('expression mode: output number for the item, e.g. {{ $json.priority }}').meta({ ui: 'expression' }),
  outputCount: z.coerce.number().int().min(1).max(50).default(2).describe('expression mode: number of outputs'),
})
export type SwitchParams = z.infer<typeof switchParams>

export const FALLBACK_PORT = 'fallback'

/** out0…outN-1 (one per rule, or outputCount in expression mode) plus fallback for items nothing matched. */
export function switchOutputs(params: Partial<SwitchParams>): PortDef[] {
  const mode = params.mode ?? 'rules'
  const rules = params.rules ?? []
  const count = mode === 'rules' ? rules.length : Math.max(1, Math.trunc(Number(params.outputCount ?? 2)) || 2)
  const ports: PortDef[] = Array.from({ length: count }, (_, i) => ({
    name: `out${i}`,
    label: mode === 'rules' ? rules[i]?.label || `Rule ${i + 1}` : `Output ${i}`,
  }))
  return [...ports, { name: FALLBACK_PORT, label: 'Fallback' }]
}

export const switchNode: NodeType<SwitchParams> = {
  type: 'switch',
  version: 1,
  label: 'Switch',
  description: 'Routes each item to one of several outputs by rules or by a computed output number; unmatched items go to fallback.',
  icon: 'Route',
  category: 'flow',
  outputSample: { passesInput: true },
  docs: {
    description: [
      'Routes each item by rules (one output per rule, first match or every match) or by an expression giving the output number. Items no rule matches, or whose number is out of range, go to "fallback".',
      '',
      'The outputs depend on the parameters: one per rule (or `outputCount` in expression mode), plus `fallback`.',
      '',
      '- `rules`: rows of `{ left, operator, right, label? }`; rule *i* feeds output `out<i>`, labelled with `label` or "Rule *i+1*".',
      '- `matching`: with `allMatches` an item that matches several rules is copied to each of their outputs.',
      '- `outputIndex`: a whole number (or numeric text); out of range or empty → `fallback`; anything else fails the step naming the item.',
    ].join('\n'),
    examples: [
      {
        title: 'Route by country',
        params: { rules: [{ left: '{{ $json.country }}', operator: 'equals', right: 'FR' }, { left: '{{ $json.country }}', operator: 'equals', right: 'DE' }] },
        input: [{ country: 'DE' }, { country: 'US' }],
        output: { out0: [], out1: [{ country: 'DE' }], fallback: [{ country: 'US' }] },
      },
    ],
  },
  params: switchParams,
  inputs: [{ name: 'main' }],
  outputs: switchOutputs,
  mode: 'batch',
  load: () => import('./execute'),
}
