// `npm start`: the whole studio on one machine with nothing configured — PostgreSQL (embedded unless
// DATABASE_URL), Redis (REDIS_URL, a local one, or redis-server from PATH), migrations, the first owner,
// a production build of the UI when missing or stale, then the web+realtime server and a worker,
// restarted if they die. Ctrl-C (or SIGTERM) drains the worker and stops everything it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { readEnv } from '../lib/env'
import { isBuildFresh } from '../lib/infra/build'
import { prepareRuntime } from '../lib/infra/prepare'
import { RedisUnavailableError } from '../lib/infra/redis-server'

const root = path.resolve(import.meta.dirname, '..')
const dev = process.env.AUTERITY_DEV === '1'
const log = (line: string) => console.log(`[auterity] ${line}`)

function buildIfNeeded(childEnv: NodeJS.ProcessEnv) {
  if (isBuildFresh(root)) return
  log('Building the studio UI (first start or changed sources; about a minute)…')
  const r = spawnSync(path.join(root, 'node_modules/.bin/next'), ['build'], { cwd: root, env: childEnv, stdio: 'inherit' })
  if (r.status !== 0) {
    console.error('[auterity] next build failed; see the output above')
    process.exit(1)
  }
}

async function main() {
  let runtime
  try {
    runtime = await prepareRuntime(log)
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      console.error(`[auterity] ${err.message}`)
      process.exit(1)
    }
    throw err
  }
  const e = readEnv()
  // Next's telemetry phones home; a self-hosted studio stays quiet unless the user opts in.
  const childEnv: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: '1', ...process.env, ...runtime.env, NODE_ENV: dev ? 'development' : 'production' }
  if (!dev) buildIfNeeded(childEnv)

  if (runtime.owner.created) {
    log('First start: created the Default tenant and its owner.')
    log(`  email:    ${runtime.owner.email}`)
    if (runtime.owner.generatedPassword) log(`  password: ${runtime.owner.generatedPassword}   (shown once; set AUTERITY_ADMIN_PASSWORD to choose it)`)
    if (runtime.owner.generatedApiKey) log(`  API key:  ${runtime.owner.generatedApiKey}   (shown once; set AUTERITY_API_KEY to choose it)`)
  }

  const children = new Map<string, ChildProcess>()
  let stopping = false
  const restarts: Record<string, number[]> = {}

  const launch = (name: string, script: string) => {
    // node itself (not the tsx wrapper) so signals reach the process that holds the work; isolated-vm asks
    // for --no-node-snapshot on Node 20+; a larger young generation cuts GC work on the request/step hot paths
    // (~8 % of worker CPU on the webhook bench).
    const child = spawn(process.execPath, ['--no-node-snapshot', '--max-semi-space-size=64', '--import', 'tsx', script], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    // A worker that recycles itself (workers/worker.ts) says so first, in a JSON log line: that exit is planned, not a crash.
    let recycling = false
    const prefix = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
      let buf = ''
      stream.on('data', (chunk: Buffer) => {
        buf += chunk.toString()
        const lines = buf.split('\n')
        buf = lines.pop() ?? ''
        for (const line of lines) {
          if (line.includes('"msg":"worker recycling"')) recycling = true
          out.write(`[${name}] ${line}\n`)
        }
      })
    }
    prefix(child.stdout!, process.stdout)
    prefix(child.stderr!, process.stderr)
    child.on('exit', (code, signal) => {
      children.delete(name)
      if (stopping) return
      if (recycling) {
        log(`${name} recycled itself; starting a fresh one`)
        return launch(name, script)
      }
      const recent = (restarts[name] = [...(restarts[name] ?? []), Date.now()].filter((t) => Date.now() - t < 60_000))
      if (recent.length > 5) {
        console.error(`[auterity] ${name} keeps exiting (last: ${signal ?? code}); stopping.`)
        void shutdown(1)
        return
      }
      log(`${name} exited (${signal ?? code}); restarting`)
      setTimeout(() => !stopping && launch(name, script), 1000)
    })
    children.set(name, child)
  }

  const shutdown = async (code = 0) => {
    if (stopping) return
    stopping = true
    log('stopping: draining the worker and closing connections…')
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
            child.once('exit', () => {
              clearTimeout(timer)
              resolve()
            })
            child.kill('SIGTERM')
          }),
      ),
    )
    await runtime.stop()
    process.exit(code)
  }
  process.on('SIGINT', () => void shutdown(0))
  process.on('SIGTERM', () => void shutdown(0))

  launch('web', 'server.ts')
  launch('worker', 'workers/worker.ts')
  log(`Studio: http://localhost:${e.port}  (API docs: docs/api.md)`)
}

main().catch((err) => {
  console.error('[auterity] failed to start:', err instanceof Error ? err.message : err)
  process.exit(1)
})
