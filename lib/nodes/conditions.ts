// Comparison operators shared by If and Switch. Browser-safe (the regex test is injected: on the server
// it runs inside the sandbox, so a catastrophic pattern cannot stall the worker).
import { z } from 'zod'
import { labelledEnum } from './params'

export const OPERATORS = [
  'equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'endsWith',
  'gt', 'gte', 'lt', 'lte', 'isEmpty', 'isNotEmpty', 'isTrue', 'isFalse', 'regex', 'exists',
] as const
export type Operator = (typeof OPERATORS)[number]

/** What the inspector and the node reference show for each operator: "value is greater than …". */
export const OPERATOR_LABELS: Record<Operator, string> = {
  equals: 'is equal to',
  notEquals: 'is not equal to',
  contains: 'contains',
  notContains: 'does not contain',
  startsWith: 'starts with',
  endsWith: 'ends with',
  gt: 'is greater than',
  gte: 'is greater than or equal to',
  lt: 'is less than',
  lte: 'is less than or equal to',
  isEmpty: 'is empty',
  isNotEmpty: 'is not empty',
  isTrue: 'is true',
  isFalse: 'is false',
  regex: 'matches the regular expression',
  exists: 'exists',
}

/** Operators that ignore `right`. */
export const UNARY_OPERATORS: ReadonlySet<Operator> = new Set(['isEmpty', 'isNotEmpty', 'isTrue', 'isFalse', 'exists'])

export const conditionSchema = z.object({
  left: z.unknown().describe('Value to test, usually an expression such as {{ $json.status }}').meta({ ui: 'expression' }),
  operator: z.enum(OPERATORS).default('equals').describe('Comparison').meta({ optionLabels: OPERATOR_LABELS }),
  right: z.unknown().optional().describe('Value to compare with (ignored by is empty, is not empty, is true, is false and exists)').meta({ ui: 'expression' }),
})
export type Condition = z.infer<typeof conditionSchema>

/** How a list of conditions combines (If, Filter, Event trigger). */
export const combineParam = () =>
  labelledEnum({ all: 'All conditions match (AND)', any: 'Any condition matches (OR)' }).default('all').describe('AND: every condition must hold. OR: one is enough')

export type RegexTester = (pattern: string, flags: string, value: string) => Promise<boolean>

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && v.trim() !== '') return Number(v)
  return Number.NaN
}

function toDate(v: unknown): number {
  return typeof v === 'string' && ISO_DATE.test(v.trim()) ? Date.parse(v.trim()) : Number.NaN
}

/** JSON with object keys sorted, so two objects that differ only in key order give the same text. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`
  }
  return JSON.stringify(v) ?? 'undefined'
}

const asBoolean = (v: unknown): boolean | undefined => {
  if (typeof v === 'boolean') return v
  if (v === 1 || v === '1' || (typeof v === 'string' && v.trim().toLowerCase() === 'true')) return true
  if (v === 0 || v === '0' || (typeof v === 'string' && v.trim().toLowerCase() === 'false')) return false
  return undefined
}

/** Loose equality with documented coercions: numbers vs numeric strings, booleans vs "true"/"false", deep objects. */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return a == null && b == null
  if (typeof a === 'number' || typeof b === 'number') {
    const na = toNumber(a)
    const nb = toNumber(b)
    if (!Number.isNaN(na) && !Number.isNaN(nb)) return na === nb
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    const ba = asBoolean(a)
    const bb = asBoolean(b)
    if (ba !== undefined && bb !== undefined) return ba === bb
  }
  if (typeof a === 'object' || typeof b === 'object') return stableStringify(a) === stableStringify(b)
  return a === b
}

/** -1/0/1, or undefined when the two values cannot be ordered. Numbers, then ISO dates, then strings. */
export function compareValues(a: unknown, b: unknown): number | undefined {
  const na = toNumber(a)
  const nb = toNumber(b)
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return Math.sign(na - nb)
  const da = toDate(a)
  const db = toDate(b)
  if (!Number.isNaN(da) && !Number.isNaN(db)) return Math.sign(da - db)
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  return undefined
}

function isEmpty(v: unknown): boolean {
  if (v == null) return true
  if (typeof v === 'string') return v.trim() === ''
  if (Array.isArray(v)) return v.length === 0
  if (typeof v === 'object') return Object.keys(v).length === 0
  return false
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (needle === undefined) return false
  if (typeof haystack === 'string' || typeof haystack === 'number') return String(haystack).includes(String(needle))
  if (Array.isArray(haystack)) return haystack.some((x) => looseEquals(x, needle))
  if (haystack && typeof haystack === 'object') return Object.hasOwn(haystack, String(needle))
  return false
}

const isText = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number'

/** `/pattern/flags` or a bare pattern. */
export function splitRegex(source: string): { pattern: string; flags: string } {
  const m = /^\/(.*)\/([dgimsuvy]*)$/s.exec(source)
  return m ? { pattern: m[1], flags: m[2].replace(/g|y/g, '') } : { pattern: source, flags: '' }
}

export async function evaluateCondition(c: Condition, testRegex: RegexTester): Promise<boolean> {
  const { left, right } = c
  switch (c.operator) {
    case 'equals': return looseEquals(left, right)
    case 'notEquals': return !looseEquals(left, right)
    case 'contains': return contains(left, right)
    case 'notContains': return !contains(left, right)
    case 'startsWith': return isText(left) && right != null && String(left).startsWith(String(right))
    case 'endsWith': return isText(left) && right != null && String(left).endsWith(String(right))
    case 'gt': { const r = compareValues(left, right); return r !== undefined && r > 0 }
    case 'gte': { const r = compareValues(left, right); return r !== undefined && r >= 0 }
    case 'lt': { const r = compareValues(left, right); return r !== undefined && r < 0 }
    case 'lte': { const r = compareValues(left, right); return r !== undefined && r <= 0 }
    case 'isEmpty': return isEmpty(left)
    case 'isNotEmpty': return !isEmpty(left)
    case 'isTrue': return asBoolean(left) === true
    case 'isFalse': return asBoolean(left) === false
    case 'exists': return left !== undefined && left !== null
    case 'regex': {
      if (!isText(left) || right == null) return false
      const { pattern, flags } = splitRegex(String(right))
      return testRegex(pattern, flags, String(left))
    }
  }
}

export async function evaluateConditions(conditions: Condition[], combine: 'all' | 'any', testRegex: RegexTester): Promise<boolean> {
  for (const c of conditions) {
    const hit = await evaluateCondition(c, testRegex)
    if (combine === 'any' && hit) return true
    if (combine === 'all' && !hit) return false
  }
  return combine === 'all'
}
