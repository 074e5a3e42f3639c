// The sandbox in a pool of child processes: the same CodeRunner, but a V8 out-of-memory that isolated-vm cannot
// unwind from (it leaves a stuck thread and its heap in the process for good) costs a child restart instead of
// the host's memory. One IPC round trip per call; calls go to the least busy child.
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { NodeError, type CodeRunner, type SandboxLimits } from '../engine/types'
import { SANDBOX_ERROR, timeoutError } from './errors'
import { DIST_DIR, projectRoot, runningCompiled } from '../paths'
import type { RunCodeOptions, SandboxOptions } from './isolate'

export interface ChildOptions extends SandboxOptions {
  /** The child asks to be replaced once its resident memory passes this. */
  maxRssMb?: number
}

export interface ProcessSandboxOptions extends ChildOptions {
  /** Child processes calls are spread over. */
  processes?: number
  /** Calls running or waiting in all children together; beyond it a call fails with SANDBOX_BUSY (retryable). */
  maxPending?: number
  /** Start the children now rather than on the first call (~0.5 s each). */
  prestart?: boolean
}

export interface ChildRequest {
  id: number
  op: 'expression' | 'code'
  source: string
  scope: Record<string, unknown>
  limits: SandboxLimits
}

/** `retiring`: the child lost an isolate or outgrew its memory bound; it gets no new calls and is replaced. */
export type ChildReply =
  | { id: number; ok: true; value: unknown; logs: [string, string][]; retiring: boolean }
  | { id: number; ok: false; error: { message: string; code: string }; logs: [string, string][]; retiring: boolean }

interface Call {
  request: ChildRequest
  onLog?: RunCodeOptions['onLog']
  resolve(value: unknown): void
  reject(err: NodeError): void
  timer?: ReturnType<typeof setTimeout>
  /** Children that died while holding this call. */
  losses: number
}

interface Child {
  proc: ChildProcess
  calls: Map<number, Call>
  retiring: boolean
  /** Answered at least once: a child that dies before that is not replaced eagerly (no respawn loop). */
  answered: boolean
}

export interface ProcessSandboxHealth {
  processes: number
  /** Children started after the first `processes` (out-of-memory, memory bound, hang, crash). */
  restarts: number
  pending: number
}

export type ProcessSandbox = CodeRunner & {
  runCode(source: string, scope: Record<string, unknown>, limits?: RunCodeOptions): Promise<unknown>
  /** Child processes started so far. */
  restarts(): number
  health(): ProcessSandboxHealth
  /** Kills the children; resolves once they have exited (reaped), at most 2 s later. */
  dispose(): Promise<void>
}

/** The child's entry and the flags it needs: the compiled dist/sandbox-child.mjs when this module runs compiled
 * (dist/), or in production when the server build is there (Next's server bundle of the web process); else
 * child.ts through tsx (tests, `npm run dev`). */
function childEntry(): string {
  const compiled = path.join(DIST_DIR, 'sandbox-child.mjs')
  if ((runningCompiled || process.env.NODE_ENV === 'production') && fs.existsSync(compiled)) return compiled
  const beside = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.ts')
  return fs.existsSync(beside) ? beside : path.join(projectRoot, 'lib/sandbox/child.ts')
}

/** fork, out of sight of Next's bundler: it traces `fork(<path>)` as a module to bundle and fails the build on a path
 * it cannot evaluate (the compiled child's path is found at run time). */
const forkChild = (process.getBuiltinModule('node:child_process') as typeof import('node:child_process')).fork
const childExecArgv = (entry: string): string[] => (entry.endsWith('.ts') ? ['--no-node-snapshot', '--import', 'tsx'] : ['--no-node-snapshot'])

/** Extra time the parent grants before it declares a child hung and replaces it. */
const GRACE_MS = 5000
/** A call whose child died under it goes to another child once: the death was most likely another call's doing. */
const MAX_LOSSES = 1

export function createProcessSandbox(options: ProcessSandboxOptions = {}): ProcessSandbox {
  const { processes, maxPending: maxPendingOption, prestart, ...childOptions } = options
  const size = Math.max(1, processes ?? 1)
  const maxPending = Math.max(1, maxPendingOption ?? 1000)
  const defaultTimeout = options.timeoutMs ?? 1000
  const entry = childEntry()
  const live: Child[] = []
  let started = 0
  let pending = 0
  let nextId = 1
  let disposed = false

  function spawn(): Child {
    const proc = forkChild(entry, [JSON.stringify(childOptions)], {
      execArgv: childExecArgv(entry),
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      // JSON beats the structured-clone serializer on these small messages (~25 % less CPU per call); items are JSON data.
      serialization: 'json',
    })
    started++
    const child: Child = { proc, calls: new Map(), retiring: false, answered: false }
    proc.on('message', (reply: ChildReply) => onReply(child, reply))
    proc.once('exit', () => onExit(child))
    // A process that could not be started never emits 'exit'.
    proc.once('error', () => (proc.pid === undefined ? onExit(child) : proc.kill('SIGKILL')))
    // An idle pool must not keep the host alive; a call in flight does, through its timer.
    proc.unref()
    proc.channel?.unref()
    return child
  }

  function fill(): void {
    while (!disposed && live.length < size) live.push(spawn())
  }

  function leastBusy(): Child {
    fill()
    let best = live[0]
    for (const c of live) if (c.calls.size < best.calls.size) best = c
    return best
  }

  function retire(child: Child): void {
    if (child.retiring) return
    child.retiring = true
    const i = live.indexOf(child)
    if (i >= 0) live.splice(i, 1)
    if (child.answered) fill()
    if (child.calls.size === 0) child.proc.kill('SIGKILL')
  }

  function dispatch(call: Call): void {
    const child = leastBusy()
    child.calls.set(call.request.id, call)
    const limit = call.request.limits.timeoutMs ?? defaultTimeout
    call.timer = setTimeout(() => {
      finish(child, call)
      call.reject(timeoutError(limit))
      // Still busy long past the limit: the child is hung; its other calls move on when it exits.
      retire(child)
      child.proc.kill('SIGKILL')
    }, limit + GRACE_MS)
    try {
      child.proc.send(call.request)
    } catch (err) {
      finish(child, call)
      call.reject(new NodeError(`Could not pass this data to the sandbox: ${err instanceof Error ? err.message : String(err)}`, { code: SANDBOX_ERROR.runtime }))
    }
  }

  function finish(child: Child, call: Call): void {
    clearTimeout(call.timer)
    child.calls.delete(call.request.id)
    pending--
    if (child.retiring && child.calls.size === 0) child.proc.kill('SIGKILL')
  }

  function onReply(child: Child, reply: ChildReply): void {
    child.answered = true
    if (reply.retiring) retire(child)
    const call = child.calls.get(reply.id)
    if (!call) return
    finish(child, call)
    for (const [level, line] of reply.logs) call.onLog?.(level as 'log', line)
    if (reply.ok) call.resolve(reply.value)
    else call.reject(new NodeError(reply.error.message, { code: reply.error.code, retryable: false }))
  }

  function onExit(child: Child): void {
    retire(child)
    for (const call of [...child.calls.values()]) {
      finish(child, call)
      if (!disposed && ++call.losses <= MAX_LOSSES) {
        pending++
        dispatch(call)
      } else {
        call.reject(new NodeError('The sandbox process ended while running this code (out of memory)', { code: SANDBOX_ERROR.memory, retryable: false }))
      }
    }
  }

  function call(op: ChildRequest['op'], source: string, scope: Record<string, unknown>, limits?: RunCodeOptions): Promise<unknown> {
    if (disposed) return Promise.reject(new NodeError('The sandbox has been disposed', { code: SANDBOX_ERROR.runtime }))
    if (pending >= maxPending) {
      return Promise.reject(new NodeError(`The sandbox has ${pending} calls waiting; try again later`, { code: SANDBOX_ERROR.busy, retryable: true }))
    }
    const { onLog, ...plainLimits } = limits ?? {}
    return new Promise((resolve, reject) => {
      pending++
      dispatch({ request: { id: nextId++, op, source, scope, limits: plainLimits }, onLog, resolve, reject, losses: 0 })
    })
  }

  if (prestart) fill()
  return {
    evaluateExpression: (expression, scope, limits) => call('expression', expression, scope, limits),
    runCode: (source, scope, limits) => call('code', source, scope, limits),
    restarts: () => started,
    health: () => ({ processes: live.length, restarts: Math.max(0, started - size), pending }),
    async dispose() {
      disposed = true
      const gone = live.splice(0).map((child) => {
        const exited = child.proc.exitCode !== null || child.proc.signalCode !== null || child.proc.pid === undefined
        const done = exited ? Promise.resolve() : new Promise<void>((resolve) => child.proc.once('exit', () => resolve()))
        child.proc.ref() // keeps this process up until the exit is seen (spawn() unrefs it)
        child.proc.kill('SIGKILL')
        return done
      })
      // A host that stops right after must not leave a child behind it, not even as a zombie for init to reap.
      let timer: NodeJS.Timeout | undefined
      await Promise.race([Promise.all(gone), new Promise((r) => (timer = setTimeout(r, 2000).unref()))])
      clearTimeout(timer)
    },
  }
}
