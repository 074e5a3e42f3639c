import { describe, expect, it } from 'vitest'
import { Batcher } from '@/lib/services/hot-db'

const tick = () => new Promise((r) => setTimeout(r, 1 + Math.random() * 3))

describe('Batcher (group commit)', () => {
  it('batches concurrent inputs, never runs one group in two statements at once, and keeps each group in push order', async () => {
    const inFlight = new Set<string>()
    const committed: string[] = []
    const statements: string[][] = []
    const batcher = new Batcher<{ group: string; seq: number }, string>(
      async (rows) => {
        const groups = new Set(rows.map((r) => r.group))
        for (const g of groups) {
          expect(inFlight.has(g), `group ${g} in two statements at once`).toBe(false)
          inFlight.add(g)
        }
        statements.push(rows.map((r) => `${r.group}${r.seq}`))
        await tick()
        for (const g of groups) inFlight.delete(g)
        for (const r of rows) committed.push(`${r.group}${r.seq}`)
        return rows.map((r) => `${r.group}${r.seq}`)
      },
      { key: (r) => `${r.group}${r.seq}`, group: (r) => r.group },
    )
    const pushes: Promise<string>[] = []
    for (let seq = 0; seq < 20; seq++) {
      for (const group of ['a', 'b', 'c', 'd']) pushes.push(batcher.push({ group, seq }))
      if (seq % 3 === 0) await tick()
    }
    const results = await Promise.all(pushes)
    expect(results).toHaveLength(80)
    for (const group of ['a', 'b', 'c', 'd']) {
      const order = committed.filter((c) => c.startsWith(group)).map((c) => Number(c.slice(1)))
      expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i))
    }
    expect(statements.length).toBeLessThan(80) // inputs were grouped into fewer statements
  })

  it('with a linger, inputs pushed a little apart share one statement', async () => {
    const statements: number[][] = []
    const batcher = new Batcher<number, number>(async (rows) => (statements.push(rows), rows), { lingerMs: 30 })
    const first = batcher.push(1)
    await new Promise((r) => setTimeout(r, 5))
    const second = batcher.push(2)
    expect(await Promise.all([first, second])).toEqual([1, 2])
    expect(statements).toEqual([[1, 2]])
  })

  it('keeps inputs with the same key out of one statement', async () => {
    const statements: number[][] = []
    const batcher = new Batcher<number, number>(
      async (rows) => {
        statements.push(rows)
        return rows
      },
      { key: (n) => String(n % 2) },
    )
    await Promise.all([1, 2, 3, 4].map((n) => batcher.push(n)))
    for (const s of statements) expect(new Set(s.map((n) => n % 2)).size).toBe(s.length)
  })

  it('a failing input fails alone: its neighbours are retried one by one', async () => {
    const batcher = new Batcher<number, number>(async (rows) => {
      if (rows.includes(3)) throw new Error('bad row 3')
      return rows.map((n) => n * 10)
    })
    const out = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.push(n)))
    expect(out.map((o) => (o.status === 'fulfilled' ? o.value : 'failed'))).toEqual([10, 20, 'failed', 40])
  })
})
