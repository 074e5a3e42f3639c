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

/** One process as /proc shows it. */
export interface ProcInfo {
  pid: number
  ppid: number
  /** Process group: what Ctrl-C in a terminal signals. */
  pgrp: number
  comm: string
  cmdline: string[]
}

/** Command name and parent pid from /proc/<pid>/stat; the name sits in parentheses and may hold spaces or parentheses. */
export function parseStat(text: string): { comm: string; ppid: number; pgrp: number } {
  const close = text.lastIndexOf(')')
  const fields = text.slice(close + 2).split(' ')
  return { comm: text.slice(text.indexOf('(') + 1, close), ppid: Number(fields[1]), pgrp: Number(fields[2]) }
}

/**
 * Proportional set size (KiB) from /proc/<pid>/smaps_rollup: each shared page split between the processes mapping
 * it, so the PSS of several processes adds up to what they hold together (RSS counts shared pages in each).
 */
export function parsePssKiB(smapsRollup: string): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(smapsRollup)
  if (!m) throw new Error('no Pss line in smaps_rollup')
  return Number(m[1])
}

/** `rootPid` and all its descendants in `table` (children before grandchildren). */
export function processTree(table: ProcInfo[], rootPid: number): ProcInfo[] {
  const byParent = new Map<number, ProcInfo[]>()
  for (const p of table) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p])
  const root = table.find((p) => p.pid === rootPid)
  const tree = root ? [root] : []
  for (let i = 0; i < tree.length; i++) tree.push(...(byParent.get(tree[i].pid) ?? []))
  return tree
}

/** Node options whose value is the next argument. */
const OPTION_WITH_VALUE = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C'])
/** Parts of the studio by the name of the program node runs (TypeScript or compiled, `launch.mjs <name>` included). */
const ROLES: Record<string, string> = {
  start: 'start supervisor', server: 'web', worker: 'worker', 'sandbox-child': 'code sandbox', setup: 'setup', tsx: 'tsx wrapper', next: 'next build',
}

/** Which part of the studio a process of `npm start`'s tree is, from its command line. */
export function processGroup(p: ProcInfo): string {
  if (p.comm === 'postgres' || p.comm === 'initdb') return 'postgres'
  if (['sh', 'bash', 'dash'].includes(p.comm)) return 'sh'
  if (p.comm === 'esbuild' || /(^|\/)esbuild$/.test(p.cmdline[0] ?? '')) return 'esbuild (tsx)'
  if (!/(^|\/)node$/.test(p.cmdline[0] ?? '') && p.comm !== 'node') return p.comm
  let i = 1
  while (i < p.cmdline.length && p.cmdline[i].startsWith('-')) i += OPTION_WITH_VALUE.has(p.cmdline[i]) ? 2 : 1
  const program = p.cmdline[i]
  if (!program) return p.comm
  if (/sandbox\/child\.[cm]?[jt]s$/.test(program)) return 'code sandbox'
  if (/tsx\/dist\/cli\.[cm]?js$/.test(program)) return 'tsx wrapper'
  let name = path.basename(program).replace(/\.[cm]?[jt]s$/, '')
  if (name === 'launch' && p.cmdline[i + 1]) name = p.cmdline[i + 1]
  return ROLES[name] ?? `node ${path.basename(program)}`
}

/** Every process on the machine (those that end while being read are left out). */
export function readProcesses(): ProcInfo[] {
  const out: ProcInfo[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = parseStat(fs.readFileSync(`/proc/${entry}/stat`, 'utf8'))
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean)
      out.push({ pid: Number(entry), ...stat, cmdline })
    } catch {
      // ended meanwhile
    }
  }
  return out
}

/** PSS (KiB) of a live process; null once it has ended. */
export function pssKiB(pid: number): number | null {
  try {
    return parsePssKiB(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
  } catch {
    return null
  }
}

/** One process of a tree with its group (processGroup) and PSS. */
export interface ProcMemory {
  pid: number
  group: string
  pssKiB: number
  command: string
}

/** PSS of every live process of the tree under `rootPid` (its own group named `rootGroup`), read now. */
export function treeMemory(rootPid: number, rootGroup: string): ProcMemory[] {
  return processTree(readProcesses(), rootPid).flatMap((p) => {
    const kib = pssKiB(p.pid)
    const group = p.pid === rootPid ? rootGroup : processGroup(p)
    return kib === null ? [] : [{ pid: p.pid, group, pssKiB: kib, command: p.cmdline.join(' ').slice(0, 160) }]
  })
}
