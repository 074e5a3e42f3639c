// The production processes a bench drives: spawned with the flags scripts/start.ts gives them, stopped by SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')

/** Starts `node … --import tsx <args>` in the repository and resolves once its stdout says `ready`. */
/** What workers/worker.ts and server.ts log (JSON lines, lib/log) once they take work. */
export const WORKER_READY = '"msg":"worker ready"'
export const WEB_READY = '"msg":"web ready"'

export function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: string, nodeFlags: string[] = []): Promise<ChildProcess> {
  // The readiness lines are info: shown unless the bench asks for another LOG_LEVEL.
  const child = spawn(process.execPath, ['--no-node-snapshot', '--max-semi-space-size=64', ...nodeFlags, '--import', 'tsx', ...args], { cwd: root, env: { LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before it was ready`)))
    child.stdout!.on('data', (d) => String(d).includes(ready) && resolve(child))
  })
}

/** Node flags writing the process's CPU profile into `dir` when it is set (a bench's *_CPU_PROFILE variable). */
export const cpuProfileFlags = (dir: string | undefined): string[] => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [])

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
}

export async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as AddressInfo
  await new Promise((r) => srv.close(r))
  return port
}

/** Resident memory of a live process (MiB): now, and its peak so far (VmHWM). */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 }
}
