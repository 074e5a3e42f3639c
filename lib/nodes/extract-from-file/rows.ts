// Rows (lists of cell values) to items, shared by the CSV and XLSX readers: header names, pages of items.
import { isReservedKey, reservedKeyError } from '../../engine/safe-keys'
import type { Item, NodeOutput } from '../../engine/types'

/** Items per ctx.write: what a reader holds at once, whatever the file's size. */
export const PAGE = 1000

const columnName = (n: number) => `column_${n}`

/** Column names from a header row: an empty or repeated name becomes column_<position>; reserved names fail. */
export function headerNames(cells: unknown[], where: string): string[] {
  const seen = new Set<string>()
  return cells.map((cell, i) => {
    const name = cell === null || cell === undefined ? '' : String(cell).trim()
    if (isReservedKey(name)) throw reservedKeyError(name, `The header of ${where}`, 'field')
    const unique = name === '' || seen.has(name) ? columnName(i + 1) : name
    seen.add(unique)
    return unique
  })
}

/** A row as an item: with a header, keyed by it (cells past it get column_<position>); without, `{ row: [...] }`. */
export function rowItem(cells: unknown[], header: string[] | undefined, keep: (value: unknown) => boolean = () => true): Item {
  if (!header) return { row: cells }
  const item: Item = {}
  cells.forEach((value, i) => {
    if (keep(value)) item[header[i] ?? columnName(i + 1)] = value
  })
  return item
}

/** Collects items and hands them to ctx.write a page at a time. */
export class PageWriter {
  private page: Item[] = []
  count = 0
  constructor(private readonly write: (output: NodeOutput) => Promise<void>) {}
  async push(item: Item): Promise<void> {
    this.page.push(item)
    this.count++
    if (this.page.length >= PAGE) await this.flush()
  }
  async flush(): Promise<void> {
    if (this.page.length === 0) return
    const page = this.page
    this.page = []
    await this.write({ main: page })
  }
}
