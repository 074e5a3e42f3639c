// n8n's two condition shapes → our Condition list (lib/nodes/conditions.ts), shared by If, Filter and Switch.
// Old nodes (If v1, Switch v1–v2): lists per data type, `{ value1, operation, value2 }`. Newer ones (If v2, Filter,
// Switch v3): the filter component, `{ conditions: [{ leftValue, rightValue, operator: { type, operation } }],
// combinator, options }`.
import type { Condition, Operator } from '../../../nodes/conditions'
import type { NodeContext } from '../context'

const OLD_OPERATIONS: Record<string, Operator> = {
  equal: 'equals',
  notEqual: 'notEquals',
  contains: 'contains',
  notContains: 'notContains',
  startsWith: 'startsWith',
  endsWith: 'endsWith',
  isEmpty: 'isEmpty',
  isNotEmpty: 'isNotEmpty',
  regex: 'regex',
  smaller: 'lt',
  smallerEqual: 'lte',
  larger: 'gt',
  largerEqual: 'gte',
  after: 'gt',
  before: 'lt',
}

/** n8n's default operation and operand per old data type. */
export const OLD_DEFAULTS: Record<string, { operation: string; value: unknown }> = {
  string: { operation: 'equal', value: '' },
  number: { operation: 'smaller', value: 0 },
  boolean: { operation: 'equal', value: false },
  dateTime: { operation: 'after', value: '' },
}

const NEW_OPERATIONS: Record<string, Operator> = {
  equals: 'equals',
  notEquals: 'notEquals',
  contains: 'contains',
  notContains: 'notContains',
  startsWith: 'startsWith',
  endsWith: 'endsWith',
  regex: 'regex',
  exists: 'exists',
  empty: 'isEmpty',
  notEmpty: 'isNotEmpty',
  gt: 'gt',
  lt: 'lt',
  gte: 'gte',
  lte: 'lte',
  after: 'gt',
  before: 'lt',
  afterOrEquals: 'gte',
  beforeOrEquals: 'lte',
  true: 'isTrue',
  false: 'isFalse',
}

const UNARY: ReadonlySet<Operator> = new Set(['isEmpty', 'isNotEmpty', 'isTrue', 'isFalse', 'exists'])

function condition(left: unknown, operator: Operator, right: unknown): Condition {
  return UNARY.has(operator) ? { left, operator } : { left, operator, right }
}

/** One old-style operation (If v1, Switch v1–v2): our operator, or undefined (reported by the caller). */
export function oldOperator(operation: string): Operator | undefined {
  return Object.hasOwn(OLD_OPERATIONS, operation) ? OLD_OPERATIONS[operation] : undefined
}

/** If v1's `conditions.{string,number,boolean,dateTime}[]`; unmappable conditions are reported and left out. */
export function mapOldConditions(ctx: NodeContext, path: string): Condition[] {
  const out: Condition[] = []
  for (const dataType of ['string', 'number', 'boolean', 'dateTime']) {
    for (const { item, path: p } of ctx.list(`${path}.${dataType}`)) {
      const operation = typeof item.operation === 'string' ? item.operation : OLD_DEFAULTS[dataType].operation
      const operator = oldOperator(operation)
      if (!operator) {
        ctx.unmapped(p, `the ${dataType} operation "${operation}" has no equivalent here; the condition was left out`)
        continue
      }
      ctx.raw(p)
      const fallback = OLD_DEFAULTS[dataType].value
      out.push(condition(ctx.value(`${p}.value1`, fallback), operator, ctx.value(`${p}.value2`, fallback)))
    }
  }
  return out
}

/** The filter component at `path`: conditions and how they combine; unmappable ones are reported and left out. */
export function mapFilter(ctx: NodeContext, path: string): { conditions: Condition[]; combine: 'all' | 'any' } {
  const combinator = ctx.raw(`${path}.combinator`)
  if (ctx.peek(`${path}.options.caseSensitive`) === false) ctx.unmapped(`${path}.options.caseSensitive`, 'case-insensitive comparison has no equivalent here: conditions compare case-sensitively')
  if (ctx.peek(`${path}.options.typeValidation`) === 'loose') ctx.note('loose type validation: our comparisons already convert numbers and booleans written as text')
  ctx.raw(`${path}.options`)
  const conditions: Condition[] = []
  for (const { item, path: p } of ctx.list(`${path}.conditions`)) {
    const op = (item.operator ?? {}) as { type?: unknown; operation?: unknown }
    const type = String(op.type ?? 'string')
    const operation = String(op.operation ?? 'equals')
    const arrayOk = type !== 'array' || ['contains', 'notContains', 'empty', 'notEmpty', 'exists'].includes(operation)
    const operator = arrayOk && Object.hasOwn(NEW_OPERATIONS, operation) ? NEW_OPERATIONS[operation] : undefined
    if (!operator) {
      ctx.unmapped(`${p}.operator`, `the ${type} operation "${operation}" has no equivalent here; the condition was left out`)
      ctx.raw(p)
      continue
    }
    ctx.raw(p)
    conditions.push(condition(ctx.value(`${p}.leftValue`, ''), operator, ctx.value(`${p}.rightValue`, '')))
  }
  return { conditions, combine: combinator === 'or' ? 'any' : 'all' }
}

/** Node-level options of If v2 / Filter v2 that our comparisons cannot honour. */
export function reportComparisonOptions(ctx: NodeContext): void {
  if (ctx.peek('options.ignoreCase') === true) ctx.unmapped('options.ignoreCase', 'case-insensitive comparison has no equivalent here: conditions compare case-sensitively')
  // If v2 / Filter v2 hold it at the top, older minor versions under options.
  for (const path of ['looseTypeValidation', 'options.looseTypeValidation']) {
    if (ctx.raw(path) === true) ctx.note('loose type validation: our comparisons already convert numbers and booleans written as text')
  }
}
