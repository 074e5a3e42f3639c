// Small helpers the scheduler and steps share.
import type { Item } from './types'

export class Semaphore {
  private active = 0
  private readonly waiters: (() => void)[] = []
  constructor(private readonly limit: number) {}
  /** Takes a free slot at once (no await); false when none is free. */
  tryAcquire(): boolean {
    if (this.active >= this.limit) return false
    this.active++
    return true
  }
  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++
      return
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve))
  }
  release(): void {
    const next = this.waiters.shift()
    if (next) next()
    else this.active--
  }
}

/** Re-chunks a stream of arrays into pages of exactly `size` items (the last may be shorter). */
export async function* rechunk(source: Iterable<Item[]> | AsyncIterable<Item[]>, size: number): AsyncGenerator<Item[]> {
  let buffer: Item[] = []
  for await (const chunk of source) {
    if (buffer.length === 0 && chunk.length === size) {
      yield chunk
      continue
    }
    for (const item of chunk) {
      buffer.push(item)
      if (buffer.length === size) {
        yield buffer
        buffer = []
      }
    }
  }
  if (buffer.length > 0) yield buffer
}

/** `rechunk` over pages already in memory: the same pages, without a promise per page. */
export function* rechunkHeld(source: Iterable<Item[]>, size: number): Generator<Item[]> {
  let buffer: Item[] = []
  for (const chunk of source) {
    if (buffer.length === 0 && chunk.length === size) {
      yield chunk
      continue
    }
    for (const item of chunk) {
      buffer.push(item)
      if (buffer.length === size) {
        yield buffer
        buffer = []
      }
    }
  }
  if (buffer.length > 0) yield buffer
}

export function pagesOf(items: Item[], size: number): Item[][] {
  const out: Item[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Full jitter on the upper half: a delay in [d/2, d] where d doubles per attempt up to the cap. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const d = Math.min(capMs, baseMs * 2 ** (attempt - 1))
  return Math.round(d / 2 + random() * (d / 2))
}

export const noopLogger = { debug() {}, info() {}, warn() {}, error() {} }

/** A promise that rejects when the signal aborts (with the abort reason). */
export function abortPromise(signal: AbortSignal): Promise<never> {
  const p = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
  p.catch(() => {})
  return p
}
