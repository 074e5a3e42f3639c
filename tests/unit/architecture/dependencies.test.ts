// package.json "dependencies" is what a production install (`npm ci --omit=dev`, the image's prune) keeps, so it
// must hold every package the production processes load, and nothing that only builds, tests or benches
// (docs/operations.md, "Install size"). Checked on the import graph of the real source (import-graph.ts): from the
// processes' entry points through every value import, node executors' load() and other dynamic imports included,
// plus the packages the built UI leaves for Node to load at run time (Next's server externals). Each rule also
// runs on a small fixture that breaks it.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildGraph, describeChain, packageName, type ImportEdge, type SourceFiles } from './import-graph'
import { productionClosure, resolveInLock, type Lockfile } from './package-closure'

const root = path.resolve(import.meta.dirname, '../../..')
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8')

/**
 * The production processes: `npm start` and what it launches, the image's commands (compose.yaml, Kubernetes) and
 * the operator's scripts run against a live installation (README, docs/operations.md).
 */
const ENTRY_POINTS = [
  'server.ts', 'workers/worker.ts', 'scripts/start.ts', 'scripts/migrate.ts', 'scripts/init-secrets.ts',
  'scripts/backup.ts', 'scripts/restore.ts', 'scripts/rotate-key.ts',
]

/** Loaded by Next when the web process starts. */
const LOADED_BY_NEXT = ['next.config.js']

/** Needed at run time although no source file imports them, and why. */
const RUNTIME_WITHOUT_IMPORT: Record<string, string> = {
  '@prisma/client': 'the generated client (lib/db/generated, made by `prisma generate`) loads its runtime',
  react: 'Next renders the pages with it (a peer dependency of next)',
  'react-dom': 'Next renders the pages with it (a peer dependency of next)',
  tsx: 'the start commands and the operator scripts run TypeScript through `node --import tsx`',
  esbuild: 'builds the production processes\' JavaScript (scripts/build-server.mjs)',
}

const SCANNED = ['lib', 'app', 'components', 'workers', 'scripts', 'server.ts', 'proxy.ts', ...LOADED_BY_NEXT]
const SKIPPED = /(^lib\/db\/generated\/|\.test\.tsx?$|\.d\.ts$)/

function readSource(): SourceFiles {
  const files = new Map<string, string>()
  const walk = (rel: string) => {
    const abs = path.join(root, rel)
    if (!fs.existsSync(abs) || SKIPPED.test(rel)) return
    if (fs.statSync(abs).isDirectory()) for (const name of fs.readdirSync(abs)) walk(path.posix.join(rel, name))
    else if (/\.(tsx?|mts|m?js)$/.test(rel)) files.set(rel, fs.readFileSync(abs, 'utf8'))
  }
  SCANNED.forEach(walk)
  return files
}

/**
 * Every package loaded at run time from `starts`, with the chain of imports that reaches it: all value imports
 * count, `load: () => import('./execute')` and other dynamic imports included (they run when a step does);
 * type-only imports are erased. `keep` narrows the packages reported (e.g. to the ones Next leaves external).
 */
export function packagesReached(graph: Map<string, ImportEdge[]>, starts: string[], keep: (pkg: string) => boolean = () => true): Map<string, ImportEdge[]> {
  const cameFrom = new Map<string, ImportEdge | null>(starts.map((s) => [s, null]))
  const chainTo = (file: string): ImportEdge[] => {
    const chain: ImportEdge[] = []
    for (let e = cameFrom.get(file); e; e = cameFrom.get(e.from)) chain.unshift(e)
    return chain
  }
  const found = new Map<string, ImportEdge[]>()
  const queue = [...starts]
  while (queue.length) {
    const file = queue.shift()!
    for (const edge of graph.get(file) ?? []) {
      if (edge.typeOnly) continue
      if (edge.target) {
        if (graph.has(edge.target) && !cameFrom.has(edge.target)) {
          cameFrom.set(edge.target, edge)
          queue.push(edge.target)
        }
        continue
      }
      const pkg = packageName(edge.specifier)
      if (!pkg.startsWith('node:') && !found.has(pkg) && keep(pkg)) found.set(pkg, [...chainTo(file), edge])
    }
  }
  return found
}

interface Manifest {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

/** Rule 1: a package the production processes load is listed in "dependencies" itself (not only pulled in by another). */
export function missingRuntimeDependencies(reached: Map<string, ImportEdge[]>, pkg: Manifest): string[] {
  return [...reached]
    .filter(([name]) => !pkg.dependencies[name])
    .map(([name, chain]) => `'${name}' is loaded at run time${pkg.devDependencies[name] ? ' but listed in devDependencies' : ''}; list it in "dependencies":\n  ${describeChain(chain)}`)
}

/** Rule 2: every entry of "dependencies" is loaded at run time, or RUNTIME_WITHOUT_IMPORT says why it is needed. */
export function unneededDependencies(reached: Map<string, ImportEdge[]>, pkg: Manifest, withoutImport: Record<string, string>): string[] {
  return Object.keys(pkg.dependencies)
    .filter((name) => !reached.has(name) && !withoutImport[name])
    .map((name) => `'${name}' is in "dependencies" but no production process loads it: move it to devDependencies (or say why in RUNTIME_WITHOUT_IMPORT)`)
}

/** Packages a `next build` leaves for Node to require at run time: next.config.js's serverExternalPackages and Next's own list. */
async function nextServerExternals(): Promise<Set<string>> {
  const config = (await import(path.join(root, 'next.config.js'))).default as { serverExternalPackages?: string[] }
  const jsonc = read('node_modules/next/dist/lib/server-external-packages.jsonc')
  const builtIn = JSON.parse(jsonc.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*\])/, '$1')) as string[]
  return new Set([...(config.serverExternalPackages ?? []), ...builtIn])
}

describe('package.json dependencies, against the import graph of the production processes', async () => {
  const source = readSource()
  const graph = buildGraph(source)
  const pkg = JSON.parse(read('package.json')) as Manifest & { overrides?: Record<string, unknown> }
  const externals = await nextServerExternals()
  const appFiles = [...source.keys()].filter((f) => f.startsWith('app/') || f === 'proxy.ts')
  const reached = new Map([...packagesReached(graph, appFiles, (p) => externals.has(p)), ...packagesReached(graph, [...ENTRY_POINTS, ...LOADED_BY_NEXT])])

  it('starts from entry points that exist, and from every TypeScript file a deployment runs', () => {
    for (const entry of ENTRY_POINTS) expect(source.has(entry), entry).toBe(true)
    const commands = [
      ...Object.entries(JSON.parse(read('package.json')).scripts as Record<string, string>)
        .filter(([name]) => /^(start(:.*)?|backup|restore|rotate-key)$/.test(name))
        .map(([, cmd]) => cmd),
      read('compose.yaml'), read('Dockerfile'),
      ...fs.readdirSync(path.join(root, 'deploy/kubernetes/base')).map((f) => read(`deploy/kubernetes/base/${f}`)),
    ].join('\n')
    const run = [...commands.matchAll(/(?<![\w/.-])((?:scripts|workers)\/[\w/-]+\.ts|server\.ts)\b/g)].map((m) => m[1])
    expect(run.length).toBeGreaterThan(0)
    expect([...new Set(run)].filter((f) => !ENTRY_POINTS.includes(f))).toEqual([])
  })

  it('lists every package the production processes load in "dependencies"', () => {
    expect(missingRuntimeDependencies(reached, pkg)).toEqual([])
  })

  it('keeps in "dependencies" only what they load (build, test and bench tools are devDependencies)', () => {
    expect(unneededDependencies(reached, pkg, RUNTIME_WITHOUT_IMPORT)).toEqual([])
    for (const name of Object.keys(RUNTIME_WITHOUT_IMPORT)) expect(pkg.dependencies[name], `${name} (RUNTIME_WITHOUT_IMPORT)`).toBeDefined()
  })

  it('resolves every one of them in a production install (package-lock.json)', () => {
    const lock = JSON.parse(read('package-lock.json')) as Lockfile
    const kept = productionClosure(lock)
    const names = [...reached.keys(), ...Object.keys(RUNTIME_WITHOUT_IMPORT)]
    expect(names.filter((name) => !kept.has(resolveInLock(lock, '', name) ?? name))).toEqual([])
    // The closure really drops the build and test tools: prisma is an optional peer of @prisma/client, so a
    // plain `npm ci --omit=dev` keeps it; the image's prune does not.
    for (const tool of ['prisma', 'typescript', 'vitest', '@playwright/test']) expect(kept.has(`node_modules/${tool}`), tool).toBe(false)
  })

  it('points each stand-in override at deploy/npm/not-installed in the lockfile too', () => {
    const lock = JSON.parse(read('package-lock.json')) as Lockfile
    const standIns = Object.entries(pkg.overrides ?? {}).filter(([, spec]) => spec === 'file:./deploy/npm/not-installed').map(([name]) => name)
    expect(standIns.length).toBeGreaterThan(0)
    // npm writes a file: override of a transitive dependency relative to its dependent (npm/cli#5078): a wrong path
    // here links the package to nothing on the next `npm ci`.
    for (const name of standIns) expect(lock.packages[`node_modules/${name}`], name).toEqual({ resolved: 'deploy/npm/not-installed', link: true })
  })

  it.skipIf(!fs.existsSync(path.join(root, '.next/node_modules')))('finds in a production install every package the UI build requires at run time', () => {
    const lock = JSON.parse(read('package-lock.json')) as Lockfile
    const kept = productionClosure(lock)
    const dir = path.join(root, '.next/node_modules')
    // Turbopack links each external as <name>-<hash> under .next/node_modules.
    const linked = fs.readdirSync(dir).flatMap((n) => (n.startsWith('@') ? fs.readdirSync(path.join(dir, n)).map((m) => `${n}/${m}`) : [n]))
    const names = linked.map((n) => n.replace(/-[0-9a-f]{16}$/, ''))
    expect(names.filter((name) => !kept.has(`node_modules/${name}`))).toEqual([])
  })
})

describe('the dependency rules fail on code that breaks them', () => {
  const fixture = (files: Record<string, string>) => buildGraph(new Map(Object.entries(files)))
  const graph = fixture({
    'server.ts': `import { start } from './lib/web'\nimport type { Options } from 'build-only-types'`,
    'lib/web.ts': `import pino from 'pino'\nexport const nodes = [{ load: () => import('./nodes/pdf/execute') }]`,
    'lib/nodes/pdf/execute.ts': `const pdf = await import('pdfjs-dist/legacy/build/pdf.mjs')\nimport fs from 'node:fs'`,
    'lib/ui.tsx': `import { Bot } from 'lucide-react'`,
  })

  it('reaches packages through static, lazy and dynamic imports, but not type-only ones', () => {
    const reached = packagesReached(graph, ['server.ts'])
    expect([...reached.keys()].sort()).toEqual(['pdfjs-dist', 'pino'])
    expect(describeChain(reached.get('pdfjs-dist')!)).toBe(
      `server.ts:1 imports './lib/web'\n  → lib/web.ts:2 imports './nodes/pdf/execute'\n  → lib/nodes/pdf/execute.ts:1 imports 'pdfjs-dist/legacy/build/pdf.mjs'`,
    )
  })

  it('rule 1 names a run-time package missing from dependencies, with the chain that loads it', () => {
    const reached = packagesReached(graph, ['server.ts'])
    expect(missingRuntimeDependencies(reached, { dependencies: { pino: '^10' }, devDependencies: { 'pdfjs-dist': '5' } })).toEqual([
      `'pdfjs-dist' is loaded at run time but listed in devDependencies; list it in "dependencies":\n  server.ts:1 imports './lib/web'\n  → lib/web.ts:2 imports './nodes/pdf/execute'\n  → lib/nodes/pdf/execute.ts:1 imports 'pdfjs-dist/legacy/build/pdf.mjs'`,
    ])
  })

  it('rule 2 names a dependency no production process loads, unless it is explained', () => {
    const reached = packagesReached(graph, ['server.ts'])
    const pkg = { dependencies: { pino: '^10', 'pdfjs-dist': '5', 'lucide-react': '^1', tsx: '4' }, devDependencies: {} }
    expect(unneededDependencies(reached, pkg, { tsx: 'runs the entry points' })).toEqual([
      `'lucide-react' is in "dependencies" but no production process loads it: move it to devDependencies (or say why in RUNTIME_WITHOUT_IMPORT)`,
    ])
  })

  it('the production closure follows nested copies, links and required peers, not optional peers or dev-only packages', () => {
    const lock: Lockfile = {
      packages: {
        '': { dependencies: { a: '1', c: '1' }, devDependencies: { tool: '1' } } as Lockfile['packages'][string],
        'node_modules/a': { dependencies: { b: '2' }, peerDependencies: { tool: '*', react: '*' }, peerDependenciesMeta: { tool: { optional: true } } },
        'node_modules/a/node_modules/b': { version: '2' },
        'node_modules/b': { version: '1', dev: true },
        'node_modules/c': { optionalDependencies: { stub: '1' } },
        'node_modules/stub': { resolved: 'deploy/npm/not-installed', link: true },
        'deploy/npm/not-installed': { version: '0.0.0' },
        'node_modules/react': { version: '19' },
        'node_modules/tool': { version: '1', devOptional: true },
      },
    }
    expect([...productionClosure(lock)].sort()).toEqual([
      'deploy/npm/not-installed', 'node_modules/a', 'node_modules/a/node_modules/b', 'node_modules/c', 'node_modules/react', 'node_modules/stub',
    ])
  })
})
