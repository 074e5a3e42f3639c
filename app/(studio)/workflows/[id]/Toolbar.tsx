'use client'
// The designer's top bar: name, save state (draft autosave, version), history, layout and view tools, versions, save
// (with an optional message, no dialog) and run.
import { useReactFlow } from '@xyflow/react'
import { AlertTriangle, Download, History, LayoutDashboard, Maximize, Play, Redo2, Save, Settings, Square, StickyNote, Undo2 } from 'lucide-react'
import { Button, StatusBadge } from '@/components/ui'
import { api } from '@/lib/client/api'
import { addNote, layoutGraph, panelSet, redo, undo, useAppDispatch, useAppSelector, workflowRenamed, type DraftState } from '@/lib/store'
import { selectCanRedo, selectCanUndo, selectIsDirty } from '@/lib/store/selectors'
import { PublishTemplateButton } from '@/components/templates/DesignerTemplateBar'
import { LiveControls } from './LiveControls'

export function Toolbar({
  onSave, saving, message, onMessage, onRun, onCancel, onProblems, save, onSettings, workflowId,
}: {
  /** Saves a version now (Ctrl/Cmd+S does the same), with `message` when one was typed. */
  onSave: () => void
  saving: boolean
  message: string
  onMessage: (message: string) => void
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
  const draft = useAppSelector((s) => s.ui.draft)
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
      <SaveState version={version} dirty={dirty} draft={draft} />
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
        {onSettings && (
          <Button size="sm" variant="ghost" icon={<Settings className="size-4" />} aria-label="Settings" title="Workflow settings" onClick={onSettings} data-testid="settings-button">
            <Label>Settings</Label>
          </Button>
        )}
        {workflowId && <PublishTemplateButton workflowId={workflowId} />}
        {workflowId && (
          <a
            href={api.workflows.exportUrl(workflowId, viewing ?? version)}
            download
            aria-label="Export"
            title={dirty ? 'Export the saved version (save first to include your changes)' : 'Export as a file'}
            className="inline-flex h-7 items-center gap-1.5 rounded-md border border-transparent px-2.5 text-xs font-medium whitespace-nowrap text-fg hover:bg-panel-2"
            data-testid="export-button"
          >
            <Download className="size-4" /> <Label>Export</Label>
          </a>
        )}
        <Button size="sm" variant={panel === 'versions' ? 'secondary' : 'ghost'} icon={<History className="size-4" />} aria-label="Versions" title="Version history" onClick={() => dispatch(panelSet(panel === 'versions' ? 'inspector' : 'versions'))}>
          <Label>Versions</Label>
        </Button>
        <form className="flex items-center" onSubmit={(e) => { e.preventDefault(); onSave() }}>
          <input
            aria-label="Version message"
            data-testid="save-message"
            placeholder="Message (optional)"
            title="Saved with the next version (Ctrl+S or Save)"
            className="h-7 w-32 rounded-l-md border border-r-0 border-line bg-canvas px-2 text-xs outline-none focus:border-accent disabled:opacity-50"
            disabled={ro}
            maxLength={1000}
            value={message}
            onChange={(e) => onMessage(e.target.value)}
          />
          <Button type="submit" size="sm" variant="secondary" className="rounded-l-none" disabled={ro} loading={saving} icon={<Save className="size-4" />} title="Save a version (Ctrl+S)" data-testid="save-button">
            Save
          </Button>
        </form>
        {active ? (
          <Button size="sm" variant="danger" icon={<Square className="size-4" />} onClick={onCancel}>Stop</Button>
        ) : (
          <Button size="sm" variant="primary" disabled={ro} icon={<Play className="size-4" />} onClick={onRun} data-testid="run-button">Run</Button>
        )}
      </div>
    </div>
  )
}

/** "v3 · draft saved · 12:03", "v3 · unsaved changes", "v3 · saving…", "v3 · draft not saved" (with the reason), "v3 · saved". */
function SaveState({ version, dirty, draft }: { version: number; dirty: boolean; draft: DraftState }) {
  let text: string
  let tone = 'text-muted'
  let title: string | undefined
  if (draft.saving) text = 'saving…'
  else if (dirty && draft.failed) {
    text = 'draft not saved'
    tone = 'text-danger'
    title = draft.failed
  } else if (dirty) text = 'unsaved changes'
  else if (draft.exists && draft.savedAt) {
    text = `draft saved · ${new Date(draft.savedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}`
    title = `Your changes are kept as a draft; Save (Ctrl+S) makes them version ${version + 1}.`
  } else text = 'saved'
  return (
    <span className={`text-xs whitespace-nowrap ${tone}`} title={title} data-testid="save-state" data-dirty={dirty} data-draft={draft.exists}>
      v{version} · {text}
    </span>
  )
}

/** A tool's label, shown on wide screens only (the icon and its accessible name stay), so Save and Run never scroll
 * out of a 1440 px toolbar. */
function Label({ children }: { children: string }) {
  return <span className="hidden 2xl:inline">{children}</span>
}
