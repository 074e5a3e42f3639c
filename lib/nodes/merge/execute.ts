// Merge reads its inputs page by page (a stream node) and writes output as it goes, so append, byPosition and
// waitForAll hold one page per input; byKey holds one input, indexed by key, up to maxIndexedItems.
import { NodeError, type ExecuteContext, type Item, type NodeExecutor } from '../../engine/types'
import { getPath } from '../paths'
import { MERGE_INPUTS, type MergeParams } from './definition'

type Ctx = ExecuteContext<MergeParams>
type Combine = (one: Item, two: Item) => Item

function keyOf(item: Item, path: string, field: string): string | undefined {
  const v = getPath(item, path, field)
  if (v === undefined || v === null) return undefined
  // 42 and "42" join: keys are compared as text; objects by their JSON.
  return typeof v === 'object' ? `j:${JSON.stringify(v)}` : `s:${String(v)}`
}

const combiner = (prefer: MergeParams['preferOnClash']): Combine => (prefer === 'input2' ? (one, two) => ({ ...one, ...two }) : (one, two) => ({ ...two, ...one }))

async function pass(ctx: Ctx, port: string): Promise<void> {
  for await (const page of ctx.inputPages(port)) await ctx.write({ main: page })
}

/** Reads a port's pages on demand, so two ports can be walked in lockstep. */
class PageCursor {
  private readonly pages: AsyncIterator<Item[]>
  private page: Item[] = []
  private at = 0
  private done = false
  constructor(pages: AsyncIterable<Item[]>) {
    this.pages = pages[Symbol.asyncIterator]()
  }
  /** The unread rest of the current page (empty only once the port is exhausted). */
  async ready(): Promise<Item[]> {
    while (this.at >= this.page.length && !this.done) {
      const next = await this.pages.next()
      if (next.done) this.done = true
      else [this.page, this.at] = [next.value, 0]
    }
    return this.page.slice(this.at)
  }
  advance(n: number): void {
    this.at += n
  }
}

async function byPosition(ctx: Ctx, p: MergeParams): Promise<void> {
  const combine = combiner(p.preferOnClash)
  const one = new PageCursor(ctx.inputPages('input1'))
  const two = new PageCursor(ctx.inputPages('input2'))
  for (;;) {
    const [a, b] = [await one.ready(), await two.ready()]
    const n = Math.min(a.length, b.length)
    if (n === 0) {
      // One input is exhausted (both, when both are empty): the other's items have no partner.
      if (!p.includeUnpaired || a.length + b.length === 0) return
      const [rest, cursor] = a.length > 0 ? [a, one] : [b, two]
      await ctx.write({ main: rest })
      cursor.advance(rest.length)
      continue
    }
    await ctx.write({ main: Array.from({ length: n }, (_, i) => combine(a[i], b[i])) })
    one.advance(n)
    two.advance(n)
  }
}

async function byKey(ctx: Ctx, p: MergeParams): Promise<void> {
  for (const [field, path] of [['field1', p.field1], ['field2', p.field2]] as const) {
    if (!path.trim()) throw new NodeError(`${field} must name the field to join on`, { code: 'INVALID_PARAM', field })
  }
  const counts = { input1: ctx.inputCounts.input1 ?? 0, input2: ctx.inputCounts.input2 ?? 0 }
  // input2 is the lookup side when it fits (output in input1's order); otherwise input1, when that fits.
  const heldIsTwo = counts.input2 <= p.maxIndexedItems
  if (!heldIsTwo && counts.input1 > p.maxIndexedItems) {
    throw new NodeError(
      `byKey holds one input in memory to join against, but input1 has ${counts.input1} items and input2 ${counts.input2}, both over maxIndexedItems (${p.maxIndexedItems}). Raise maxIndexedItems or reduce one input`,
      { code: 'MERGE_INPUT_TOO_LARGE', field: 'maxIndexedItems', details: { ...counts, maxIndexedItems: p.maxIndexedItems } },
    )
  }
  const held = heldIsTwo ? { port: 'input2', path: p.field2, field: 'field2' } : { port: 'input1', path: p.field1, field: 'field1' }
  const streamed = heldIsTwo ? { port: 'input1', path: p.field1, field: 'field1' } : { port: 'input2', path: p.field2, field: 'field2' }
  const heldItems: Item[] = []
  const index = new Map<string, number[]>()
  for await (const page of ctx.inputPages(held.port)) {
    for (const item of page) {
      const k = keyOf(item, held.path, held.field)
      if (k !== undefined) {
        const list = index.get(k)
        if (list) list.push(heldItems.length)
        else index.set(k, [heldItems.length])
      }
      heldItems.push(item)
    }
  }
  const combine = combiner(p.preferOnClash)
  const pair = heldIsTwo ? (s: Item, h: Item) => combine(s, h) : (s: Item, h: Item) => combine(h, s)
  // Which unmatched items survive: input1's for left and outer, input2's for outer.
  const keepStreamed = heldIsTwo ? p.joinKind !== 'inner' : p.joinKind === 'outer'
  const keepHeld = heldIsTwo ? p.joinKind === 'outer' : p.joinKind !== 'inner'
  const used = new Uint8Array(heldItems.length)
  for await (const page of ctx.inputPages(streamed.port)) {
    const out: Item[] = []
    for (const item of page) {
      const k = keyOf(item, streamed.path, streamed.field)
      const matches = k === undefined ? undefined : index.get(k)
      if (!matches) {
        if (keepStreamed) out.push(item)
        continue
      }
      for (const h of matches) {
        used[h] = 1
        out.push(pair(item, heldItems[h]))
      }
    }
    await ctx.write({ main: out })
  }
  if (keepHeld) await ctx.write({ main: heldItems.filter((_, i) => used[i] === 0) })
}

export const execute: NodeExecutor<MergeParams> = async (ctx) => {
  const p = ctx.params
  switch (p.mode) {
    case 'append':
      for (const port of MERGE_INPUTS) await pass(ctx, port)
      break
    case 'waitForAll':
      await pass(ctx, p.output)
      break
    case 'byPosition':
      await byPosition(ctx, p)
      break
    case 'byKey':
      await byKey(ctx, p)
      break
  }
  return { main: [] }
}
