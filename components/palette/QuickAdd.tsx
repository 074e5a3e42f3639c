'use client'
// Quick-add: Tab on the canvas (adds after the selected node), or a "+" on an output port (adds on that branch) or
// on an edge (inserts into it). Type to filter, arrows to move, Enter to add.
import { useEffect, useMemo, useRef, useState } from 'react'
import { useReactFlow } from '@xyflow/react'
import { Dialog } from '@/components/ui'
import { quickAddChosen, quickAddSet, useAppDispatch, useAppSelector, useAppStore, type QuickAddTarget, type RootState } from '@/lib/store'
import { CATEGORY_TONE, NodeIcon } from '@/components/canvas/icons'
import { searchTypes } from './catalogue'
import { outputPorts } from '@/lib/store/ports'
import { revealAdded } from './reveal'

export function QuickAdd() {
  const open = useAppSelector((s) => s.ui.quickAddOpen)
  const types = useAppSelector((s) => s.ui.nodeTypes)
  const target = useAppSelector((s) => s.ui.quickAddTarget)
  const where = useAppSelector((s) => describeTarget(s, s.ui.quickAddTarget))
  const dispatch = useAppDispatch()
  const store = useAppStore()
  const rf = useReactFlow()
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const input = useRef<HTMLInputElement>(null)
  // A node added on a branch or into an edge is connected to what is before it: triggers (no input) cannot be.
  const results = useMemo(
    () => searchTypes(Object.values(types).filter((t) => !target || !t.trigger), query).slice(0, 12),
    [types, query, target],
  )

  useEffect(() => {
    if (open) {
      setQuery('')
      setActive(0)
      setTimeout(() => input.current?.focus(), 0)
    }
  }, [open])

  const close = () => dispatch(quickAddSet(false))
  const choose = (type: string) => {
    const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect()
    const c = rf.screenToFlowPosition({ x: (el?.left ?? 0) + (el?.width ?? 800) / 2, y: (el?.top ?? 0) + (el?.height ?? 600) / 2 })
    const id = dispatch(quickAddChosen(type, { x: c.x - 110, y: c.y - 36 }))
    close()
    if (id) revealAdded(rf, store.getState, [id])
  }

  return (
    <Dialog open={open} onClose={close} title="Add a node" description={`Type to search; Enter adds it ${where}.`}>
      <input
        ref={input}
        aria-label="Node type"
        data-testid="quick-add-input"
        className="h-9 w-full rounded-md border border-line bg-canvas px-2.5 text-sm outline-none"
        value={query}
        placeholder="HTTP, code, if…"
        onChange={(e) => {
          setQuery(e.target.value)
          setActive(0)
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(a + 1, results.length - 1)) }
          if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)) }
          if (e.key === 'Enter' && results[active]) { e.preventDefault(); choose(results[active].type) }
        }}
      />
      <ul role="listbox" aria-label="Matching node types" className="max-h-72 overflow-y-auto">
        {results.map((t, i) => (
          <li key={t.type} role="option" aria-selected={i === active}>
            <button
              type="button"
              onMouseEnter={() => setActive(i)}
              onClick={() => choose(t.type)}
              className={`flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm ${i === active ? 'bg-accent-soft' : ''}`}
            >
              <span className={`flex size-7 items-center justify-center rounded ${CATEGORY_TONE[t.category] ?? CATEGORY_TONE.core}`}>
                <NodeIcon icon={t.icon} className="size-4" />
              </span>
              <span className="font-medium">{t.label}</span>
              <span className="truncate text-xs text-muted">{t.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  )
}

function describeTarget(s: RootState, target: QuickAddTarget | null): string {
  const name = (id: string) => s.graph.nodes[id]?.name ?? 'a node'
  if (target?.kind === 'port') {
    const node = s.graph.nodes[target.nodeId]
    const port = node ? outputPorts(node, s.ui.nodeTypes[node.type]).find((p) => p.name === target.port) : undefined
    return `after "${name(target.nodeId)}"${target.port === 'main' ? '' : ` (${port?.label ?? target.port})`}`
  }
  const e = target?.kind === 'edge' ? s.graph.edges[target.edgeId] : undefined
  if (e) return `between "${name(e.source)}" and "${name(e.target)}"`
  return 'after the selected node'
}
