// A PostgreSQL server to connect to (host, port, database, user, password, SSL).
import { defineCredentialKind } from '../define'
import { sqlCredentialSchema } from '../sql-params'

export const postgres = defineCredentialKind({ name: 'postgres', label: 'PostgreSQL', schema: sqlCredentialSchema(5432) })
