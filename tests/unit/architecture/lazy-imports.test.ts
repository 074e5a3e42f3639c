// What each long-lived process loads when it starts: the server build (scripts/build-server.mjs, same options) is
// made in memory and its metafile read, following the static imports from each entry's output file; an `import()`
// is a chunk loaded on first use and is not followed. Packages that an idle worker or web process never uses (SDKs,
// parsers, drivers of one node type, the tracing SDK) must be imported where they are needed (lib/lazy.ts), not at
// start: each costs megabytes of resident memory in every process (docs/architecture.md, "Lazy packages").
import path from 'node:path'
import { build, type Metafile } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { serverBuildOptions } from '../../../scripts/build-server.mjs'
import { packageName } from './import-graph'

const root = path.resolve(import.meta.dirname, '../../..')

/** The long-lived processes: supervisor, web (server.ts), worker, the Code sandbox's child. */
const PROCESSES = ['start', 'server', 'worker', 'sandbox-child']

/** Exact package names, or prefixes when they end with `/` or `-`. */
const LOADED_ON_FIRST_USE = [
  // AI: the router's SDK and providers, the official SDKs (connection tests, fine-tuning), the tokenizer's ranks.
  'ai', '@ai-sdk/', 'openai', '@anthropic-ai/sdk', 'js-tiktoken',
  // Files, messaging, retrieval, documents.
  '@aws-sdk/', 'twilio', 'nodemailer', 'cheerio', '@lancedb/lancedb', 'apache-arrow', 'pdfjs-dist', 'exceljs', 'diff', 'ajv',
  // Browsers, brokers and databases of single node types; the guard's HTTP client.
  'playwright-core', 'amqplib', 'mqtt', 'nats', 'mysql2', 'undici',
  // Tracing: only the API is loaded without an OTLP endpoint.
  '@opentelemetry/sdk-', '@opentelemetry/exporter-', '@opentelemetry/core', '@opentelemetry/resources', '@opentelemetry/semantic-conventions',
]

const loadedOnFirstUse = (pkg: string) => LOADED_ON_FIRST_USE.some((p) => (p.endsWith('/') || p.endsWith('-') ? pkg.startsWith(p) : pkg === p))

/** Packages imported statically from `entry` (an output path of the metafile), each with the output that imports it. */
function startupPackages(metafile: Pick<Metafile, 'outputs'>, entry: string): Map<string, string> {
  const found = new Map<string, string>()
  const seen = new Set([entry])
  const queue = [entry]
  while (queue.length) {
    const output = queue.shift()!
    for (const imp of metafile.outputs[output]?.imports ?? []) {
      if (imp.kind === 'dynamic-import') continue
      if (imp.external) {
        if (!imp.path.startsWith('.') && !imp.path.startsWith('node:') && !found.has(packageName(imp.path))) found.set(packageName(imp.path), output)
      } else if (!seen.has(imp.path)) {
        seen.add(imp.path)
        queue.push(imp.path)
      }
    }
  }
  return found
}

/** The chain of source files through which `entry` imports `pkg` statically, to name the import to make lazy. */
function sourceChain(metafile: Pick<Metafile, 'inputs'>, entry: string, pkg: string): string {
  const cameFrom = new Map<string, string | null>([[entry, null]])
  const queue = [entry]
  while (queue.length) {
    const file = queue.shift()!
    for (const imp of metafile.inputs[file]?.imports ?? []) {
      if (imp.kind === 'dynamic-import') continue
      if (imp.external && packageName(imp.path) === pkg) {
        const chain = [`'${imp.path}'`]
        for (let f: string | null | undefined = file; f; f = cameFrom.get(f)) chain.unshift(f)
        return chain.join(' → ')
      }
      if (!imp.external && !cameFrom.has(imp.path)) {
        cameFrom.set(imp.path, file)
        queue.push(imp.path)
      }
    }
  }
  return `(no source path to '${pkg}')`
}

describe('packages each process loads at start', () => {
  it('leaves SDKs, parsers, single-node drivers and the tracing SDK to first use', { timeout: 60_000 }, async () => {
    const outdir = path.join(root, 'dist')
    // In memory: nothing is written, dist/ is left as it is.
    const { metafile } = await build({ ...serverBuildOptions(root, outdir), write: false, metafile: true, sourcemap: false, logLevel: 'error' })
    const entries = serverBuildOptions(root, outdir).entryPoints as Record<string, string>
    const problems: string[] = []
    for (const name of PROCESSES) {
      const loaded = startupPackages(metafile, `dist/${name}.mjs`)
      // The worker's own start-up packages are read, so a rename of the output cannot make the check vacuous.
      if (name === 'worker') expect([...loaded.keys()]).toEqual(expect.arrayContaining(['bullmq', 'pg', 'isolated-vm']))
      for (const pkg of [...loaded.keys()].filter(loadedOnFirstUse).sort()) {
        problems.push(`${name} loads ${pkg} at start: ${sourceChain(metafile, path.relative(root, entries[name]), pkg)}`)
      }
    }
    expect(problems).toEqual([])
  })

  it('follows static imports only, through shared chunks, and names the source chain', () => {
    const meta: Metafile = {
      inputs: {
        'w.ts': { bytes: 1, imports: [{ path: 'a.ts', kind: 'import-statement', original: './a' }, { path: 'b.ts', kind: 'dynamic-import', original: './b' }] },
        'a.ts': { bytes: 1, imports: [{ path: 'twilio', kind: 'import-statement', external: true, original: 'twilio' }] },
        'b.ts': { bytes: 1, imports: [{ path: 'cheerio', kind: 'import-statement', external: true, original: 'cheerio' }] },
      },
      outputs: {
        'dist/w.mjs': { bytes: 1, inputs: {}, exports: [], imports: [{ path: 'dist/chunks/a.mjs', kind: 'import-statement' }, { path: 'dist/chunks/b.mjs', kind: 'dynamic-import' }] },
        'dist/chunks/a.mjs': { bytes: 1, inputs: {}, exports: [], imports: [{ path: 'twilio', kind: 'import-statement', external: true }, { path: 'node:fs', kind: 'import-statement', external: true }] },
        'dist/chunks/b.mjs': { bytes: 1, inputs: {}, exports: [], imports: [{ path: 'cheerio', kind: 'import-statement', external: true }, { path: '@aws-sdk/client-s3', kind: 'dynamic-import', external: true }] },
      },
    }
    expect([...startupPackages(meta, 'dist/w.mjs')]).toEqual([['twilio', 'dist/chunks/a.mjs']])
    expect(sourceChain(meta, 'w.ts', 'twilio')).toBe("w.ts → a.ts → 'twilio'")
    expect(['twilio', '@aws-sdk/client-s3', '@opentelemetry/sdk-trace-node', 'js-tiktoken'].every(loadedOnFirstUse)).toBe(true)
    expect(['@opentelemetry/api', 'bullmq', 'aigle', 'zod'].some(loadedOnFirstUse)).toBe(false)
  })
})
