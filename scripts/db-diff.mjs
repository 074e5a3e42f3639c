// Writes a migration by diffing the Prisma schema against the snapshot stored with the newest migration,
// using Prisma's WASM schema engine (the CLI's native engine cannot be downloaded on every machine).
//   npm run db:diff -- <name>     new migration prisma/migrations/NNNN_<name>
//   npm run db:diff -- --amend    rewrite the newest migration (only before it has been released)
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg'
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils'
import { PrismaPg } from '@prisma/adapter-pg'

const root = path.resolve(import.meta.dirname, '..')
const schemaDir = path.join(root, 'prisma/schema')
const migDir = path.join(root, 'prisma/migrations')
const SNAPSHOT = 'schema.snapshot.prisma'

const args = process.argv.slice(2)
const amend = args.includes('--amend')
const name = args.find((a) => !a.startsWith('--'))
if (!amend && !name) {
  console.error('usage: npm run db:diff -- <name> | --amend')
  process.exit(2)
}

const require = createRequire(import.meta.url)
const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm')
const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmPath)), { './schema_engine_bg.js': bg })
bg.__wbg_set_wasm(inst.exports)
const start = inst.exports.__wbindgen_start
if (typeof start === 'function') start()

const files = fs.readdirSync(schemaDir).filter((f) => f.endsWith('.prisma')).sort()
  .map((f) => ({ path: path.join(schemaDir, f), content: fs.readFileSync(path.join(schemaDir, f), 'utf8') }))
const current = files.map((f) => `// ---- ${path.basename(f.path)}\n${f.content}`).join('\n')

fs.mkdirSync(migDir, { recursive: true })
const dirs = fs.readdirSync(migDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
const target = amend ? dirs.at(-1) : name && `${String(dirs.length + 1).padStart(4, '0')}_${name.replace(/[^a-z0-9_]+/gi, '_')}`
if (!target) { console.error('no migration to amend'); process.exit(2) }
const baseDir = amend ? dirs.at(-2) : dirs.at(-1)
const basePath = baseDir && path.join(migDir, baseDir, SNAPSHOT)
/** @type {import('@prisma/schema-engine-wasm/schema_engine_bg').DiffTarget} */
const from = basePath && fs.existsSync(basePath)
  ? { tag: 'schemaDatamodel', files: [{ path: basePath, content: fs.readFileSync(basePath, 'utf8') }] }
  : { tag: 'empty' }

const factory = new PrismaPg({ connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' })
const engine = await bg.SchemaEngine.new({ datamodels: files.map((f) => [f.path, f.content]) }, () => {}, bindMigrationAwareSqlAdapterFactory(factory))
const result = await engine.diff({ from, to: { tag: 'schemaDatamodel', files }, script: true, exitCode: null, filters: { externalTables: [], externalEnums: [] } })
const sql = result.stdout ?? ''
if (!amend && /^-- This is an empty migration\.?\s*$/m.test(sql)) { console.log('schema unchanged: no migration written'); process.exit(0) }
fs.mkdirSync(path.join(migDir, target), { recursive: true })
fs.writeFileSync(path.join(migDir, target, 'migration.sql'), sql)
fs.writeFileSync(path.join(migDir, target, SNAPSHOT), current)
console.log(`wrote prisma/migrations/${target}/migration.sql (${sql.split('\n').length} lines)`)
engine.free?.()
process.exit(0)
