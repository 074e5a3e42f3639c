// External merge sort: input pages are sorted in memory up to a limit, each full buffer is written to a temporary
// file as a sorted run, and the runs are merged with a heap, one line per run in memory at a time. A million items
// sort with about `inMemoryItems` of them held.
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { once } from 'node:events'
import type { Item } from '../../engine/types'

export interface Row<V> {
  values: V[]
  /** Position in the input: the last tie-break, so equal items keep their order across runs. */
  seq: number
  item: Item
}

export type Compare<V> = (a: Row<V>, b: Row<V>) => number

export class SpilledRuns<V> {
  private dir?: string
  readonly files: string[] = []

  constructor(private readonly encode: (v: V) => unknown, private readonly decode: (raw: unknown) => V) {}

  /** Writes `rows` (already sorted) as one run. */
  async spill(rows: Row<V>[]): Promise<void> {
    this.dir ??= await fsp.mkdtemp(path.join(os.tmpdir(), 'auterity-sort-'))
    const file = path.join(this.dir, `run-${this.files.length}.ndjson`)
    const out = fs.createWriteStream(file)
    for (const row of rows) {
      if (!out.write(`${JSON.stringify([row.values.map(this.encode), row.seq, row.item])}\n`)) await once(out, 'drain')
    }
    out.end()
    await once(out, 'finish')
    this.files.push(file)
  }

  /** Every row of every run, in order. */
  async *merge(compare: Compare<V>): AsyncGenerator<Row<V>> {
    const readers = this.files.map((file) => readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })[Symbol.asyncIterator]())
    const heap = new Heap<{ row: Row<V>; reader: number }>((a, b) => compare(a.row, b.row))
    const next = async (reader: number) => {
      const line = await readers[reader]!.next()
      if (!line.done) {
        const [values, seq, item] = JSON.parse(line.value) as [unknown[], number, Item]
        heap.push({ row: { values: values.map(this.decode), seq, item }, reader })
      }
    }
    try {
      for (let r = 0; r < readers.length; r++) await next(r)
      while (heap.size > 0) {
        const top = heap.pop()!
        yield top.row
        await next(top.reader)
      }
    } finally {
      for (const reader of readers) await reader.return?.()
    }
  }

  async dispose(): Promise<void> {
    if (this.dir) await fsp.rm(this.dir, { recursive: true, force: true })
    this.dir = undefined
  }
}

/** A binary min-heap. */
class Heap<T> {
  private readonly data: T[] = []
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size(): number {
    return this.data.length
  }
  push(value: T): void {
    const d = this.data
    d.push(value)
    for (let i = d.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1
      if (this.less(d[i]!, d[parent]!) >= 0) break
      ;[d[i], d[parent]] = [d[parent]!, d[i]!]
      i = parent
    }
  }
  pop(): T | undefined {
    const d = this.data
    const top = d[0]
    const last = d.pop()
    if (d.length > 0 && last !== undefined) {
      d[0] = last
      for (let i = 0; ; ) {
        const l = 2 * i + 1
        const r = l + 1
        let min = i
        if (l < d.length && this.less(d[l]!, d[min]!) < 0) min = l
        if (r < d.length && this.less(d[r]!, d[min]!) < 0) min = r
        if (min === i) break
        ;[d[i], d[min]] = [d[min]!, d[i]!]
        i = min
      }
    }
    return top
  }
}
