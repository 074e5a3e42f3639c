import { NodeError, type ExecuteContext, type Item, type NodeExecutor, type SandboxLimits } from '../../engine/types'
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

export const execute: NodeExecutor<CodeParams> = async (ctx) => {
  const { source, mode, timeoutMs, memoryMb } = ctx.params
  const limits: SandboxLimits & { onLog(level: string, message: string): void } = {
    timeoutMs,
    memoryMb,
    partition: ctx.tenantId,
    onLog: (level, message) => ctx.log[level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info'](`console.${level}: ${message}`),
  }
  if (mode === 'runOnceForAllItems') {
    const value = await ctx.services.sandbox.runCode(source, { ...baseScope(ctx), items: ctx.items }, limits)
    return { main: normaliseCodeResult(value, '') }
  }
  const out: Item[] = []
  for (let index = 0; index < ctx.items.length; index++) {
    if (ctx.signal.aborted) throw ctx.signal.reason
    const item = ctx.items[index]
    const value = await ctx.services.sandbox.runCode(source, { ...baseScope(ctx), item, $json: item, index }, limits)
    out.push(...normaliseCodeResult(value, ` for item ${index}`))
  }
  return { main: out }
}
