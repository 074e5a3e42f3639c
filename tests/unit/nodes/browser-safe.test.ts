// The palette and inspector import the registry in the browser: nothing it reaches may pull in server code.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../../..')
// ipaddr.js is plain JavaScript with no Node dependency: the Webhook trigger's form checks allowlist ranges with it.
const SERVER_ONLY = /^(node:|undici$|isolated-vm$|pg$|ioredis$|bullmq$|@prisma\/|openai$|@anthropic-ai\/|twilio$|playwright)/

function resolveLocal(from: string, spec: string): string | undefined {
  const base = spec.startsWith('@/') ? path.join(root, spec.slice(2)) : path.resolve(path.dirname(from), spec)
  return [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => existsSync(f) && f.match(/\.tsx?$/))
}

/** Static imports reachable from `entry` (type-only imports and lazy `import()` are not bundled eagerly). */
function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const queue = [entry]
  while (queue.length) {
    const file = queue.pop()!
    if (files.has(file)) continue
    files.add(file)
    const source = readFileSync(file, 'utf8')
    for (const m of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1]
      if (spec.startsWith('.') || spec.startsWith('@/')) {
        const target = resolveLocal(file, spec)
        if (target) queue.push(target)
      } else packages.add(spec)
    }
  }
  return { files, packages }
}

describe.each([['lib/nodes/registry.ts'], ['lib/nodes/catalogue.ts']])('%s', (entry) => {
  const { files, packages } = reachable(path.join(root, entry))

  it('follows imports into every definition', () => {
    expect([...files].filter((f) => f.endsWith('/definition.ts')).length).toBeGreaterThanOrEqual(10)
  })

  it('reaches no server-only package', () => {
    expect([...packages].filter((p) => SERVER_ONLY.test(p))).toEqual([])
  })

  it('reaches no executor module', () => {
    expect([...files].map((f) => path.relative(root, f)).filter((f) => /\/execute\.ts$|lib\/net\/|lib\/sandbox\//.test(f))).toEqual([])
  })
})
