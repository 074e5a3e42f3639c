// Text a node parses (HTML, XML) read from an item field, refused before parsing when it is not text or too large:
// a parser holds a tree several times the size of its input, so the cap is what bounds a step's memory.
import { NodeError, type Item } from '../engine/types'
import { getPath } from './paths'

const MB = 1024 * 1024

/** `path` (from the param `field`) on item `index`, as text of at most `maxMb` megabytes (UTF-8). */
export function readTextField(item: Item, path: string, field: string, index: number, maxMb: number): string {
  const value = getPath(item, path, field)
  if (typeof value !== 'string') {
    const kind = value === undefined ? 'missing' : value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`
    throw new NodeError(`"${path}" on item ${index} is ${kind}, not text`, { code: 'INVALID_VALUE', field, details: { item: index } })
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit: most inputs pass without being measured.
  if (value.length * 3 > maxMb * MB) {
    const bytes = Buffer.byteLength(value)
    if (bytes > maxMb * MB) {
      throw new NodeError(`"${path}" on item ${index} is ${(bytes / MB).toFixed(1)} MB, over the limit of ${maxMb} MB (maxInputMb)`, {
        code: 'INPUT_TOO_LARGE',
        field,
        details: { item: index, bytes, limitBytes: maxMb * MB },
      })
    }
  }
  return value
}
