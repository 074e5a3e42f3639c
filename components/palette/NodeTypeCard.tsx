// The palette's hover card: what a node type does (the first paragraph of its docs) and what its first example shows.
import type { CSSProperties } from 'react'
import { firstParagraph } from '@/components/docs/markdown'
import type { NodeTypeInfo } from '@/lib/store/types'

export function NodeTypeCard({ type, id, style }: { type: NodeTypeInfo; id?: string; style?: CSSProperties }) {
  const example = type.docs?.examples[0]
  return (
    <div
      id={id}
      role="tooltip"
      style={style}
      className="pointer-events-none fixed z-50 w-72 rounded-md border border-line bg-panel p-3 text-xs shadow-lg"
      data-testid="palette-hover-card"
    >
      <div className="mb-1 font-semibold">{type.label}</div>
      <p>{firstParagraph(type.docs?.description ?? type.description)}</p>
      {example && <p className="mt-2 text-muted">Example: {example.title}</p>}
      <p className="mt-2 text-muted">Full reference: Docs tab of the inspector.</p>
    </div>
  )
}
