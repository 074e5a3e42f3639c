import { NodeError, type Item, type NodeExecutor } from '../../engine/types'
import { setPath } from '../paths'
import type { SetField, SetParams } from './definition'

function convert(field: SetField, index: number): unknown {
  const { value, type } = field
  const fail = (why: string) =>
    new NodeError(`Field "${field.name}" on item ${index}: ${why}`, { code: 'INVALID_VALUE', field: `fields.${field.name}`, details: { item: index, value } })
  switch (type) {
    case 'auto':
      return value
    case 'string':
      return value == null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN
      if (Number.isNaN(n)) throw fail(`${JSON.stringify(value)} is not a number`)
      return n
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value
      const t = String(value ?? '').trim().toLowerCase()
      if (['true', '1', 'yes', 'on'].includes(t)) return true
      if (['false', '0', 'no', 'off', ''].includes(t)) return false
      throw fail(`${JSON.stringify(value)} is not a boolean`)
    }
    case 'json': {
      if (typeof value !== 'string') return value ?? null
      try {
        return JSON.parse(value)
      } catch (err) {
        throw fail(`not valid JSON (${(err as Error).message})`)
      }
    }
  }
}

export const execute: NodeExecutor<SetParams> = async (ctx) => {
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const item: Item = p.keepOtherFields ? structuredClone(ctx.items[i]) : {}
    for (const field of p.fields) {
      setPath(item, field.name, convert(field, i), 'fields')
    }
    out.push(item)
  }
  return { main: out }
}
