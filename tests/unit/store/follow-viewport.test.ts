// The view after an addition (components/palette/reveal.ts): still when the new node shows, a pan just large enough
// otherwise, and a zoom out when a pan would lose the trigger.
import { describe, expect, it } from 'vitest'
import { followViewport } from '@/components/palette/reveal'

const view = { width: 1000, height: 600 }
const node = (x: number, y: number) => ({ x, y, width: 220, height: 72 })
const start = node(0, 0)

describe('following an added node', () => {
  it('does not move when the new node is on screen', () => {
    expect(followViewport({ x: 0, y: 0, zoom: 1 }, view, node(500, 100), start)).toBeNull()
  })

  it('pans just enough to bring it in when the trigger stays on screen', () => {
    const v = followViewport({ x: 100, y: 0, zoom: 1 }, view, node(700, 100), start)!
    expect(v.zoom).toBe(1)
    expect(700 + 220 + v.x).toBe(1000 - 48) // its right edge lands at the margin
    expect(v.y).toBe(0)
  })

  it('zooms out to show both when a pan would push the trigger out', () => {
    const v = followViewport({ x: 0, y: 0, zoom: 1 }, view, node(1600, 0), start)!
    expect(v.zoom).toBeLessThan(1)
    const screen = (x: number) => x * v.zoom + v.x
    expect(screen(0)).toBeGreaterThanOrEqual(0)
    expect(screen(1600 + 220)).toBeLessThanOrEqual(1000)
  })

  it('never zooms in, and pans freely when the trigger was off screen already', () => {
    const far = followViewport({ x: -2000, y: 0, zoom: 0.5 }, view, node(6000, 0), start)!
    expect(far.zoom).toBe(0.5)
    const v = followViewport({ x: 0, y: 0, zoom: 0.4 }, view, node(2600, 0), start)!
    expect(v.zoom).toBeLessThanOrEqual(0.4)
  })
})
