// A MySQL or MariaDB server to connect to (host, port, database, user, password, SSL).
import { defineCredentialKind } from '../define'
import { sqlCredentialSchema } from '../sql-params'

export const mysql = defineCredentialKind({ name: 'mysql', label: 'MySQL / MariaDB', schema: sqlCredentialSchema(3306) })
