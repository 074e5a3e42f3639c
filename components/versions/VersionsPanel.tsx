'use client'
// Version history: the autosaved draft (when there is one), then every version: open one read-only, diff two, restore
// one (as a new version, asked first by the designer).
import { useCallback, useEffect, useState } from 'react'
import { Eye, GitCompare, History, Rocket, RotateCcw, X } from 'lucide-react'
import { Button, Dialog, useToast } from '@/components/ui'
import { api } from '@/lib/client/api'
import type { WorkflowVersionInfo } from '@/lib/client/types'
import type { WorkflowGraphInput } from '@/lib/engine/graph-schema'
import { liveChanged, panelSet, useAppDispatch, useAppSelector } from '@/lib/store'
import { diffGraphs, type GraphDiff } from '@/lib/store/diff'
import { DiffView } from './DiffView'

export interface VersionsPanelProps {
  onOpen: (n: number) => void
  onRestore: (n: number) => Promise<void>
}

export function VersionsPanel({ onOpen, onRestore }: VersionsPanelProps) {
  const dispatch = useAppDispatch()
  const toast = useToast()
  const workflowId = useAppSelector((s) => s.ui.workflowId)
  const current = useAppSelector((s) => s.ui.baseVersion)
  const viewing = useAppSelector((s) => s.ui.viewingVersion)
  const live = useAppSelector((s) => (s.ui.active ? s.ui.publishedVersion : null))
  const published = useAppSelector((s) => s.ui.publishedVersion)
  const draft = useAppSelector((s) => s.ui.draft)
  const [versions, setVersions] = useState<WorkflowVersionInfo[]>([])
  const [picked, setPicked] = useState<number[]>([])
  const [diff, setDiff] = useState<{ a: number; b: number; diff: GraphDiff } | null>(null)
  const [busy, setBusy] = useState<number | null>(null)

  const load = useCallback(() => {
    if (workflowId) api.workflows.versions(workflowId).then((r) => setVersions(r.versions), (e) => toast.error(e, 'Could not load versions'))
  }, [workflowId]) // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(load, [load, current])

  const toggle = (n: number) => setPicked((p) => (p.includes(n) ? p.filter((x) => x !== n) : [...p.slice(-1), n]))

  const compare = async () => {
    if (!workflowId || picked.length !== 2) return
    const [a, b] = [...picked].sort((x, y) => x - y)
    try {
      const [va, vb] = await Promise.all([api.workflows.version(workflowId, a), api.workflows.version(workflowId, b)])
      setDiff({ a, b, diff: diffGraphs(va.graph as WorkflowGraphInput, vb.graph as WorkflowGraphInput) })
    } catch (e) {
      toast.error(e, 'Could not compare versions')
    }
  }

  return (
    <aside className="flex h-full w-[380px] shrink-0 flex-col border-l border-line bg-panel" aria-label="Version history" data-testid="versions-panel">
      <header className="flex items-center gap-2 border-b border-line p-3">
        <History className="size-4 text-muted" />
        <h2 className="flex-1 text-sm font-semibold">Version history</h2>
        <Button size="sm" variant="secondary" disabled={picked.length !== 2} icon={<GitCompare className="size-3.5" />} onClick={compare}>
          Compare
        </Button>
        <button type="button" aria-label="Close version history" className="rounded p-1 text-muted hover:bg-panel-2" onClick={() => dispatch(panelSet('inspector'))}>
          <X className="size-4" />
        </button>
      </header>
      <p className="border-b border-line px-3 py-1.5 text-[11px] text-muted">Tick two versions to compare them.</p>
      <ul className="flex-1 overflow-y-auto">
        {draft.exists && draft.savedAt && (
          <li className="border-b border-line px-3 py-2 text-xs text-muted" data-testid="version-draft">
            <span className="font-medium text-fg">Draft</span> · autosaved {new Date(draft.savedAt).toLocaleString()} · not a version yet: Save (Ctrl+S)
            makes it v{current + 1}
          </li>
        )}
        {versions.map((v) => (
          <li key={v.number} className={`flex items-start gap-2 border-b border-line px-3 py-2 text-sm ${viewing === v.number ? 'bg-accent-soft' : ''}`} data-testid={`version-${v.number}`}>
            <input type="checkbox" aria-label={`Pick version ${v.number} to compare`} className="mt-1" checked={picked.includes(v.number)} onChange={() => toggle(v.number)} />
            <div className="min-w-0 flex-1">
              <div className="flex items-center gap-2">
                <span className="font-medium">v{v.number}</span>
                {v.number === current && <span className="rounded bg-ok/15 px-1 text-[10px] text-ok">current</span>}
                {v.number === published && (
                  <span className="rounded bg-accent-soft px-1 text-[10px] text-accent" data-testid="version-live">{v.number === live ? 'live' : 'published'}</span>
                )}
                <span className="ml-auto text-[11px] text-muted">{new Date(v.createdAt).toLocaleString()}</span>
              </div>
              <p className="truncate text-xs text-muted">{v.message || 'No message'}</p>
              <div className="mt-1 flex gap-1">
                <Button size="sm" variant="ghost" icon={<Eye className="size-3.5" />} onClick={() => onOpen(v.number)}>Open</Button>
                {v.number !== live && workflowId && (
                  <Button size="sm" variant="ghost" icon={<Rocket className="size-3.5" />} title="Make this version the live one (activates the workflow)"
                    onClick={async () => {
                      try {
                        const s = await api.workflows.publish(workflowId, v.number)
                        dispatch(liveChanged({ active: s.active, publishedVersion: s.publishedVersion }))
                        toast.success(`Version ${v.number} is live`)
                      } catch (e) {
                        toast.error(e, 'Could not publish')
                      }
                    }}>
                    Publish
                  </Button>
                )}
                {v.number !== current && (
                  <Button size="sm" variant="ghost" loading={busy === v.number} icon={<RotateCcw className="size-3.5" />}
                    onClick={async () => {
                      setBusy(v.number)
                      try { await onRestore(v.number) } finally { setBusy(null) }
                    }}>
                    Restore
                  </Button>
                )}
              </div>
            </div>
          </li>
        ))}
      </ul>
      <Dialog open={!!diff} onClose={() => setDiff(null)} title={diff ? `Changes from v${diff.a} to v${diff.b}` : ''} className="w-[min(40rem,calc(100vw-2rem))]">
        {diff && <div className="max-h-[60vh] overflow-y-auto"><DiffView diff={diff.diff} /></div>}
      </Dialog>
    </aside>
  )
}
