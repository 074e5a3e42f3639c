// Entry of a sandbox child process (see process.ts): runs the parent's calls on an in-process sandbox. After an
// isolate was lost to a catastrophic out-of-memory, or once its memory passed the bound, every reply says
// `retiring`: the parent sends nothing more and kills the process when its last call has been answered.
import { NodeError } from '../engine/types'
import { createSandbox } from './isolate'
import type { ChildOptions, ChildReply, ChildRequest } from './process'

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions
const sandbox = createSandbox(options)
const maxRssBytes = (options.maxRssMb ?? 0) * 1024 * 1024
let rssCheckedAt = 0
let overRss = false

function retiring(): boolean {
  if (sandbox.health().catastrophicErrors > 0) return true
  // Reading RSS costs a syscall: once a second is plenty for a bound meant to catch slow growth.
  const now = Date.now()
  if (maxRssBytes > 0 && now - rssCheckedAt > 1000) {
    rssCheckedAt = now
    overRss = process.memoryUsage.rss() > maxRssBytes
  }
  return overRss
}

process.on('message', async (req: ChildRequest) => {
  const logs: [string, string][] = []
  let reply: ChildReply
  try {
    const value =
      req.op === 'expression'
        ? await sandbox.evaluateExpression(req.source, req.scope, req.limits)
        : await sandbox.runCode(req.source, req.scope, { ...req.limits, onLog: (level: string, line: string) => logs.push([level, line]) })
    reply = { id: req.id, ok: true, value, logs, retiring: retiring() }
  } catch (err) {
    const e = err instanceof NodeError ? err : new NodeError(err instanceof Error ? err.message : String(err))
    reply = { id: req.id, ok: false, error: { message: e.message, code: e.code }, logs, retiring: retiring() }
  }
  if (process.connected) process.send!(reply)
})

// The parent is gone. process.exit would wait forever for a stuck isolate thread during teardown.
process.on('disconnect', () => (sandbox.health().catastrophicErrors > 0 ? process.kill(process.pid, 'SIGKILL') : process.exit(0)))
