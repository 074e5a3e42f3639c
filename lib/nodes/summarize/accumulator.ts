// Running result of one aggregation for one group: folded item by item, so no group keeps its items.
import { NodeError } from '../../engine/types'
import { compareValues } from '../conditions'
import type { Aggregation } from './definition'

export interface Accumulator {
  add(value: unknown, item: number): void
  result(): unknown
}

const present = (v: unknown) => v !== undefined && v !== null

function asText(v: unknown): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}

/** Distinct by type and value: 42 and "42" are two values, like two different cells. */
const uniqueKey = (v: unknown) => `${typeof v}:${asText(v)}`

export function accumulator(agg: Aggregation, index: number): Accumulator {
  const field = `aggregations.${index}.field`
  const fail = (why: string, item: number, value: unknown) =>
    new NodeError(`${agg.operation} of "${agg.field}" on item ${item}: ${why}`, { code: 'INVALID_VALUE', field, details: { item, value } })
  const toNumber = (v: unknown, item: number): number => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN
    if (!Number.isFinite(n)) throw fail(`${JSON.stringify(v)} is not a number`, item, v)
    return n
  }
  switch (agg.operation) {
    case 'count': {
      let n = 0
      return {
        add: (v) => {
          if (agg.field === '' || present(v)) n++
        },
        result: () => n,
      }
    }
    case 'countUnique': {
      const seen = new Set<string>()
      return {
        add: (v) => {
          if (present(v)) seen.add(uniqueKey(v))
        },
        result: () => seen.size,
      }
    }
    case 'sum':
    case 'average': {
      let sum = 0
      let n = 0
      return {
        add: (v, item) => {
          if (!present(v)) return
          sum += toNumber(v, item)
          n++
        },
        result: () => (agg.operation === 'sum' ? sum : n === 0 ? null : sum / n),
      }
    }
    case 'min':
    case 'max': {
      let best: unknown = null
      const sign = agg.operation === 'min' ? -1 : 1
      return {
        add: (v, item) => {
          if (!present(v)) return
          if (best === null) {
            best = v
            return
          }
          const order = compareValues(v, best)
          if (order === undefined) throw fail(`${JSON.stringify(v)} cannot be ordered against ${JSON.stringify(best)}`, item, v)
          if (order === sign) best = v
        },
        result: () => best,
      }
    }
    case 'concatenate': {
      const parts: string[] = []
      return {
        add: (v) => {
          if (present(v)) parts.push(asText(v))
        },
        result: () => parts.join(agg.separator),
      }
    }
  }
}

/** `sum_total` for sum of "total"; `count` for count of items. Dots and brackets become "_" (one top-level field). */
export function outputNameOf(agg: Aggregation): string {
  if (agg.outputName) return agg.outputName
  return agg.field ? `${agg.operation}_${agg.field.replace(/[.[\]]+/g, '_').replace(/_$/, '')}` : agg.operation
}
