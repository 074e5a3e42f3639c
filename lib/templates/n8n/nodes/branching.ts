// If (v1 typed lists, v2 filter conditions), Filter (v1, v2) and Switch (v1–v2 rules and expression, v3 rules with
// filter conditions and fallback output) → if, filter, switch.
import type { Condition } from '../../../nodes/conditions'
import type { SwitchRule } from '../../../nodes/switch/definition'
import type { NodeContext, NodeMapper } from '../context'
import { mapFilter, mapOldConditions, OLD_DEFAULTS, oldOperator, reportComparisonOptions } from './conditions'

function conditionsOf(ctx: NodeContext): { conditions: Condition[]; combine: 'all' | 'any' } {
  const filterShape = Array.isArray(ctx.peek('conditions.conditions'))
  if (filterShape) {
    reportComparisonOptions(ctx)
    return mapFilter(ctx, 'conditions')
  }
  const conditions = mapOldConditions(ctx, 'conditions')
  ctx.raw('conditions')
  return { conditions, combine: ctx.raw('combineOperation') === 'any' ? 'any' : 'all' }
}

export const ifMapper: NodeMapper = (ctx) => ({
  type: 'if',
  params: conditionsOf(ctx),
  outputPorts: (i) => (i === 0 ? ['true'] : i === 1 ? ['false'] : []),
  outputCount: 2,
})

export const filterMapper: NodeMapper = (ctx) => ({ type: 'filter', params: { ...conditionsOf(ctx), keepDiscarded: false } })

/** Switch v1–v2 rules: `value1` compared by each rule (`value2`, `operation`) of `dataType`, sent to `output`. */
function oldSwitch(ctx: NodeContext) {
  const dataType = String(ctx.raw('dataType') ?? 'number')
  const left = ctx.value('value1', OLD_DEFAULTS[dataType]?.value ?? '')
  const rules: SwitchRule[] = []
  const outputOfRule: number[] = []
  for (const { item, path } of ctx.list('rules.rules')) {
    ctx.raw(path)
    const operation = typeof item.operation === 'string' ? item.operation : (OLD_DEFAULTS[dataType]?.operation ?? 'equal')
    const operator = oldOperator(operation)
    if (!operator) {
      ctx.unmapped(path, `the ${dataType} operation "${operation}" has no equivalent here; the rule was left out`)
      continue
    }
    rules.push({ left, operator, right: ctx.value(`${path}.value2`, OLD_DEFAULTS[dataType]?.value ?? '') })
    outputOfRule.push(typeof item.output === 'number' ? item.output : 0)
  }
  const fallback = Number(ctx.raw('fallbackOutput') ?? -1)
  return {
    params: { mode: 'rules', rules, matching: 'firstMatch' },
    outputPorts: (i: number) => [...outputOfRule.flatMap((o, r) => (o === i ? [`out${r}`] : [])), ...(fallback === i ? ['fallback'] : [])],
    outputCount: 4,
  }
}

/** Switch v3: one output per rule, each rule a filter (ours: one condition), and an optional fallback output. */
function newSwitch(ctx: NodeContext) {
  const rules: SwitchRule[] = []
  for (const { item, path } of ctx.list('rules.values')) {
    ctx.raw(path)
    const { conditions, combine } = mapFilter(ctx, `${path}.conditions`)
    if (conditions.length > 1) {
      ctx.unmapped(`${path}.conditions`, `a rule here holds one condition: only the first of ${conditions.length} (${combine === 'all' ? 'and' : 'or'}) was kept`)
    }
    const label = typeof item.outputKey === 'string' && item.renameOutput === true ? item.outputKey.slice(0, 100) : undefined
    // A rule whose conditions could not be mapped keeps its output (so the connections stay put) but never matches.
    rules.push({ ...(conditions[0] ?? { left: false, operator: 'isTrue' }), ...(label ? { label } : {}) })
  }
  const fallback = ctx.raw('options.fallbackOutput') ?? 'none'
  const allMatches = ctx.raw('options.allMatchingOutputs') === true
  reportComparisonOptions(ctx)
  return {
    params: { mode: 'rules', rules, matching: allMatches ? 'allMatches' : 'firstMatch' },
    outputPorts: (i: number) => {
      const ports = i < rules.length ? [`out${i}`] : []
      if ((fallback === 'extra' && i === rules.length) || fallback === i) ports.push('fallback')
      return ports
    },
    outputCount: rules.length + (fallback === 'extra' ? 1 : 0),
  }
}

export const switchMapper: NodeMapper = (ctx) => {
  if (ctx.raw('mode') === 'expression') {
    const count = Number(ctx.raw(ctx.version >= 3 ? 'numberOutputs' : 'outputsAmount') ?? 4)
    const outputCount = Number.isInteger(count) && count >= 1 && count <= 50 ? count : 4
    return {
      type: 'switch',
      params: { mode: 'expression', outputIndex: ctx.value('output', 0), outputCount },
      outputPorts: (i) => (i < outputCount ? [`out${i}`] : []),
      outputCount,
    }
  }
  const mapped = ctx.version >= 3 ? newSwitch(ctx) : oldSwitch(ctx)
  return { type: 'switch', ...mapped }
}
