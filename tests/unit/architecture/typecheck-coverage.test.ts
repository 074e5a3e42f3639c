// `npm run typecheck` must see every source file of the repository (server.ts, workers, tests, bench, scripts,
// configs), and CI must run it: a file left out of tsconfig.json would otherwise rot unnoticed.
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../../..')
const SOURCE = /\.(tsx?|mts|cts|m?js|cjs)$/
/** Not source: dependencies, build output, data, generated Prisma client, test reports. */
const NOT_SOURCE = new Set(['node_modules', '.git', '.next', 'dist', '.data', 'test-results', 'playwright-report', 'lib/db/generated'])

function sourceFiles(rel = ''): string[] {
  return fs.readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((entry) => {
    const file = rel ? `${rel}/${entry.name}` : entry.name
    if (NOT_SOURCE.has(file)) return []
    if (entry.isDirectory()) return sourceFiles(file)
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : []
  })
}

describe('npm run typecheck', () => {
  it('covers every source file of the repository', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      },
    })
    const checked = new Set(parsed!.fileNames.map((f) => path.relative(root, f).split(path.sep).join('/')))
    const files = sourceFiles()
    expect(files).toContain('server.ts')
    expect(files.filter((f) => !checked.has(f))).toEqual([])
  })

  it('is the script CI runs before the tests', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>
    expect(scripts.typecheck).toBe('tsc --noEmit -p tsconfig.json')
    const ci = fs.readFileSync(path.join(root, '.ci/run'), 'utf8').split('\n')
    const typecheck = ci.indexOf('npm run typecheck')
    expect(typecheck).toBeGreaterThan(-1)
    expect(typecheck).toBeLessThan(ci.indexOf('npm test'))
  })
})
