// A step's params: resolved against an item when they hold expressions, then parsed with the definition's schema
// (defaults applied). Params without expressions parse the same way every time (a params schema is a pure function of
// the params), so they are parsed once per node of a planned graph (./plan.ts) and every call gets its own copy: a
// node may change what it is given without the next call, or the next run, seeing it.
import { resolveParams } from './expressions'
import type { NodeRuntime, StepEnv } from './step'
import { NodeError, type Item } from './types'
import type { NodePlan } from './wiring'

const parsedOnce = new WeakMap<NodePlan, unknown>()

/** Params resolved against `scopeItems[index]` (item `offset + index` of the step's input), then parsed. */
export async function paramsAt(rt: NodeRuntime, env: StepEnv, scopeItems: Item[], offset: number, index: number): Promise<Record<string, unknown>> {
  const raw = await resolveParams(rt.node.params, env.expressionData(scopeItems[index], offset + index, scopeItems))
  return parseParams(rt, raw)
}

/** Params of a node without expressions: parsed on first use, copied after that. */
export function staticParams(rt: NodeRuntime): Record<string, unknown> {
  const parsed = parsedOnce.get(rt.plan)
  if (parsed !== undefined) return copyData(parsed) as Record<string, unknown>
  const data = parseParams(rt, rt.node.params)
  // Only plain data can be copied faithfully; anything else (a Date, a Map a transform made) is parsed every time.
  if (isPlainData(data, 0)) parsedOnce.set(rt.plan, copyData(data))
  return data
}

function parseParams(rt: NodeRuntime, raw: unknown): Record<string, unknown> {
  const parsed = rt.def.params.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue.path.map(String).join('.')
    throw new NodeError(`Parameter "${field || 'params'}" of "${rt.node.name}": ${issue.message}`, { code: 'INVALID_PARAMS', retryable: false, field: field || 'params' })
  }
  return parsed.data as Record<string, unknown>
}

const MAX_DEPTH = 64

function isPlainData(value: unknown, depth: number): boolean {
  if (value === null) return true
  const type = typeof value
  if (type === 'function') return false
  if (type !== 'object') return true
  if (depth > MAX_DEPTH) return false
  if (Array.isArray(value)) {
    for (const v of value) if (!isPlainData(v, depth + 1)) return false
    return true
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return false
  for (const key of Object.keys(value as object)) {
    // Copying `__proto__` with `=` would set the copy's prototype: such params are parsed every time instead.
    if (key === '__proto__' || !isPlainData((value as Record<string, unknown>)[key], depth + 1)) return false
  }
  return true
}

function copyData(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    const out: unknown[] = []
    for (const v of value) out.push(copyData(v))
    return out
  }
  const out: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {}
  for (const key of Object.keys(value)) out[key] = copyData((value as Record<string, unknown>)[key])
  return out
}
