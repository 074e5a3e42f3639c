import Link from 'next/link'
import { KeyRound, SlidersHorizontal } from 'lucide-react'
import { Badge } from '@/components/ui'
import { CATEGORY_TONE, NodeIcon } from '@/components/canvas/icons'
import type { NodeTypeInfo } from '@/lib/client/types'
import type { TemplateSummary } from './api'
import { GraphPreview } from './GraphPreview'
import { templateHref } from './paths'

/** Distinct node types beyond this many show as "+n". */
const MAX_ICONS = 6

export function TemplateCard({ template: t, nodeTypes }: { template: TemplateSummary; nodeTypes: Record<string, NodeTypeInfo> }) {
  const shown = t.nodeTypes.slice(0, MAX_ICONS)
  return (
    <article className="group flex flex-col overflow-hidden rounded-lg border border-line bg-panel transition-shadow hover:shadow-md" aria-labelledby={`tpl-${t.id}`} data-testid="template-card">
      <Link href={templateHref(t.id)} className="block border-b border-line bg-canvas px-3 py-2 text-muted" tabIndex={-1} aria-hidden>
        <GraphPreview graph={t.preview} className="h-28 w-full" />
      </Link>
      <div className="flex flex-1 flex-col gap-2 p-3">
        <div className="flex items-start justify-between gap-2">
          <h3 id={`tpl-${t.id}`} className="text-sm font-semibold leading-snug">
            <Link href={templateHref(t.id)} className="hover:text-accent hover:underline">
              {t.name}
            </Link>
          </h3>
          <Badge tone={t.source === 'builtin' ? 'info' : 'neutral'} className="shrink-0 whitespace-nowrap">{t.source === 'builtin' ? 'Built-in' : 'Workspace'}</Badge>
        </div>
        <p className="line-clamp-2 text-xs text-muted">{t.description || 'No description.'}</p>
        <div className="flex flex-wrap items-center gap-1">
          <Badge tone="muted">{t.category}</Badge>
          {t.tags.slice(0, 4).map((tag) => (
            <span key={tag} className="text-[11px] text-muted">#{tag}</span>
          ))}
        </div>
        <div className="mt-auto flex items-center justify-between gap-2 pt-1">
          <ul className="flex items-center gap-1" aria-label="Node types used">
            {shown.map((type) => {
              const info = nodeTypes[type]
              return (
                <li key={type} title={info?.label ?? type} className={`grid size-6 place-items-center rounded ${CATEGORY_TONE[info?.category ?? 'core'] ?? CATEGORY_TONE.core}`}>
                  <NodeIcon icon={info?.icon} className="size-3.5" />
                  <span className="sr-only">{info?.label ?? type}</span>
                </li>
              )
            })}
            {t.nodeTypes.length > MAX_ICONS && <li className="text-[11px] text-muted">+{t.nodeTypes.length - MAX_ICONS}</li>}
          </ul>
          <div className="flex items-center gap-2 text-[11px] text-muted">
            {t.parameterCount > 0 && (
              <span className="flex items-center gap-0.5" title="Parameters">
                <SlidersHorizontal className="size-3" /> {t.parameterCount}
              </span>
            )}
            {t.credentialKinds.length > 0 && (
              <span className="flex items-center gap-0.5" title={`Needs credentials: ${t.credentialKinds.join(', ')}`}>
                <KeyRound className="size-3" /> {t.credentialKinds.length}
              </span>
            )}
            <span>v{t.currentVersion}</span>
          </div>
        </div>
      </div>
    </article>
  )
}
