'use client'
// The designer's top bar: name, save state, history, layout and view tools, versions, save and run.
import { useReactFlow } from '@xyflow/react'
import { AlertTriangle, Download, History, LayoutDashboard, Maximize, Play, Redo2, Save, Settings, Square, StickyNote, Undo2 } from 'lucide-react'
import { Button, StatusBadge } from '@/components/ui'
import { api } from '@/lib/client/api'
import { addNote, layoutGraph, panelSet, redo, undo, useAppDispatch, useAppSelector, workflowRenamed } from '@/lib/store'
import { selectCanRedo, selectCanUndo, selectIsDirty } from '@/lib/store/selectors'
import { PublishTemplateButton } from '@/components/templates/DesignerTemplateBar'
import { LiveControls } from './LiveControls'

export function Toolbar({
  onSave, onRun, onCancel, onProblems, save, onSettings, workflowId,
}: {
  onSave: () => void
  onRun: () => void
  onCancel: () => void
  onProblems: () => void
  save: (message: string) => Promise<boolean>
  onSettings?: () => void
  /** Offers the saved version shown (the newest, or the one being viewed) as a file. */
  workflowId?: string
}) {
  const dispatch = useAppDispatch()
  const rf = useReactFlow()
  const name = useAppSelector((s) => s.ui.name)
  const version = useAppSelector((s) => s.ui.baseVersion)
  const viewing = useAppSelector((s) => s.ui.viewingVersion)
  const dirty = useAppSelector(selectIsDirty)
  const canUndo = useAppSelector(selectCanUndo)
  const canRedo = useAppSelector(selectCanRedo)
  const problems = useAppSelector((s) => s.ui.problems.length)
  const runStatus = useAppSelector((s) => s.run.status)
  const panel = useAppSelector((s) => s.ui.panel)
  const ro = viewing !== null
  const active = runStatus === 'queued' || runStatus === 'running'

  const noteAtCenter = () => {
    const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect()
    const p = rf.screenToFlowPosition({ x: (el?.left ?? 0) + 80, y: (el?.top ?? 0) + 80 })
    dispatch(addNote(p))
  }

  return (
    <div className="flex h-12 shrink-0 items-center gap-2 border-b border-line bg-panel px-3" role="toolbar" aria-label="Designer">
      <input
        aria-label="Workflow name"
        data-testid="workflow-name"
        className="w-56 rounded-md bg-transparent px-2 py-1 text-sm font-semibold outline-none hover:bg-panel-2 focus:bg-canvas"
        value={name}
        readOnly={ro}
        onChange={(e) => dispatch(workflowRenamed(e.target.value))}
      />
      <span className="text-xs text-muted" data-testid="save-state">
        v{version}
        {dirty ? ' · unsaved changes' : ' · saved'}
      </span>
      <div className="mx-2 h-5 w-px bg-line" />
      <Button size="sm" variant="ghost" aria-label="Undo" title="Undo (Ctrl+Z)" disabled={!canUndo || ro} onClick={() => dispatch(undo())} icon={<Undo2 className="size-4" />} />
      <Button size="sm" variant="ghost" aria-label="Redo" title="Redo (Shift+Ctrl+Z)" disabled={!canRedo || ro} onClick={() => dispatch(redo())} icon={<Redo2 className="size-4" />} />
      <Button size="sm" variant="ghost" aria-label="Auto-layout" title="Auto-layout (Shift+Alt+L)" disabled={ro} onClick={() => {
        dispatch(layoutGraph())
        requestAnimationFrame(() => rf.fitView({ padding: 0.2, duration: 200 }))
      }} icon={<LayoutDashboard className="size-4" />} />
      <Button size="sm" variant="ghost" aria-label="Zoom to fit" title="Zoom to fit (1)" onClick={() => rf.fitView({ padding: 0.2, duration: 200 })} icon={<Maximize className="size-4" />} />
      <Button size="sm" variant="ghost" aria-label="Add sticky note" title="Add sticky note" disabled={ro} onClick={noteAtCenter} icon={<StickyNote className="size-4" />} />
      <div className="ml-auto flex items-center gap-2">
        {runStatus && <span data-testid="run-status"><StatusBadge status={runStatus} /></span>}
        {problems > 0 && (
          <button type="button" onClick={onProblems} className="flex items-center gap-1 rounded-md px-2 py-1 text-xs text-warn hover:bg-panel-2" data-testid="problem-count">
            <AlertTriangle className="size-3.5" /> {problems} problem{problems === 1 ? '' : 's'}
          </button>
        )}
        <LiveControls save={save} />
        <div className="mx-1 h-5 w-px bg-line" />
        {onSettings && <Button size="sm" variant="ghost" icon={<Settings className="size-4" />} onClick={onSettings} data-testid="settings-button">Settings</Button>}
        {workflowId && <PublishTemplateButton workflowId={workflowId} />}
        {workflowId && (
          <a
            href={api.workflows.exportUrl(workflowId, viewing ?? version)}
            download
            title={dirty ? 'Export the saved version (save first to include your changes)' : 'Export as a file'}
            className="inline-flex h-7 items-center gap-1.5 rounded-md border border-transparent px-2.5 text-xs font-medium whitespace-nowrap text-fg hover:bg-panel-2"
            data-testid="export-button"
          >
            <Download className="size-4" /> Export
          </a>
        )}
        <Button size="sm" variant={panel === 'versions' ? 'secondary' : 'ghost'} icon={<History className="size-4" />} onClick={() => dispatch(panelSet(panel === 'versions' ? 'inspector' : 'versions'))}>
          Versions
        </Button>
        <Button size="sm" variant="secondary" disabled={ro} icon={<Save className="size-4" />} onClick={onSave} data-testid="save-button">
          Save
        </Button>
        {active ? (
          <Button size="sm" variant="danger" icon={<Square className="size-4" />} onClick={onCancel}>Stop</Button>
        ) : (
          <Button size="sm" variant="primary" disabled={ro} icon={<Play className="size-4" />} onClick={onRun} data-testid="run-button">Run</Button>
        )}
      </div>
    </div>
  )
}
