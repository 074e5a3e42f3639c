// The studio for the e2e run, started by global-setup.ts as `tsx tests/e2e/stack.ts`: like scripts/start.ts
// (migrations, owner from AUTERITY_ADMIN_*, web + realtime + worker) but never building — global-setup builds
// under a lock first, so concurrent runs cannot rewrite .next under a running server.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { prepareRuntime } from '../../lib/infra/prepare'

const root = path.resolve(import.meta.dirname, '../..')
const tsx = path.join(root, 'node_modules/.bin/tsx')
const log = (line: string) => console.log(`[e2e-stack] ${line}`)

const runtime = await prepareRuntime(log)
const env = { ...process.env, ...runtime.env, NODE_ENV: 'production' as const }
const children: ChildProcess[] = []
let stopping = false

for (const script of ['server.ts', 'workers/worker.ts']) {
  const child = spawn(tsx, [script], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] })
  child.on('exit', (code, signal) => {
    if (stopping) return
    console.error(`[e2e-stack] ${script} exited (${signal ?? code}); stopping the stack`)
    void stop(1)
  })
  children.push(child)
}

async function stop(code: number) {
  if (stopping) return
  stopping = true
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve()
          const t = setTimeout(() => c.kill('SIGKILL'), 10_000)
          c.once('exit', () => {
            clearTimeout(t)
            resolve()
          })
          c.kill('SIGTERM')
        }),
    ),
  )
  await runtime.stop()
  process.exit(code)
}
process.on('SIGTERM', () => void stop(0))
process.on('SIGINT', () => void stop(0))
