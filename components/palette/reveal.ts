import type { ReactFlowInstance } from '@xyflow/react'

/** Pans (keeping the zoom) so a node just added at `position` is on screen. */
export function revealPosition(rf: ReactFlowInstance<any, any>, position: { x: number; y: number }, size = { width: 220, height: 64 }) {
  const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect()
  if (!el) return
  const topLeft = rf.flowToScreenPosition(position)
  const bottomRight = rf.flowToScreenPosition({ x: position.x + size.width, y: position.y + size.height })
  const inside = topLeft.x >= el.left && topLeft.y >= el.top && bottomRight.x <= el.right && bottomRight.y <= el.bottom
  if (!inside) void rf.setCenter(position.x + size.width / 2, position.y + size.height / 2, { zoom: rf.getZoom(), duration: 150 })
}
