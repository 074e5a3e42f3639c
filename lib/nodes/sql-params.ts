// Parameters the PostgreSQL and MySQL nodes share (n8n's operations), and the credential fields both kinds have.
// Browser-safe.
import { z } from 'zod'
import type { CredentialKind } from './credential-kinds'
import { secret, type NodeType } from './define'
import { credentialParam, labelledEnum, text } from './params'

export const SQL_OPERATIONS = ['executeQuery', 'select', 'insert', 'update', 'upsert', 'delete'] as const
export type SqlOperation = (typeof SQL_OPERATIONS)[number]

export const WHERE_OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'like', 'isNull', 'isNotNull'] as const

const identifierList = (description: string) => z.array(z.string().trim().min(1)).default([]).describe(description)

export const whereConditionSchema = z.object({
  column: z.string().trim().min(1, 'Name the column').describe('Column'),
  operator: z.enum(WHERE_OPERATORS).meta({ optionLabels: { '=': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥', like: 'like (pattern)', isNull: 'is null', isNotNull: 'is not null' } }).default('=').describe('Comparison; isNull/isNotNull take no value'),
  value: z.unknown().optional().describe('Value (always sent bound, never written into the SQL)'),
})
export type WhereCondition = z.infer<typeof whereConditionSchema>

export const sortRuleSchema = z.object({
  column: z.string().trim().min(1, 'Name the column').describe('Column'),
  direction: labelledEnum({ asc: 'Ascending (smallest first)', desc: 'Descending (largest first)' }).default('asc').describe('asc or desc'),
})

export const sqlParams = z.object({
  credential: credentialParam('Database connection'),
  operation: z.enum(SQL_OPERATIONS).meta({ optionLabels: { executeQuery: 'Execute a query', select: 'Select rows', insert: 'Insert rows', update: 'Update rows', upsert: 'Insert or update rows', delete: 'Delete rows' } }).default('executeQuery').describe('executeQuery, select, insert, update, upsert or delete'),
  query: text().default('').describe('executeQuery: the SQL, with placeholders for queryParams').meta({ ui: 'code' }),
  queryParams: z.array(z.unknown()).default([]).describe('executeQuery: values for the placeholders, in order (bound, never interpolated)'),
  queryBatching: labelledEnum({ perItem: 'Once per item', once: 'Once for all items' }).default('perItem').describe('executeQuery: run once per item, or once for the whole input'),
  table: z.string().trim().default('').describe('select/insert/update/upsert/delete: table name (letters, digits, _; "schema.table" allowed)'),
  columnMode: labelledEnum({ auto: 'Every field of the item', list: 'Only the listed columns' }).default('auto').describe('insert/update/upsert: take every field of the item, or only the columns listed'),
  columns: identifierList('select: columns to return (empty: all). insert/update/upsert with columnMode list: columns to write'),
  matchColumns: identifierList('update/upsert: the column(s) that find the row (upsert: a unique key)'),
  where: z.array(whereConditionSchema).default([]).describe('select/delete: conditions, all of which must hold (combine: and) or any (or)'),
  combineConditions: labelledEnum({ and: 'All conditions (AND)', or: 'Any condition (OR)' }).default('and').describe('How where conditions combine'),
  sort: z.array(sortRuleSchema).default([]).describe('select: order of the rows'),
  limit: z.coerce.number().int().min(0).default(0).describe('select: most rows per item (0: all)'),
  pageSize: z.coerce.number().int().min(1).max(1000).default(1000).describe('Rows written per page of output (select streams the table in pages this size)'),
})
export type SqlParams = z.infer<typeof sqlParams>

/** Connection fields of the postgres and mysql credential kinds. Stored as text: `port` is read as a number on use. */
export const sqlCredentialSchema = (defaultPort: number) =>
  z.object({
    host: z.string().trim().min(1, 'Host is required').meta({ label: 'Host' }),
    port: z.coerce.string().regex(/^\d{1,5}$/, 'A port number').default(String(defaultPort)).meta({ label: 'Port' }),
    database: z.string().trim().min(1, 'Database is required').meta({ label: 'Database' }),
    user: z.string().trim().min(1, 'User is required').meta({ label: 'User' }),
    password: secret('Password'),
    ssl: labelledEnum({ disable: 'Off', require: 'Required (encrypted)', verify: 'Verified (encrypted, certificate checked)' }).default('disable').meta({ label: 'SSL: disable, require (encrypted) or verify (encrypted, certificate checked)' }),
  })

/** The docs paragraphs both nodes share; `dialect` notes differ. */
export function sqlDocs(placeholder: string, dialectNotes: string[]): string {
  return [
    'Operations (`operation`):',
    `- \`executeQuery\`: runs \`query\` with \`queryParams\` bound to its placeholders (${placeholder}); values are never written into the SQL. With \`queryBatching\` \`perItem\` it runs once per item (params resolved against each item), with \`once\` once for the whole input. Result rows become the output items.`,
    '- `select`: rows of `table`, optionally only `columns`, filtered by `where` (column, operator, value; values bound), ordered by `sort`, at most `limit` rows per item. Rows are read in pages of `pageSize` (≤ 1,000) and written as they come, so a large table never sits in memory whole.',
    '- `insert` / `update` / `upsert`: one row per item. `columnMode` `auto` writes every top-level field of the item; `list` writes only `columns`. `update` finds rows by `matchColumns` (their values come from the item).',
    '- `delete`: deletes the rows matching `where`.',
    '',
    'Table and column names cannot be bound: they must be plain identifiers (letters, digits, `_`, `$`; not starting with a digit; `schema.table` allowed) and are quoted by the driver. Anything else (`x; DROP TABLE`, `"a"--`) fails with `SQL_INVALID_IDENTIFIER` before anything is sent.',
    ...dialectNotes,
    '',
    'Connections: the host in the credential goes through the same outbound policy as the HTTP node: private and loopback addresses are refused unless AUTERITY_HTTP_ALLOW_PRIVATE or AUTERITY_HTTP_ALLOWLIST (e.g. `db.internal:5432`) permits them. Each page of input takes one connection from a pool the worker keeps per server, database and user (at most 10 connections each, idle ones closed after 30 s); a connection that saw an error is closed, never reused. A canceled run, or a step past its timeout, also stops its statement on the server (`pg_cancel_backend` / `KILL QUERY` from a second session). Errors: connection refused or lost → retryable `SQL_CONNECTION_FAILED` / `SQL_CONNECTION_LOST` naming host:port; bad user or password → `SQL_AUTH_FAILED` naming the credential; an SQL error → `SQL_ERROR` with the server\'s message and code.',
  ].join('\n')
}

/** The fields both SQL node types share; each brings its name, credential kind, docs and executor. */
export function sqlNodeType(spec: Pick<NodeType<SqlParams, 'network'>, 'type' | 'label' | 'description' | 'docs' | 'load'> & { credentialKind: CredentialKind }): NodeType<SqlParams, 'network'> {
  const { credentialKind, ...rest } = spec
  return {
    ...rest,
    version: 1,
    icon: 'Database',
    category: 'databases',
    params: sqlParams,
    inputs: [{ name: 'main' }],
    outputs: [{ name: 'main' }],
    credential: { param: 'credential', kinds: [credentialKind] },
    // Pages of input: a million items never load at once; each page takes one pooled connection.
    mode: 'batch',
    sideEffects: true,
    services: ['network'],
  }
}
