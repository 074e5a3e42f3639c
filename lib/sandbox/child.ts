// Entry of the sandbox child process (see process.ts): runs calls from the parent on an in-process sandbox
// and exits after an isolate was lost to a catastrophic out-of-memory, so no stuck thread outlives it.
import { NodeError } from '../engine/types'
import { createSandbox } from './isolate'
import type { ChildReply, ChildRequest } from './process'

const sandbox = createSandbox({
  timeoutMs: Number(process.env.SANDBOX_TIMEOUT_MS) || undefined,
  memoryMb: Number(process.env.SANDBOX_MEMORY_MB) || undefined,
  poolSize: Number(process.env.SANDBOX_POOL_SIZE) || undefined,
})

const retiring = () => sandbox.health().catastrophicErrors > 0

function reply(message: ChildReply): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()))
}

process.on('message', async (req: ChildRequest) => {
  const logs: [string, string][] = []
  try {
    const value =
      req.op === 'expression'
        ? await sandbox.evaluateExpression(req.source, req.scope, req.limits)
        : await sandbox.runCode(req.source, req.scope, { ...req.limits, onLog: (level: string, line: string) => logs.push([level, line]) })
    await reply({ id: req.id, ok: true, value, logs, retiring: retiring() })
  } catch (err) {
    const e = err instanceof NodeError ? err : new NodeError(err instanceof Error ? err.message : String(err))
    await reply({ id: req.id, ok: false, error: { message: e.message, code: e.code }, logs, retiring: retiring() })
  }
  // process.exit would wait for the stuck isolate thread during teardown: end the process outright.
  if (retiring()) process.kill(process.pid, 'SIGKILL')
})

process.on('disconnect', () => process.exit(0))
