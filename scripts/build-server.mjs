// The server build: the production processes (the `npm start` supervisor, web, worker, the Code sandbox's child,
// and the one-shot commands: migrate, init-secrets, backup, restore, rotate-key) compiled from TypeScript into
// plain JavaScript in dist/ by esbuild, so production runs no TypeScript loader. Packages stay external (they come
// from node_modules); node types' lazy `import('./execute')` become chunks loaded on first use. About a second.
// `node scripts/build-server.mjs` builds; scripts/launch.mjs builds first when the sources are newer than dist/.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** Output name → source, relative to the project root. */
export const SERVER_ENTRIES = {
  start: 'scripts/start.ts',
  setup: 'scripts/setup.ts',
  server: 'server.ts',
  worker: 'workers/worker.ts',
  'sandbox-child': 'lib/sandbox/child.ts',
  migrate: 'scripts/migrate.ts',
  'init-secrets': 'scripts/init-secrets.ts',
  backup: 'scripts/backup.ts',
  restore: 'scripts/restore.ts',
  'rotate-key': 'scripts/rotate-key.ts',
}

const SOURCE_DIRS = ['lib', 'workers', 'scripts']
const SOURCE_FILES = ['server.ts', 'package.json', 'tsconfig.json']
const STAMP = '.build-stamp'

/** @param {string} root */
function newestSourceMtime(root) {
  let newest = 0
  /** @param {string} dir */
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue
      const p = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(p)
      else if (/\.(ts|mts|js|mjs|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs)
    }
  }
  for (const d of SOURCE_DIRS) walk(path.join(root, d))
  for (const f of SOURCE_FILES) {
    const p = path.join(root, f)
    if (fs.existsSync(p)) newest = Math.max(newest, fs.statSync(p).mtimeMs)
  }
  return newest
}

/** Is dist/ there and at least as new as every source it is built from? @param {string} root */
export function serverBuildIsFresh(root) {
  const stamp = path.join(root, 'dist', STAMP)
  if (!fs.existsSync(stamp)) return false
  if (Object.keys(SERVER_ENTRIES).some((name) => !fs.existsSync(path.join(root, 'dist', `${name}.mjs`)))) return false
  return fs.statSync(stamp).mtimeMs >= newestSourceMtime(root)
}

/**
 * esbuild's options for the server build into `outdir`: what buildServer uses, and what
 * tests/unit/architecture/lazy-imports.test.ts builds in memory to read which packages each process loads at start.
 * @param {string} root @param {string} outdir
 * @returns {import('esbuild').BuildOptions}
 */
export function serverBuildOptions(root, outdir) {
  return {
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(SERVER_ENTRIES).map(([name, src]) => [name, path.join(root, src)])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    tsconfig: path.join(root, 'tsconfig.json'),
  }
}

/** Builds dist/ (replacing it). @param {string} root */
export async function buildServer(root) {
  const esbuild = await import('esbuild')
  const started = Date.now()
  const outdir = path.join(root, 'dist')
  // Built beside and swapped in, so a process starting meanwhile never sees half a build.
  const staging = `${outdir}.building-${process.pid}`
  fs.rmSync(staging, { recursive: true, force: true })
  await esbuild.build(serverBuildOptions(root, staging))
  fs.writeFileSync(path.join(staging, STAMP), new Date().toISOString() + '\n')
  const old = `${outdir}.old-${process.pid}`
  // Two builds at once (tests starting processes in parallel) build the same thing: whichever swaps last wins.
  for (let attempt = 0; ; attempt++) {
    try {
      if (fs.existsSync(outdir)) fs.renameSync(outdir, old)
      fs.renameSync(staging, outdir)
      break
    } catch (err) {
      const code = /** @type {{ code?: string }} */ (err).code ?? ''
      if (attempt > 20 || !['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes(code)) throw err
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  fs.rmSync(old, { recursive: true, force: true })
  return { ms: Date.now() - started }
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  const { ms } = await buildServer(root)
  console.log(`[auterity] server build: dist/ in ${ms} ms`)
}
