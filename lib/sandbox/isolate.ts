// The one place user JavaScript runs: isolated-vm isolates with time and memory limits.
// Expressions share one deep-frozen context per isolate (cheap: ~10 µs per call). Code nodes run in a warm
// deep-frozen context per isolate and partition (the tenant): globals cannot be written, so a run leaves nothing
// for the next one, and runs of different partitions never share a context; without a partition every run gets
// a fresh context. Each distinct source is compiled once per context. Data crosses the boundary by copy only.
import ivm from 'isolated-vm'
import type { CodeRunner, SandboxLimits } from '../engine/types'
import { SANDBOX_ERROR, memoryError, timeoutError, toSandboxError } from './errors'
import { FREEZE_GLOBALS, assertScopeKeys, codeFunctionSource, expressionFunctionSource } from './prelude'
import { NodeError } from '../engine/types'

export interface SandboxOptions {
  /** Default per evaluation / per Code run. */
  timeoutMs?: number
  /** Heap limit of each isolate (isolated-vm's minimum is 8). */
  memoryMb?: number
  /** Isolates per memory size; calls are spread over them. */
  poolSize?: number
  /** A memory size's isolates unused this long are disposed, and made again on the next call (default 30 s; 0: kept).
   * An isolate keeps the heap its busiest moment grew to (tens of MB after a burst of Code runs) until it is gone. */
  idleDisposeMs?: number
}

export interface RunCodeOptions extends SandboxLimits {
  /** Receives console.log/info/warn/error lines of the user's code after it finished. */
  onLog?(level: 'log' | 'info' | 'warn' | 'error', message: string): void
}

export type Sandbox = CodeRunner & {
  runCode(source: string, scope: Record<string, unknown>, limits?: RunCodeOptions): Promise<unknown>
  /** Isolates lost to an out-of-memory V8 could not unwind from. Each leaks a stuck thread: a host seeing
   * a non-zero count should finish its current jobs and restart the process. */
  health(): { catastrophicErrors: number; quarantinedIsolates: number; liveIsolates: number }
  dispose(): void
}

const MAX_CACHED_EXPRESSIONS = 2000
/** Warm Code contexts per isolate (one per partition, least recently used goes first). */
const MAX_CODE_CONTEXTS = 16
/** A warm Code context is replaced after this many runs or compiled sources, so whatever a run leaves in the
 * isolate's heap (interned strings, symbols, compiled code) is bounded. */
const CODE_CONTEXT_RUNS = 2000
const CODE_CONTEXT_SOURCES = 200

type CodeFn = ivm.Reference<(scope: unknown) => Promise<string>>

interface CodeContext {
  partition: string | undefined
  ready: Promise<ivm.Context>
  fns: Map<string, CodeFn>
  runs: number
  inFlight: number
  retired: boolean
}

interface Slot {
  isolate: ivm.Isolate
  context: ivm.Context | null
  expressions: Map<string, ivm.Reference<(scopeJson: string) => string | undefined>>
  /** Warm Code contexts by partition, in least-recently-used order. */
  code: Map<string, CodeContext>
  inFlight: number
  /** Rejects when V8 reports a catastrophic error (an out-of-memory it cannot unwind from). */
  crashed: Promise<never>
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const defaultTimeout = options.timeoutMs ?? 1000
  const defaultMemory = Math.max(8, options.memoryMb ?? 64)
  const poolSize = Math.max(1, options.poolSize ?? 2)
  const pools = new Map<number, Slot[]>()
  const lastUsed = new Map<number, number>()
  let disposed = false
  const idleDisposeMs = options.idleDisposeMs ?? 30_000
  const idleTimer = idleDisposeMs > 0 ? setInterval(disposeIdle, Math.min(idleDisposeMs, 10_000)) : undefined
  idleTimer?.unref()

  function disposeIdle(): void {
    const now = Date.now()
    for (const [memoryMb, pool] of pools) {
      if (now - (lastUsed.get(memoryMb) ?? 0) < idleDisposeMs || pool.some((s) => s.inFlight > 0)) continue
      pools.delete(memoryMb)
      for (const slot of pool) if (!slot.isolate.isDisposed && !quarantined.has(slot)) slot.isolate.dispose()
    }
  }

  let catastrophicErrors = 0

  function newSlot(memoryMb: number): Slot {
    let fail!: (err: Error) => void
    const crashed = new Promise<never>((_, reject) => (fail = reject))
    crashed.catch(() => {})
    const slot: Slot = { isolate: undefined as unknown as ivm.Isolate, context: null, expressions: new Map(), code: new Map(), inFlight: 0, crashed }
    slot.isolate = new ivm.Isolate({
      memoryLimit: memoryMb,
      // A large single allocation can make V8 fail past the soft limit. The isolate is then stuck for good:
      // fail its calls, take it out of the pool and never touch it again (see docs/engine.md).
      onCatastrophicError: () => {
        catastrophicErrors++
        quarantined.add(slot)
        const pool = pools.get(memoryMb)
        const i = pool ? pool.indexOf(slot) : -1
        if (pool && i >= 0) pool[i] = newSlot(memoryMb)
        fail(memoryError(memoryMb))
      },
    })
    return slot
  }
  const quarantined = new Set<Slot>()

  function pick(memoryMb: number): Slot {
    if (disposed) throw new NodeError('The sandbox has been disposed', { code: SANDBOX_ERROR.runtime })
    lastUsed.set(memoryMb, Date.now())
    let pool = pools.get(memoryMb)
    if (!pool) {
      pool = Array.from({ length: poolSize }, () => newSlot(memoryMb))
      pools.set(memoryMb, pool)
    }
    for (let i = 0; i < pool.length; i++) if (pool[i].isolate.isDisposed) pool[i] = newSlot(memoryMb)
    return pool.reduce((best, s) => (s.inFlight < best.inFlight ? s : best), pool[0])
  }

  function retire(slot: Slot, memoryMb: number): void {
    const pool = pools.get(memoryMb)
    if (!pool) return
    const i = pool.indexOf(slot)
    if (i >= 0) pool[i] = newSlot(memoryMb)
    if (!slot.isolate.isDisposed && !quarantined.has(slot)) slot.isolate.dispose()
  }

  async function expressionContext(slot: Slot): Promise<ivm.Context> {
    if (slot.context) return slot.context
    const context = await slot.isolate.createContext()
    await context.eval(FREEZE_GLOBALS, { timeout: 1000 })
    slot.context = context
    return context
  }

  async function compileExpression(slot: Slot, expression: string, keys: string[], timeoutMs: number) {
    const cacheKey = `${keys.join(',')}\n${expression}`
    const cached = slot.expressions.get(cacheKey)
    if (cached) return cached
    const context = await expressionContext(slot)
    const fn = (await context.eval(expressionFunctionSource(expression, keys), { reference: true, timeout: timeoutMs })) as ivm.Reference<(scopeJson: string) => string | undefined>
    if (slot.expressions.size >= MAX_CACHED_EXPRESSIONS) {
      for (const ref of slot.expressions.values()) ref.release()
      slot.expressions.clear()
    }
    slot.expressions.set(cacheKey, fn)
    return fn
  }

  function limitsOf(limits?: SandboxLimits) {
    return { timeoutMs: limits?.timeoutMs ?? defaultTimeout, memoryMb: Math.max(8, limits?.memoryMb ?? defaultMemory) }
  }

  function parseOutput(text: string | undefined): unknown {
    if (text === undefined) return undefined
    if (typeof text !== 'string') throw new NodeError('Code returned a value that is not JSON data', { code: SANDBOX_ERROR.output })
    return JSON.parse(text)
  }

  async function evaluateExpression(expression: string, scope: Record<string, unknown>, limits?: SandboxLimits): Promise<unknown> {
    const lim = limitsOf(limits)
    const keys = Object.keys(scope)
    assertScopeKeys(keys)
    const slot = pick(lim.memoryMb)
    slot.inFlight++
    try {
      const fn = await Promise.race([compileExpression(slot, expression, keys, lim.timeoutMs), slot.crashed])
      // A JSON string crosses faster than a structured copy of the scope object.
      const out = await Promise.race([fn.apply(undefined, [JSON.stringify(scope)], { timeout: lim.timeoutMs }), slot.crashed])
      return parseOutput(out as string | undefined)
    } catch (err) {
      const died = slot.isolate.isDisposed || quarantined.has(slot)
      if (died) retire(slot, lim.memoryMb)
      throw toSandboxError(err, lim, died)
    } finally {
      slot.inFlight--
    }
  }

  async function runCode(source: string, scope: Record<string, unknown>, limits?: RunCodeOptions): Promise<unknown> {
    const lim = limitsOf(limits)
    const keys = Object.keys(scope)
    assertScopeKeys(keys)
    const slot = pick(lim.memoryMb)
    slot.inFlight++
    let warm: CodeContext | undefined
    let timer: NodeJS.Timeout | undefined
    let timedOut = false
    try {
      warm = codeContext(slot, limits?.partition)
      warm.inFlight++
      const fn = await Promise.race([compileCode(warm, source, keys, lim.timeoutMs), slot.crashed])
      // isolated-vm's timeout covers synchronous execution only; awaited continuations are bounded here,
      // by disposing the isolate (the only way to stop code that is running on it).
      const guard = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true
          reject(timeoutError(lim.timeoutMs))
        }, lim.timeoutMs + 20)
      })
      const run = fn.apply(undefined, [scope], { arguments: { copy: true }, result: { promise: true }, timeout: lim.timeoutMs })
      run.catch(() => {})
      const text = await Promise.race([run, guard, slot.crashed])
      const out = parseOutput(text as string) as { value: unknown; thrown?: { name: string; message: string }; logs: [RunCodeOptions['onLog'] extends undefined ? never : 'log', string][] }
      if (limits?.onLog) for (const [level, line] of out.logs) limits.onLog(level as 'log', line)
      if (out.thrown) throw Object.assign(new Error(out.thrown.message), { name: out.thrown.name })
      return out.value
    } catch (err) {
      const died = slot.isolate.isDisposed || quarantined.has(slot)
      if (timedOut || died) retire(slot, lim.memoryMb)
      if (timedOut) throw timeoutError(lim.timeoutMs)
      if (died) throw memoryError(lim.memoryMb)
      throw toSandboxError(err, lim, died)
    } finally {
      clearTimeout(timer)
      slot.inFlight--
      if (warm) {
        warm.inFlight--
        warm.runs++
        if (warm.retired || warm.runs >= CODE_CONTEXT_RUNS || warm.fns.size >= CODE_CONTEXT_SOURCES) retireCode(slot, warm)
      }
    }
  }

  /** The partition's warm context on this isolate, or a fresh one-run context when there is no partition. */
  function codeContext(slot: Slot, partition: string | undefined): CodeContext {
    const hit = partition === undefined ? undefined : slot.code.get(partition)
    if (hit) {
      slot.code.delete(partition!) // re-inserted: most recently used last
      slot.code.set(partition!, hit)
      return hit
    }
    const ready = slot.isolate.createContext().then(async (context) => {
      if (partition !== undefined) await context.eval(FREEZE_GLOBALS, { timeout: 1000 })
      return context
    })
    const warm: CodeContext = { partition, ready, fns: new Map(), runs: 0, inFlight: 0, retired: partition === undefined }
    ready.catch(() => retireCode(slot, warm))
    if (partition !== undefined) {
      if (slot.code.size >= MAX_CODE_CONTEXTS) retireCode(slot, slot.code.values().next().value!)
      slot.code.set(partition, warm)
    }
    return warm
  }

  async function compileCode(warm: CodeContext, source: string, keys: string[], timeoutMs: number): Promise<CodeFn> {
    const key = `${keys.join(',')}\n${source}`
    const hit = warm.fns.get(key)
    if (hit) return hit
    const context = await warm.ready
    const fn = (await context.eval(codeFunctionSource(source, keys), { reference: true, timeout: timeoutMs })) as CodeFn
    warm.fns.get(key)?.release() // compiled twice by two runs at once: keep the newer
    warm.fns.set(key, fn)
    return fn
  }

  /** Takes a context out of use; it is released once its last run finished. */
  function retireCode(slot: Slot, warm: CodeContext): void {
    if (warm.partition !== undefined && slot.code.get(warm.partition) === warm) slot.code.delete(warm.partition)
    warm.retired = true
    if (warm.inFlight === 0) releaseCode(slot, warm)
  }

  function releaseCode(slot: Slot, warm: CodeContext): void {
    void warm.ready.then(
      (context) => {
        if (slot.isolate.isDisposed || quarantined.has(slot)) return
        for (const fn of warm.fns.values()) fn.release()
        warm.fns.clear()
        context.release()
      },
      () => {},
    )
  }

  return {
    evaluateExpression,
    runCode,
    health: () => ({ catastrophicErrors, quarantinedIsolates: quarantined.size, liveIsolates: [...pools.values()].reduce((n, pool) => n + pool.length, 0) }),
    dispose() {
      disposed = true
      clearInterval(idleTimer)
      for (const pool of pools.values()) for (const slot of pool) if (!slot.isolate.isDisposed && !quarantined.has(slot)) slot.isolate.dispose()
      pools.clear()
    },
  }
}
