import { NodeError, type ExecuteContext, type Item, type NodeExecutor, type SandboxLimits } from '../../engine/types'
import { SANDBOX_ERROR } from '../../sandbox/errors'
import { isLastPage, pageDigest } from '../page-state'
import type { CodeParams } from './definition'

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** n8n-style `{ json: {...} }` items unwrap to their `json`. */
function unwrap(v: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(v)
  const n8nShape = isPlainObject(v.json) && keys.every((k) => k === 'json' || k === 'binary' || k === 'pairedItem')
  return n8nShape ? (v.json as Record<string, unknown>) : v
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (did you forget `return items`?)'
  if (Array.isArray(v)) return 'an array'
  return `a ${typeof v}${typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? ` (${JSON.stringify(v).slice(0, 60)})` : ''}`
}

/** The returned value must be an array of objects; a single object counts as one item. */
export function normaliseCodeResult(value: unknown, where: string): Item[] {
  if (isPlainObject(value)) return [unwrap(value)]
  if (!Array.isArray(value)) {
    throw new NodeError(`Code${where} must return an array of objects (or one object), but returned ${describe(value)}`, { code: 'CODE_INVALID_OUTPUT' })
  }
  return value.map((entry, i) => {
    if (!isPlainObject(entry)) {
      throw new NodeError(`Code${where} must return an array of objects, but element ${i} is ${describe(entry)}`, { code: 'CODE_INVALID_OUTPUT' })
    }
    return unwrap(entry)
  })
}

function baseScope(ctx: ExecuteContext<CodeParams>) {
  return {
    $execution: { id: ctx.executionId, attempt: ctx.attempt },
    $workflow: { id: ctx.workflowId },
    $node: { id: ctx.node.id, name: ctx.node.name },
  }
}

/**
 * All-items mode runs once per page. The body runs as before, inside a wrapper that hands `$state` (kept in the
 * step's pageState between pages) back with the result; scope keys are bound as consts, so `$state` is always
 * the object the code mutated.
 */
const withState = (source: string) => `const __value = await (async () => {${source}
})();
return { value: __value === undefined ? null : __value, state: $state }`

/**
 * Per-item mode runs a page's items in one sandbox call instead of one call per item: items start one after another
 * until `__sliceMs` has passed, the call returns what it did and the host sends the rest. The call may take
 * timeoutMs + slice, so every item that starts still gets its full time limit.
 */
const perItem = (source: string) => `const __out = [];
const __started = Date.now();
for (let __i = 0; __i < __items.length; __i++) {
  if (__i > 0 && Date.now() - __started >= __sliceMs) break;
  // The body gets its own function inside the one binding item/$json/index, so it may declare those names again.
  const __value = await ((item, $json, index) => (async () => {${source}
  })())(__items[__i], __items[__i], __offset + __i);
  __out.push(__value === undefined ? null : __value);
}
return __out`

const SLICE_MS = 200

interface PageInfo {
  index: number
  offset: number
  count: number
  total: number
  isFirst: boolean
  isLast: boolean
}

async function runOncePerPage(ctx: ExecuteContext<CodeParams>, limits: SandboxLimits): Promise<Item[]> {
  const state = pageDigest(ctx, 'code.state', () => ({ value: {} as unknown, pages: 0 }))
  const $page: PageInfo = {
    index: state.pages++,
    offset: ctx.inputOffset,
    count: ctx.items.length,
    total: ctx.inputCount,
    isFirst: ctx.inputOffset === 0,
    isLast: isLastPage(ctx),
  }
  const scope = { ...baseScope(ctx), items: ctx.items, $page, $state: state.value }
  const out = (await ctx.services.sandbox.runCode(withState(ctx.params.source), scope, limits)) as { value: unknown; state: unknown }
  state.value = out.state
  return normaliseCodeResult(out.value, ctx.inputCount > ctx.items.length ? ` (page ${$page.index + 1})` : '')
}

async function runPerItem(ctx: ExecuteContext<CodeParams>, limits: SandboxLimits): Promise<Item[]> {
  const out: Item[] = []
  const source = perItem(ctx.params.source)
  const sliced = { ...limits, timeoutMs: (limits.timeoutMs ?? 0) + Math.min(SLICE_MS, limits.timeoutMs ?? SLICE_MS) }
  for (let done = 0; done < ctx.items.length; ) {
    if (ctx.signal.aborted) throw ctx.signal.reason
    const scope = { ...baseScope(ctx), __items: ctx.items.slice(done), __offset: ctx.inputOffset + done, __sliceMs: Math.min(SLICE_MS, limits.timeoutMs ?? SLICE_MS) }
    let values: unknown[]
    try {
      values = (await ctx.services.sandbox.runCode(source, scope, sliced)) as unknown[]
    } catch (err) {
      // The call's limit includes the slice; the user set (and should read) the limit per item.
      if (err instanceof NodeError && err.code === SANDBOX_ERROR.timeout) throw new NodeError(`Code for an item ran longer than the limit of ${limits.timeoutMs} ms`, { code: SANDBOX_ERROR.timeout })
      throw err
    }
    if (!Array.isArray(values) || values.length === 0) throw new NodeError('The sandbox returned no result for the items', { code: SANDBOX_ERROR.output })
    values.forEach((value, k) => out.push(...normaliseCodeResult(value, ` for item ${ctx.inputOffset + done + k}`)))
    done += values.length
  }
  return out
}

export const execute: NodeExecutor<CodeParams> = async (ctx) => {
  const { mode, timeoutMs, memoryMb } = ctx.params
  const limits: SandboxLimits & { onLog(level: string, message: string): void } = {
    timeoutMs,
    memoryMb,
    partition: ctx.tenantId,
    // console.log and console.info are info lines of the step's log; warn and error keep their level.
    onLog: (level, message) => ctx.log[level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info'](message),
  }
  return { main: mode === 'runOnceForAllItems' ? await runOncePerPage(ctx, limits) : await runPerItem(ctx, limits) }
}
