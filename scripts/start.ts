// `npm start`: the whole studio on one machine with nothing configured — PostgreSQL (embedded unless
// DATABASE_URL), Redis (REDIS_URL, a local one, or redis-server from PATH), migrations and the first owner (in a
// one-shot child, scripts/setup.ts), a production build of the UI when missing or stale, then the web+realtime
// server and a worker, restarted if they die. The owner's credentials are printed last, once both are ready.
// Ctrl-C (or SIGTERM) drains the worker and stops everything it started.
// This supervisor lives as long as the studio: it runs compiled (dist/start.mjs, through scripts/launch.mjs) and
// loads nothing but what starts and watches processes.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { inspect } from 'node:util'
import { readEnv } from '../lib/env'
import { isBuildFresh } from '../lib/infra/build'
import { migrateAndCheckOwner, startLocalServices, type LocalServices } from '../lib/infra/prepare'
import { RedisUnavailableError } from '../lib/infra/redis-server'
import { DIST_DIR, projectRoot as root, runningCompiled } from '../lib/paths'
import type { BootstrapResult } from '../lib/db/bootstrap'

const dev = process.env.AUTERITY_DEV === '1'
const log = (line: string) => console.log(`[auterity] ${line}`)
const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`

/** Node flags of the long-lived processes: isolated-vm asks for --no-node-snapshot on Node 20+; a larger young
 * generation cuts GC work on the request/step hot paths (~8 % of worker CPU on the webhook bench). */
const NODE_FLAGS = ['--no-node-snapshot', '--max-semi-space-size=64']

/** How to run one of the processes: compiled JavaScript from dist/ in production, the TypeScript source under `npm run dev`. */
function entry(name: 'server' | 'worker' | 'setup', source: string): string[] {
  return runningCompiled && !dev ? [path.join(DIST_DIR, `${name}.mjs`)] : ['--import', 'tsx', path.join(root, source)]
}

/** Pipes a child's output line by line, prefixed with its name; `onLine` sees each line first. */
function prefixLines(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WriteStream, onLine?: (line: string) => void) {
  let buf = ''
  stream.on('data', (chunk: Buffer) => {
    buf += chunk.toString()
    const lines = buf.split('\n')
    buf = lines.pop() ?? ''
    for (const line of lines) {
      out.write(`[${name}] ${line}\n`)
      onLine?.(line)
    }
  })
}

/** `next build` when the UI build is missing or older than its sources, with a line every 15 s while it is quiet. */
async function buildIfNeeded(childEnv: NodeJS.ProcessEnv, children: Map<string, ChildProcess>): Promise<void> {
  if (isBuildFresh(root)) return
  const started = Date.now()
  log('Building the studio UI: first start or changed sources. This takes 1–3 minutes on 2 cores; the studio starts when it is done.')
  const child = spawn(path.join(root, 'node_modules/.bin/next'), ['build'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  children.set('build', child)
  let last = Date.now()
  const onLine = () => void (last = Date.now())
  prefixLines('build', child.stdout!, process.stdout, onLine)
  prefixLines('build', child.stderr!, process.stderr, onLine)
  const heartbeat = setInterval(() => {
    if (Date.now() - last >= 15_000) {
      log(`still building the UI… ${elapsed(started)}`)
      last = Date.now()
    }
  }, 1000)
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  children.delete('build')
  clearInterval(heartbeat)
  if (code !== 0) {
    if (code === null) return // stopped by Ctrl-C: the supervisor's shutdown goes on
    console.error('[auterity] next build failed; see the output above')
    process.exit(1)
  }
  log(`UI built in ${elapsed(started)}`)
}

/** Migrations and the first owner, in a child that exits when done (it holds Prisma; this process does not). */
function runSetup(childEnv: NodeJS.ProcessEnv, children: Map<string, ChildProcess>): Promise<BootstrapResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, entry('setup', 'scripts/setup.ts'), { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
    children.set('setup', child)
    prefixLines('auterity', child.stdout!, process.stdout)
    prefixLines('setup', child.stderr!, process.stderr)
    let result: { ok: true; owner: BootstrapResult } | { ok: false; error: string } | undefined
    child.on('message', (m) => (result = m as typeof result))
    child.once('exit', (code) => {
      children.delete('setup')
      if (result?.ok) resolve(result.owner)
      else reject(new Error(result?.error ?? `setup exited with ${code}`))
    })
  })
}

async function main() {
  const started = Date.now()
  const children = new Map<string, ChildProcess>()
  let services: LocalServices | undefined
  let servicesStarting: Promise<LocalServices> | undefined
  let stopping = false
  // Ctrl-C at any point — during the UI build, the setup, or once running — stops what was started so far.
  const shutdown = async (code = 0) => {
    if (stopping) return
    stopping = true
    log('stopping: draining the worker and closing connections…')
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve()
            const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
            child.once('exit', () => {
              clearTimeout(timer)
              resolve()
            })
            child.kill('SIGTERM')
          }),
      ),
    )
    // Stopped while PostgreSQL was still starting: wait for it, then stop it, so nothing is left behind.
    await (services ?? (await servicesStarting?.catch(() => undefined)))?.stop()
    process.exit(code)
  }
  process.on('SIGINT', () => void shutdown(0))
  process.on('SIGTERM', () => void shutdown(0))

  try {
    servicesStarting = startLocalServices(log)
    services = await servicesStarting
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      console.error(`[auterity] ${err.message}`)
      process.exit(1)
    }
    throw err
  }
  const e = readEnv()
  // Next's telemetry phones home; a self-hosted studio stays quiet unless the user opts in.
  const childEnv: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: '1', ...process.env, ...services.env, NODE_ENV: dev ? 'development' : 'production' }
  let owner: BootstrapResult = { created: false, tenantId: '' }
  try {
    // Warm starts usually have nothing to set up: migrations are checked here, and the child runs only for a first
    // owner (or a given API key), which needs Prisma.
    const { setupNeeded } = await migrateAndCheckOwner(services.env.DATABASE_URL, log)
    if (setupNeeded) owner = await runSetup(childEnv, children)
  } catch (err) {
    if (stopping) return
    console.error(`[auterity] setup failed: ${err instanceof Error ? err.message : err}`)
    await services.stop()
    process.exit(1)
  }
  if (!dev) await buildIfNeeded(childEnv, children)
  if (stopping) return

  const restarts: Record<string, number[]> = {}
  const ready = new Set<string>()
  let announced = false
  const READY: Record<string, string> = { web: '"msg":"web ready"', worker: '"msg":"worker ready"' }

  // Printed once, after web and worker said they are ready, so it is the last thing on the screen.
  const announce = () => {
    if (announced || ready.size < 2) return
    announced = true
    const lines = [`Auterity Studio is ready on http://localhost:${e.port}  (started in ${elapsed(started)}; API docs: docs/api.md)`]
    if (owner.created) {
      lines.push('First start: created the Default tenant and its owner. Sign in with:')
      lines.push(`  email:    ${owner.email}`)
      if (owner.generatedPassword) lines.push(`  password: ${owner.generatedPassword}   (shown once; set AUTERITY_ADMIN_PASSWORD to choose it)`)
      if (owner.generatedApiKey) lines.push(`  API key:  ${owner.generatedApiKey}   (shown once; set AUTERITY_API_KEY to choose it)`)
    }
    const width = Math.max(...lines.map((l) => l.length)) + 2
    console.log(['', '='.repeat(width), ...lines.map((l) => ` ${l}`), '='.repeat(width), ''].join('\n'))
  }

  const launch = (name: 'web' | 'worker', args: string[]) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, ...args], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    // A worker that recycles itself (workers/worker.ts) says so first, in a JSON log line: that exit is planned, not a crash.
    let recycling = false
    prefixLines(name, child.stdout!, process.stdout, (line) => {
      if (line.includes('"msg":"worker recycling"')) recycling = true
      if (!ready.has(name) && line.includes(READY[name])) {
        ready.add(name)
        announce()
      }
    })
    prefixLines(name, child.stderr!, process.stderr)
    child.on('exit', (code, signal) => {
      children.delete(name)
      if (stopping) return
      if (recycling) {
        log(`${name} recycled itself; starting a fresh one`)
        return launch(name, args)
      }
      const recent = (restarts[name] = [...(restarts[name] ?? []), Date.now()].filter((t) => Date.now() - t < 60_000))
      if (recent.length > 5) {
        console.error(`[auterity] ${name} keeps exiting (last: ${signal ?? code}); stopping.`)
        void shutdown(1)
        return
      }
      log(`${name} exited (${signal ?? code}); restarting`)
      setTimeout(() => !stopping && launch(name, args), 1000)
    })
    children.set(name, child)
  }

  launch('web', entry('server', 'server.ts'))
  launch('worker', entry('worker', 'workers/worker.ts'))
}

main().catch((err) => {
  console.error('[auterity] failed to start:', err instanceof Error ? err.message : inspect(err))
  process.exit(1)
})
