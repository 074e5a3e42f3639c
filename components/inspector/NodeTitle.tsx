'use client'
// A node's icon, editable name and type line: the inspector's header and the node editor's.
import { CATEGORY_TONE, NodeIcon } from '@/components/canvas/icons'
import { checkpoint, nodeRenamed, useAppDispatch, useAppSelector } from '@/lib/store'

export function NodeTitle({ nodeId, large, testId }: { nodeId: string; large?: boolean; testId?: string }) {
  const dispatch = useAppDispatch()
  const node = useAppSelector((s) => s.graph.nodes[nodeId])
  const type = useAppSelector((s) => (node ? s.ui.nodeTypes[node.type] : undefined))
  const readOnly = useAppSelector((s) => s.ui.viewingVersion !== null)
  if (!node) return null
  return (
    <>
      <span className={`flex size-8 shrink-0 items-center justify-center rounded-md ${CATEGORY_TONE[type?.category ?? 'core'] ?? CATEGORY_TONE.core}`}>
        <NodeIcon icon={type?.icon} className="size-4" />
      </span>
      <div className="min-w-0 flex-1">
        <input
          aria-label="Node name"
          data-testid={testId}
          className={`w-full rounded bg-transparent px-1 font-semibold outline-none focus:bg-canvas ${large ? 'max-w-md text-base' : 'text-sm'}`}
          value={node.name}
          readOnly={readOnly}
          onChange={(e) => dispatch(nodeRenamed({ id: nodeId, name: e.target.value, group: `rename:${nodeId}` }))}
          onBlur={() => dispatch(checkpoint())}
        />
        <div className="truncate px-1 text-xs text-muted">{type ? `${type.label} · ${type.description}` : `Unknown node type “${node.type}”`}</div>
      </div>
    </>
  )
}
