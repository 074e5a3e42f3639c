// Runs one of the compiled production processes: `node [flags] scripts/launch.mjs <name> [args…]` runs
// dist/<name>.mjs (scripts/build-server.mjs lists them), building dist/ first when it is missing or older than its
// sources (about a second). What `npm start`, `npm run start:*`, backup/restore and the images run: plain
// JavaScript, no TypeScript loader in production.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import module from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { SERVER_ENTRIES, serverBuildIsFresh } from './build-server.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const name = process.argv[2] ?? ''
if (!Object.hasOwn(SERVER_ENTRIES, name)) {
  console.error(`usage: node scripts/launch.mjs <${Object.keys(SERVER_ENTRIES).join('|')}> [args…]`)
  process.exit(2)
}
if (!serverBuildIsFresh(root)) {
  // In its own process: esbuild's service does not stay in this long-lived one.
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build-server.mjs')], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) {
    const have = fs.existsSync(path.join(root, 'dist', `${name}.mjs`))
    console.error(`[auterity] the server build failed${have ? '; running the previous build in dist/' : ''}`)
    if (!have) process.exit(1)
  }
}
// Node 22+: V8's code cache on disk makes the next start of every process (and its children, through the
// environment) skip most compiling. Node 20 has no such API: nothing happens there.
const compileCache = /** @type {{ enableCompileCache?: (dir: string) => unknown }} */ (module).enableCompileCache
if (compileCache && !process.env.NODE_COMPILE_CACHE) {
  process.env.NODE_COMPILE_CACHE = path.join(root, 'node_modules/.cache/auterity-compile')
  compileCache(process.env.NODE_COMPILE_CACHE)
}
const file = path.join(root, 'dist', `${name}.mjs`)
process.argv.splice(1, 2, file)
await import(pathToFileURL(file).href)
