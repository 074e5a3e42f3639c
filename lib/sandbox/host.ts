// The sandbox of a long-lived host (the worker). Expressions run in process: they are on every step's params and
// cost ~0.1 ms there against ~0.3 ms more through IPC. Code nodes — where large allocations are the point —
// run in a pool of child processes, so an out-of-memory costs a child restart instead of the host's memory.
// An expression can still take an in-process isolate down for good: `health().catastrophicErrors` counts
// those, and the host should drain and restart (workers/worker.ts does). `processes: 0` keeps Code in process
// too (~170 µs less CPU per run): then every out-of-memory Code run costs such a restart.
import os from 'node:os'
import { createSandbox, type RunCodeOptions } from './isolate'
import { createProcessSandbox, type ProcessSandboxHealth } from './process'
import type { CodeRunner } from '../engine/types'

export interface HostSandboxOptions {
  /** Jobs the host runs at once: sizes both pools. */
  concurrency: number
  /** Code child processes (default: one per two cores, 1 to 4); 0 runs Code in process. */
  processes?: number
  /** A Code child whose resident memory passes this is replaced after its running calls (default 1536). */
  maxRssMb?: number
  /** Cores to size the pools for (default: what this process may use). */
  cores?: number
}

export type HostSandbox = CodeRunner & {
  runCode(source: string, scope: Record<string, unknown>, limits?: RunCodeOptions): Promise<unknown>
  health(): { catastrophicErrors: number; quarantinedIsolates: number; liveIsolates: number; code: ProcessSandboxHealth }
  /** Resolves once the Code children have exited. */
  dispose(): Promise<void>
}

export function createHostSandbox(options: HostSandboxOptions): HostSandbox {
  const cores = options.cores ?? os.availableParallelism()
  // One child per two cores: a child runs its isolates on isolated-vm's threads, so one keeps a core busy, and each
  // idle child is memory (~13 MB, more once its isolates warmed up). At most 4.
  const processes = Math.max(0, options.processes ?? Math.min(4, Math.max(1, Math.floor(cores / 2))))
  // Concurrent runs share an isolate's heap: spread them so one busy isolate does not hit its memory cap — but no more
  // isolates than twice the cores can keep busy, since each one's heap stays after a burst of load.
  const isolates = (share: number) => Math.max(2, Math.min(2 * cores, Math.ceil(share / 8)))
  const inProcess = createSandbox({ poolSize: isolates(options.concurrency) })
  const code =
    processes > 0
      ? createProcessSandbox({
          processes,
          poolSize: isolates(options.concurrency / processes),
          maxRssMb: options.maxRssMb ?? 1536,
          // A worker runs Code soon after it starts: the first run should not wait for the children.
          prestart: true,
        })
      : undefined
  return {
    evaluateExpression: (expression, scope, limits) => inProcess.evaluateExpression(expression, scope, limits),
    runCode: (source, scope, limits) => (code ?? inProcess).runCode(source, scope, limits),
    health: () => ({ ...inProcess.health(), code: code?.health() ?? { processes: 0, restarts: 0, pending: 0 } }),
    async dispose() {
      inProcess.dispose()
      await code?.dispose()
    },
  }
}
