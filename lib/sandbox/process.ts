// The sandbox in a child process: the same CodeRunner, but a V8 out-of-memory that isolated-vm cannot
// unwind from costs a child restart instead of a stuck thread in the host. One IPC hop per call.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { NodeError, type CodeRunner, type SandboxLimits } from '../engine/types'
import { SANDBOX_ERROR } from './errors'
import type { RunCodeOptions, SandboxOptions } from './isolate'

export interface ChildRequest {
  id: number
  op: 'expression' | 'code'
  source: string
  scope: Record<string, unknown>
  limits?: SandboxLimits
}

export type ChildReply =
  | { id: number; ok: true; value: unknown; logs: [string, string][]; retiring: boolean }
  | { id: number; ok: false; error: { message: string; code: string }; logs: [string, string][]; retiring: boolean }

interface Pending {
  resolve(value: unknown): void
  reject(err: NodeError): void
  onLog?: RunCodeOptions['onLog']
  timer: ReturnType<typeof setTimeout>
}

export type ProcessSandbox = CodeRunner & {
  runCode(source: string, scope: Record<string, unknown>, limits?: RunCodeOptions): Promise<unknown>
  /** Child processes started so far (1 + restarts). */
  restarts(): number
  dispose(): void
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))
/** Extra time the parent grants before it declares the child hung and replaces it. */
const GRACE_MS = 5000

export function createProcessSandbox(options: SandboxOptions = {}): ProcessSandbox {
  const defaultTimeout = options.timeoutMs ?? 1000
  let child: ChildProcess | null = null
  let started = 0
  let nextId = 1
  let disposed = false
  const pending = new Map<number, Pending>()

  function failAll(child: ChildProcess, err: () => NodeError) {
    for (const [id, p] of pending) {
      if ((p as Pending & { child?: ChildProcess }).child !== child) continue
      clearTimeout(p.timer)
      pending.delete(id)
      p.reject(err())
    }
  }

  function spawn(): ChildProcess {
    const proc = fork(CHILD, [], {
      execArgv: ['--no-node-snapshot', '--import', 'tsx'],
      env: {
        ...process.env,
        SANDBOX_TIMEOUT_MS: String(options.timeoutMs ?? ''),
        SANDBOX_MEMORY_MB: String(options.memoryMb ?? ''),
        SANDBOX_POOL_SIZE: String(options.poolSize ?? ''),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    })
    started++
    proc.on('message', (reply: ChildReply) => {
      // A child that lost an isolate exits after answering: send nothing more to it.
      if (reply.retiring) {
        if (child === proc) child = null
        setTimeout(() => proc.kill('SIGKILL'), 1000).unref()
      }
      const p = pending.get(reply.id)
      if (!p) return
      pending.delete(reply.id)
      clearTimeout(p.timer)
      for (const [level, line] of reply.logs) p.onLog?.(level as 'log', line)
      if (reply.ok) p.resolve(reply.value)
      else p.reject(new NodeError(reply.error.message, { code: reply.error.code, retryable: false }))
    })
    proc.on('exit', () => {
      if (child === proc) child = null
      failAll(proc, () => new NodeError('The sandbox process ended while running this code (out of memory)', { code: SANDBOX_ERROR.memory, retryable: false }))
    })
    proc.unref()
    proc.channel?.unref()
    return proc
  }

  function call(op: ChildRequest['op'], source: string, scope: Record<string, unknown>, limits?: RunCodeOptions): Promise<unknown> {
    if (disposed) return Promise.reject(new NodeError('The sandbox has been disposed', { code: SANDBOX_ERROR.runtime }))
    if (child && !child.connected) child = null
    const proc = (child ??= spawn())
    const id = nextId++
    const { onLog, ...plainLimits } = limits ?? {}
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new NodeError(`Code ran longer than the limit of ${plainLimits.timeoutMs ?? defaultTimeout} ms`, { code: SANDBOX_ERROR.timeout, retryable: false }))
        proc.kill('SIGKILL')
      }, (plainLimits.timeoutMs ?? defaultTimeout) + GRACE_MS)
      const entry: Pending & { child: ChildProcess } = { resolve, reject, onLog, timer, child: proc }
      pending.set(id, entry)
      proc.send({ id, op, source, scope, limits: plainLimits } satisfies ChildRequest)
    })
  }

  return {
    evaluateExpression: (expression, scope, limits) => call('expression', expression, scope, limits),
    runCode: (source, scope, limits) => call('code', source, scope, limits),
    restarts: () => started,
    dispose() {
      disposed = true
      child?.kill('SIGKILL')
      child = null
    },
  }
}
