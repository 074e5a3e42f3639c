// Metadata filters → the store's WHERE clause. Filters are built into the query (LanceDB prefilters vector and
// full-text searches with it), never applied to results afterwards, so top-k means top-k of what matches.
// Nothing from the request reaches the SQL unchecked: field names must be fields the collection knows (each is
// a column `m_<name>`, the name a plain identifier), values must have the field's type, strings are quoted with
// '' doubling (the store's parser takes backslashes literally), numbers must be finite.
import { VectorError } from './errors'
import type { FilterCondition, SearchFilter } from './types'

export type FieldType = 'string' | 'number' | 'boolean'
export type Fields = Record<string, FieldType>

/** Metadata keys that become filterable columns: a letter, then letters, digits or `_` (so never `__proto__`). */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/
export const columnOf = (field: string): string => `m_${field}`

const OPERATORS = ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte'] as const
type Operator = (typeof OPERATORS)[number]
const SQL_OP: Record<Exclude<Operator, 'in' | 'ne'>, string> = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' }
const MAX_FIELDS = 32
const MAX_IN = 1000
const MAX_STRING = 2000

const invalid = (field: string, message: string) => new VectorError('VECTOR_FILTER_INVALID', `${field}: ${message}`, { field })
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype

/** A value as an SQL literal of the field's type, or a VECTOR_FILTER_INVALID naming `field`. */
function literal(value: unknown, type: FieldType, field: string): string {
  if (type === 'string') {
    if (typeof value !== 'string') throw invalid(field, `expects a string, got ${describe(value)}`)
    if (value.length > MAX_STRING) throw invalid(field, `is longer than ${MAX_STRING} characters`)
    if (value.includes('\0')) throw invalid(field, 'contains a NUL character')
    return `'${value.replaceAll("'", "''")}'`
  }
  if (type === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, `expects a finite number, got ${describe(value)}`)
    const text = String(value)
    // 1e-7 and 1e+21 are what String() gives for very small and large numbers: cast them rather than rely on the
    // parser reading exponents.
    return /e/i.test(text) ? `CAST('${text}' AS DOUBLE)` : text
  }
  if (typeof value !== 'boolean') throw invalid(field, `expects true or false, got ${describe(value)}`)
  return value ? 'TRUE' : 'FALSE'
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return typeof value === 'string' ? 'a string' : typeof value
}

function compileCondition(column: string, cond: FilterCondition, type: FieldType, field: string): string[] {
  if (!isPlainObject(cond)) return [`${column} = ${literal(cond, type, field)}`]
  const ops = Object.keys(cond)
  if (!ops.length) throw invalid(field, `needs a value or one of ${OPERATORS.join(', ')}`)
  return ops.map((op) => {
    const at = `${field}.${op}`
    if (!(OPERATORS as readonly string[]).includes(op)) throw invalid(at, `unknown operator (use ${OPERATORS.join(', ')})`)
    const value = (cond as Record<string, unknown>)[op]
    if (op === 'in') {
      if (!Array.isArray(value) || value.length === 0) throw invalid(at, 'expects a non-empty list')
      if (value.length > MAX_IN) throw invalid(at, `takes at most ${MAX_IN} values`)
      return `${column} IN (${value.map((v, i) => literal(v, type, `${at}[${i}]`)).join(', ')})`
    }
    // Not equal includes documents without the field: "lang is not en" keeps those with no lang.
    if (op === 'ne') return `(${column} IS NULL OR ${column} <> ${literal(value, type, at)})`
    if (type === 'boolean' && op !== 'eq') throw invalid(at, 'a true/false field takes eq, ne or in')
    return `${column} ${SQL_OP[op as keyof typeof SQL_OP]} ${literal(value, type, at)}`
  })
}

/** The WHERE clause for `filter` over a collection with `fields`; undefined when there is nothing to filter. */
export function compileFilter(filter: SearchFilter | undefined, fields: Fields): string | undefined {
  if (filter === undefined || filter === null) return undefined
  if (!isPlainObject(filter)) throw new VectorError('VECTOR_FILTER_INVALID', 'filter must be an object of field conditions', { field: 'filter' })
  const names = Object.keys(filter)
  if (names.length > MAX_FIELDS) throw new VectorError('VECTOR_FILTER_INVALID', `filter names at most ${MAX_FIELDS} fields`, { field: 'filter' })
  const clauses: string[] = []
  for (const name of names) {
    const field = `filter.${name}`
    const type = FIELD_NAME.test(name) && Object.hasOwn(fields, name) ? fields[name] : undefined
    if (!type) {
      const known = Object.keys(fields).sort()
      throw invalid(field, `unknown field (${known.length ? `filterable: ${known.join(', ')}` : 'this collection has no filterable metadata yet'})`)
    }
    clauses.push(...compileCondition(`\`${columnOf(name)}\``, filter[name] as FilterCondition, type, field))
  }
  return clauses.length ? clauses.map((c) => `(${c})`).join(' AND ') : undefined
}

/** The type a metadata value gives its column (undefined: not filterable: null, nested, or a non-finite number). */
export function fieldTypeOf(value: unknown): FieldType | undefined {
  if (typeof value === 'string') return 'string'
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number' && Number.isFinite(value)) return 'number'
  return undefined
}
