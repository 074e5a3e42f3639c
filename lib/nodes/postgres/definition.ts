import { sqlDocs, sqlNodeType } from '../sql-params'

export const postgresNode = sqlNodeType({
  type: 'postgres',
  credentialKind: 'postgres',
  label: 'PostgreSQL',
  description: 'Runs queries and reads, inserts, updates, upserts or deletes rows in PostgreSQL.',
  docs: {
    description: [
      'Works with a PostgreSQL database named by a `postgres` credential (host, port, database, user, password, SSL).',
      '',
      sqlDocs('`$1`, `$2`…', [
        '',
        'PostgreSQL specifics: `insert`, `update`, `upsert` and `delete` return the rows they touched (`RETURNING *`). `upsert` is `INSERT … ON CONFLICT (matchColumns) DO UPDATE` the other columns, so `matchColumns` must be a unique key or primary key. A select is read through a server-side cursor inside a read-only transaction.',
      ]),
    ].join('\n'),
    examples: [
      {
        title: 'A query with a bound parameter per item',
        params: { credential: 'cred_pg', operation: 'executeQuery', query: 'SELECT id, email FROM users WHERE email = $1', queryParams: ['{{ $json.email }}'] },
        input: [{ email: 'ann@example.com' }],
        output: { main: [{ id: 7, email: 'ann@example.com' }] },
      },
      {
        title: 'Open orders, newest first',
        params: { credential: 'cred_pg', operation: 'select', table: 'orders', columns: ['id', 'total'], where: [{ column: 'status', operator: '=', value: 'open' }], sort: [{ column: 'created_at', direction: 'desc' }], limit: 2 },
        input: [{}],
        output: { main: [{ id: 12, total: 40 }, { id: 9, total: 15 }] },
      },
      {
        title: 'Upsert contacts by email',
        params: { credential: 'cred_pg', operation: 'upsert', table: 'contacts', matchColumns: ['email'] },
        input: [{ email: 'ann@example.com', name: 'Ann' }],
        output: { main: [{ id: 3, email: 'ann@example.com', name: 'Ann' }] },
      },
    ],
  },
  load: () => import('./execute'),
})
