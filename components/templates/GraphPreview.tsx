// A template's canvas as a thumbnail: an SVG drawn from the graph's node positions and edges (never a stored image),
// so it always shows what the template holds. Pure: no store, no React Flow, renders on the server as well.
import type { GraphPreviewData } from './api'

/** The designer's node size (components/canvas/StepNode.tsx), so the thumbnail keeps the canvas's proportions. */
const NODE_W = 220
const NODE_H = 64
const PAD = 40

export interface PreviewLayout {
  viewBox: string
  nodes: Array<{ id: string; name: string; type: string; x: number; y: number; w: number; h: number }>
  edges: Array<{ key: string; d: string }>
}

/** Boxes at the nodes' positions and a curve per edge whose ends both exist, framed by the graph's bounds. */
export function previewLayout(graph: GraphPreviewData): PreviewLayout {
  const nodes = graph.nodes.map((n) => ({ id: n.id, name: n.name, type: n.type, x: n.position.x, y: n.position.y, w: NODE_W, h: NODE_H }))
  if (nodes.length === 0) return { viewBox: `0 0 ${NODE_W + 2 * PAD} ${NODE_H + 2 * PAD}`, nodes, edges: [] }
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const minX = Math.min(...nodes.map((n) => n.x)) - PAD
  const minY = Math.min(...nodes.map((n) => n.y)) - PAD
  const maxX = Math.max(...nodes.map((n) => n.x + n.w)) + PAD
  const maxY = Math.max(...nodes.map((n) => n.y + n.h)) + PAD
  const edges = graph.edges.flatMap((e, i) => {
    const s = byId.get(e.source)
    const t = byId.get(e.target)
    if (!s || !t) return []
    const x1 = s.x + s.w
    const y1 = s.y + s.h / 2
    const x2 = t.x
    const y2 = t.y + t.h / 2
    const bend = Math.max(40, Math.abs(x2 - x1) / 2)
    return [{ key: `${e.source}-${e.target}-${i}`, d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` }]
  })
  return { viewBox: `${minX} ${minY} ${maxX - minX} ${maxY - minY}`, nodes, edges }
}

export function GraphPreview({ graph, className, label }: { graph: GraphPreviewData; className?: string; label?: string }) {
  const layout = previewLayout(graph)
  return (
    <svg
      viewBox={layout.viewBox}
      preserveAspectRatio="xMidYMid meet"
      role="img"
      aria-label={label ?? `Canvas preview: ${graph.nodes.length} step${graph.nodes.length === 1 ? '' : 's'}`}
      className={className}
      data-testid="graph-preview"
    >
      {layout.edges.map((e) => (
        <path key={e.key} d={e.d} fill="none" stroke="currentColor" strokeOpacity={0.5} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
      ))}
      {layout.nodes.map((n) => (
        <g key={n.id}>
          <title>{n.name}</title>
          <rect x={n.x} y={n.y} width={n.w} height={n.h} rx={12} className="fill-panel stroke-accent" strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
          <rect x={n.x + 12} y={n.y + 14} width={36} height={36} rx={8} className="fill-accent" fillOpacity={0.35} />
          <rect x={n.x + 60} y={n.y + 22} width={Math.min(140, 14 + n.name.length * 9)} height={10} rx={5} fill="currentColor" fillOpacity={0.35} />
          <rect x={n.x + 60} y={n.y + 38} width={80} height={8} rx={4} fill="currentColor" fillOpacity={0.18} />
        </g>
      ))}
    </svg>
  )
}
