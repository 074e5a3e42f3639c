import { ownValue } from '../../engine/safe-keys'
import { NodeError, type Item, type NodeExecutor } from '../../engine/types'
import { getPath, parsePath, setPath } from '../paths'
import type { SplitOutParams } from './definition'

/** A copy of `item` without the list, so each new item does not carry the whole list again. */
function withoutPath(item: Item, path: string): Item {
  const segments = parsePath(path, 'field')
  const last = segments[segments.length - 1]
  if (segments.length === 1) {
    const copy = { ...item }
    delete copy[last]
    return copy
  }
  const copy = structuredClone(item)
  let parent: unknown = copy
  for (const seg of segments.slice(0, -1)) parent = ownValue(parent, seg)
  if (parent !== null && typeof parent === 'object') delete (parent as Record<string | number, unknown>)[last]
  return copy
}

/** `base` plus `value` at `path`. New items share `base`'s nested objects, so a nested path writes into a clone. */
function withField(base: Item, path: string, value: unknown, field: string): Item {
  const segments = parsePath(path, field)
  if (segments.length === 1) return { ...base, [segments[0]]: value }
  const copy = structuredClone(base)
  setPath(copy, path, value, field)
  return copy
}

const isPlainObject = (v: unknown): v is Item => v !== null && typeof v === 'object' && !Array.isArray(v)

export const execute: NodeExecutor<SplitOutParams> = async (ctx) => {
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const item = ctx.items[i]
    const list = getPath(item, p.field, 'field')
    if (list === undefined || list === null) continue
    if (!Array.isArray(list)) {
      const index = ctx.inputOffset + i
      throw new NodeError(`"${p.field}" on item ${index} is ${typeof list === 'object' ? 'an object' : `a ${typeof list}`}, not a list`, {
        code: 'INVALID_VALUE',
        field: 'field',
        details: { item: index },
      })
    }
    const rest = p.include === 'allOtherFields' ? withoutPath(item, p.field) : {}
    const name = p.destination || String(parsePath(p.field, 'field').at(-1))
    for (const element of list) {
      out.push(!p.destination && isPlainObject(element) ? { ...rest, ...element } : withField(rest, name, element, p.destination ? 'destination' : 'field'))
    }
  }
  return { main: out }
}
