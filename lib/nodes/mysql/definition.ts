import { sqlDocs, sqlNodeType } from '../sql-params'

export const mysqlNode = sqlNodeType({
  type: 'mysql',
  credentialKind: 'mysql',
  label: 'MySQL',
  description: 'Runs queries and reads, inserts, updates, upserts or deletes rows in MySQL or MariaDB.',
  docs: {
    description: [
      'Works with a MySQL or MariaDB database named by a `mysql` credential (host, port, database, user, password, SSL).',
      '',
      sqlDocs('`?`', [
        '',
        'MySQL specifics: statements run as server-side prepared statements. `insert`, `update`, `upsert` and `delete` output `{ affectedRows }` per item (and `insertId` for an auto-increment key). `upsert` is `INSERT … ON DUPLICATE KEY UPDATE` the other columns: the server finds the existing row by any unique key, `matchColumns` names the key columns left as they are. A select is streamed from the server and cut into pages.',
      ]),
    ].join('\n'),
    examples: [
      {
        title: 'A query with a bound parameter per item',
        params: { credential: 'cred_mysql', operation: 'executeQuery', query: 'SELECT id, email FROM users WHERE email = ?', queryParams: ['{{ $json.email }}'] },
        input: [{ email: 'ann@example.com' }],
        output: { main: [{ id: 7, email: 'ann@example.com' }] },
      },
      {
        title: 'Insert a row per item',
        params: { credential: 'cred_mysql', operation: 'insert', table: 'contacts', columnMode: 'list', columns: ['email', 'name'] },
        input: [{ email: 'ann@example.com', name: 'Ann', source: 'form' }],
        output: { main: [{ affectedRows: 1, insertId: 3 }] },
      },
      {
        title: 'Delete old sessions',
        params: { credential: 'cred_mysql', operation: 'delete', table: 'sessions', where: [{ column: 'expires_at', operator: '<', value: '2026-01-01' }] },
        input: [{}],
        output: { main: [{ affectedRows: 42 }] },
      },
    ],
  },
  load: () => import('./execute'),
})
