// SQL statements for the structured operations, built from checked identifiers and bound values only: a table or
// column name is validated against a strict pattern, then quoted by the driver; every value is a placeholder.
import { NodeError, type Item } from '../engine/types'
import type { SqlParams, WhereCondition } from './sql-params'

export interface Dialect {
  /** The driver's identifier quoting (pg `escapeIdentifier`, mysql2 `escapeId`). */
  quoteId(name: string): string
  /** Placeholder for the n-th bound value (1-based). */
  placeholder(n: number): string
  /** `INSERT … ON CONFLICT …` / `… ON DUPLICATE KEY UPDATE …` tail for an upsert. */
  upsertTail(columns: string[], matchColumns: string[]): string
  /** ` RETURNING *` where the server supports it. */
  returning: string
}

export interface Statement {
  sql: string
  values: unknown[]
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/

/** A column or table name as SQL, or SQL_INVALID_IDENTIFIER naming the param it came from. */
export function identifier(d: Dialect, name: string, field: string, dotted = false): string {
  const parts = dotted ? name.split('.') : [name]
  if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) {
    throw new NodeError(
      `Invalid identifier ${JSON.stringify(name)} in ${field}: table and column names may hold only letters, digits, _ and $ and may not start with a digit${dotted ? ' ("schema.table" is allowed)' : ''}`,
      { code: 'SQL_INVALID_IDENTIFIER', field },
    )
  }
  return parts.map((p) => d.quoteId(p)).join('.')
}

/** Bound values: objects and arrays go as JSON text, the rest as they are. */
export function bindable(value: unknown): unknown {
  if (value === undefined) return null
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) return JSON.stringify(value)
  return value
}

class Binder {
  readonly values: unknown[] = []
  constructor(private readonly d: Dialect) {}
  bind(value: unknown): string {
    this.values.push(bindable(value))
    return this.d.placeholder(this.values.length)
  }
}

function whereClause(d: Dialect, b: Binder, where: WhereCondition[], combine: 'and' | 'or'): string {
  if (where.length === 0) return ''
  const parts = where.map((c) => {
    const col = identifier(d, c.column, 'where')
    if (c.operator === 'isNull') return `${col} IS NULL`
    if (c.operator === 'isNotNull') return `${col} IS NOT NULL`
    return `${col} ${c.operator === 'like' ? 'LIKE' : c.operator} ${b.bind(c.value)}`
  })
  return ` WHERE ${parts.join(combine === 'or' ? ' OR ' : ' AND ')}`
}

export function selectStatement(d: Dialect, p: SqlParams): Statement {
  const b = new Binder(d)
  const table = identifier(d, requireTable(p), 'table', true)
  const cols = p.columns.length ? p.columns.map((c) => identifier(d, c, 'columns')).join(', ') : '*'
  const order = p.sort.length ? ` ORDER BY ${p.sort.map((s) => `${identifier(d, s.column, 'sort')} ${s.direction === 'desc' ? 'DESC' : 'ASC'}`).join(', ')}` : ''
  const where = whereClause(d, b, p.where, p.combineConditions)
  // A whole number checked by the params schema: written as a literal (MySQL's prepared LIMIT ? is picky about types).
  const limit = p.limit > 0 ? ` LIMIT ${Math.trunc(p.limit)}` : ''
  return { sql: `SELECT ${cols} FROM ${table}${where}${order}${limit}`, values: b.values }
}

export function deleteStatement(d: Dialect, p: SqlParams): Statement {
  const b = new Binder(d)
  const table = identifier(d, requireTable(p), 'table', true)
  return { sql: `DELETE FROM ${table}${whereClause(d, b, p.where, p.combineConditions)}${d.returning}`, values: b.values }
}

/** The item's fields to write: every top-level field (auto) or the listed columns (missing ones are NULL). */
export function rowOf(item: Item, p: SqlParams): [string, unknown][] {
  const names = p.columnMode === 'list' ? p.columns : Object.keys(item)
  if (names.length === 0) throw new NodeError('No columns to write: the item has no fields and no columns are listed', { code: 'SQL_NO_COLUMNS', field: 'columns' })
  return names.map((n) => [n, item[n]])
}

export function insertStatement(d: Dialect, p: SqlParams, item: Item, upsert = false): Statement {
  const b = new Binder(d)
  const table = identifier(d, requireTable(p), 'table', true)
  const row = rowOf(item, p)
  const field = p.columnMode === 'list' ? 'columns' : 'item field'
  const cols = row.map(([n]) => identifier(d, n, field))
  const vals = row.map(([, v]) => b.bind(v))
  let tail = ''
  if (upsert) {
    const match = requireMatch(p).map((m) => identifier(d, m, 'matchColumns'))
    tail = d.upsertTail(cols, match)
  }
  return { sql: `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${vals.join(', ')})${tail}${d.returning}`, values: b.values }
}

export function updateStatement(d: Dialect, p: SqlParams, item: Item): Statement {
  const b = new Binder(d)
  const table = identifier(d, requireTable(p), 'table', true)
  const match = requireMatch(p)
  const row = rowOf(item, p).filter(([n]) => !match.includes(n))
  if (row.length === 0) throw new NodeError('Nothing to update: the item has no fields besides matchColumns', { code: 'SQL_NO_COLUMNS', field: 'columns' })
  const set = row.map(([n, v]) => `${identifier(d, n, p.columnMode === 'list' ? 'columns' : 'item field')} = ${b.bind(v)}`)
  const where = match.map((m) => {
    const col = identifier(d, m, 'matchColumns')
    if (!(m in item)) throw new NodeError(`The item has no field "${m}" to match rows by`, { code: 'SQL_MISSING_MATCH_VALUE', field: 'matchColumns' })
    return `${col} = ${b.bind(item[m])}`
  })
  return { sql: `UPDATE ${table} SET ${set.join(', ')} WHERE ${where.join(' AND ')}${d.returning}`, values: b.values }
}

function requireTable(p: SqlParams): string {
  if (!p.table) throw new NodeError(`Name the table to ${p.operation}`, { code: 'SQL_MISSING_TABLE', field: 'table' })
  return p.table
}

function requireMatch(p: SqlParams): string[] {
  if (p.matchColumns.length === 0) throw new NodeError(`Name the column(s) that find the row (${p.operation})`, { code: 'SQL_MISSING_MATCH_COLUMNS', field: 'matchColumns' })
  return p.matchColumns
}
