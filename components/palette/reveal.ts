// The view follows what was just added without losing the start of the flow: no move when the new node is on
// screen; else the smallest pan that brings it in; and when that pan would push the trigger out, a zoom out that
// shows both instead.
import type { ReactFlowInstance, Viewport } from '@xyflow/react'
import type { RootState } from '@/lib/store'
import { ancestors } from '@/lib/store/graph-ops'
import { bounds, estimatedSize, nodeRect, type Rect, type Size } from '@/lib/store/placement'

/** Screen pixels kept between a revealed node and the canvas' border. */
const MARGIN = 48
/** A zoom-out never zooms in past this (nor past the current zoom). */
const MAX_FIT_ZOOM = 1
const DURATION = 200

const toScreen = (r: Rect, v: Viewport): Rect => ({ x: r.x * v.zoom + v.x, y: r.y * v.zoom + v.y, width: r.width * v.zoom, height: r.height * v.zoom })
const inside = (r: Rect, view: Size) => r.x >= 0 && r.y >= 0 && r.x + r.width <= view.width && r.y + r.height <= view.height
const intersects = (r: Rect, view: Size) => r.x < view.width && r.y < view.height && r.x + r.width > 0 && r.y + r.height > 0

/** The least move along one axis that brings [lo, lo + len) into [MARGIN, size - MARGIN]. */
function nudge(lo: number, len: number, size: number): number {
  if (len + 2 * MARGIN > size) return MARGIN - lo
  if (lo < MARGIN) return MARGIN - lo
  if (lo + len > size - MARGIN) return size - MARGIN - (lo + len)
  return 0
}

/**
 * The viewport after adding `added` (flow coordinates) while `view` (the canvas' size) shows `viewport`; null when
 * nothing has to move. `start` is the trigger: kept on screen when it is on screen now.
 */
export function followViewport(viewport: Viewport, view: Size, added: Rect, start: Rect | null): Viewport | null {
  const a = toScreen(added, viewport)
  if (inside(a, view)) return null
  const panned = { ...viewport, x: viewport.x + nudge(a.x, a.width, view.width), y: viewport.y + nudge(a.y, a.height, view.height) }
  if (!start || !intersects(toScreen(start, viewport), view) || inside(toScreen(start, panned), view)) return panned
  const box = bounds([added, start])
  const zoom = Math.min(viewport.zoom, MAX_FIT_ZOOM, (view.width - 2 * MARGIN) / box.width, (view.height - 2 * MARGIN) / box.height)
  return {
    zoom,
    x: view.width / 2 - (box.x + box.width / 2) * zoom,
    y: view.height / 2 - (box.y + box.height / 2) * zoom,
  }
}

/** The start of the flow `nodeId` belongs to: the trigger upstream of it, else the first trigger. */
function startOf(s: RootState, nodeId: string | undefined): string | undefined {
  const isTrigger = (id: string) => !!s.ui.nodeTypes[s.graph.nodes[id]?.type]?.trigger
  const upstream = nodeId ? ancestors(s.graph, nodeId).filter(isTrigger) : []
  return upstream.at(-1) ?? s.graph.nodeIds.find(isTrigger)
}

/**
 * Moves the view (animated) so the nodes `ids` just added are on screen, keeping their trigger in view. Waits two
 * frames: selecting the new node opens the inspector, which narrows the canvas.
 */
export function revealAdded(rf: ReactFlowInstance<any, any>, getState: () => RootState, ids: readonly string[]) {
  requestAnimationFrame(() => requestAnimationFrame(() => reveal(rf, getState(), ids)))
}

function reveal(rf: ReactFlowInstance<any, any>, s: RootState, ids: readonly string[]) {
  const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect()
  const present = ids.filter((id) => s.graph.nodes[id])
  if (!el || !present.length) return
  const sizes = Object.fromEntries(present.map((id) => [id, s.ui.measured[id] ?? estimatedSize(s.ui.nodeTypes[s.graph.nodes[id].type])]))
  const added = bounds(present.map((id) => nodeRect(s.graph, sizes, id)))
  const start = startOf(s, present[0])
  const startRect = start && !present.includes(start) ? nodeRect(s.graph, s.ui.measured, start) : null
  const next = followViewport(rf.getViewport(), { width: el.width, height: el.height }, added, startRect)
  if (next) void rf.setViewport(next, { duration: DURATION })
}
