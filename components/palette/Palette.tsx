'use client'
// Node types by category with search. Drag one onto the canvas, or click to add it next to the selection; hover or
// focus one for its hover card.
import { useMemo, useState, type CSSProperties } from 'react'
import { useReactFlow } from '@xyflow/react'
import { Search } from 'lucide-react'
import { addNodeNextToSelection, useAppDispatch, useAppSelector, useAppStore } from '@/lib/store'
import { CATEGORY_TONE, NodeIcon } from '@/components/canvas/icons'
import { PALETTE_MIME } from '@/components/canvas/Canvas'
import { CATEGORY_LABEL, groupByCategory, searchTypes } from './catalogue'
import { NodeTypeCard } from './NodeTypeCard'
import { revealAdded } from './reveal'
import type { NodeTypeInfo } from '@/lib/store/types'

export function Palette() {
  const types = useAppSelector((s) => s.ui.nodeTypes)
  const readOnly = useAppSelector((s) => s.ui.viewingVersion !== null)
  const dispatch = useAppDispatch()
  const store = useAppStore()
  const rf = useReactFlow()
  const [query, setQuery] = useState('')
  // Fixed position beside the hovered entry: the list scrolls and clips, the card must not.
  // In the lower half of the window the card grows upwards from the entry's bottom edge, so it never runs off screen.
  const [hover, setHover] = useState<{ type: NodeTypeInfo; place: CSSProperties } | null>(null)
  const showCard = (t: NodeTypeInfo, el: HTMLElement) => {
    const r = el.getBoundingClientRect()
    const below = r.top < window.innerHeight / 2
    setHover({ type: t, place: below ? { top: r.top, left: r.right + 8 } : { bottom: window.innerHeight - r.bottom, left: r.right + 8 } })
  }
  const groups = useMemo(() => groupByCategory(searchTypes(Object.values(types), query)), [types, query])

  const add = (type: string) => {
    const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect()
    const center = rf.screenToFlowPosition({ x: (el?.left ?? 0) + (el?.width ?? 800) / 2, y: (el?.top ?? 0) + (el?.height ?? 600) / 2 })
    const id = dispatch(addNodeNextToSelection(type, { x: center.x - 110, y: center.y - 36 }))
    if (id) revealAdded(rf, store.getState, [id])
  }

  return (
    <aside className="flex h-full w-60 shrink-0 flex-col border-r border-line bg-panel" aria-label="Node palette" data-testid="palette">
      <div className="border-b border-line p-2">
        <label className="flex h-8 items-center gap-2 rounded-md border border-line bg-canvas px-2 text-sm">
          <Search className="size-4 text-muted" aria-hidden />
          <input
            className="w-full bg-transparent outline-none placeholder:text-muted"
            placeholder="Search nodes"
            aria-label="Search nodes"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
      </div>
      <div className="flex-1 overflow-y-auto p-2">
        {groups.length === 0 && <p className="p-2 text-sm text-muted">No node matches “{query}”.</p>}
        {groups.map(([cat, list]) => (
          <section key={cat} className="mb-3">
            <h3 className="px-1 pb-1 text-[11px] font-semibold tracking-wide text-muted uppercase">{CATEGORY_LABEL[cat] ?? cat}</h3>
            <ul className="flex flex-col gap-0.5">
              {list.map((t) => (
                <li key={t.type}>
                  <button
                    type="button"
                    draggable={!readOnly}
                    disabled={readOnly}
                    data-testid={`palette-${t.type}`}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(PALETTE_MIME, t.type)
                      e.dataTransfer.effectAllowed = 'copy'
                    }}
                    onClick={() => add(t.type)}
                    onMouseEnter={(e) => showCard(t, e.currentTarget)}
                    onFocus={(e) => showCard(t, e.currentTarget)}
                    onMouseLeave={() => setHover(null)}
                    onBlur={() => setHover(null)}
                    aria-describedby={hover?.type.type === t.type ? 'palette-hover-card' : undefined}
                    className="flex w-full cursor-grab items-center gap-2 rounded-md px-1.5 py-1.5 text-left text-sm hover:bg-panel-2 disabled:cursor-not-allowed disabled:opacity-50"
                  >
                    <span className={`flex size-7 shrink-0 items-center justify-center rounded ${CATEGORY_TONE[t.category] ?? CATEGORY_TONE.core}`}>
                      <NodeIcon icon={t.icon} className="size-4" />
                    </span>
                    <span className="min-w-0">
                      <span className="block truncate">{t.label}</span>
                      <span className="block truncate text-[11px] text-muted">{t.description}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      {hover && <NodeTypeCard id="palette-hover-card" type={hover.type} style={hover.place} />}
    </aside>
  )
}
