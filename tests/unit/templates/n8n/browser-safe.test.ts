// The importer runs in the browser too (a preview of the report before saving): its files import nothing but each
// other, the pure engine, lib/errors and what the node registry is built from (checked browser-safe by
// tests/unit/nodes/browser-safe.test.ts).
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../../../..')
const folder = path.join(root, 'lib/templates/n8n')
const ALLOWED = /^(zod$|lib\/templates\/n8n\/|lib\/engine\/(?!.*(run|step))|lib\/errors$|lib\/nodes\/(registry|conditions|params)$|lib\/nodes\/[\w-]+\/definition$)/

it('lib/templates/n8n imports only browser-safe modules', () => {
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  expect(files.length).toBeGreaterThan(10)
  const imports = files.flatMap((f) => {
    const file = path.join(folder, f)
    return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s+[^'";]*?from\s+['"]([^'"]+)['"]/gm)].map((m) =>
      m[1].startsWith('.') ? path.relative(root, path.resolve(path.dirname(file), m[1])) : m[1],
    )
  })
  expect(imports.filter((spec) => !ALLOWED.test(spec))).toEqual([])
})
