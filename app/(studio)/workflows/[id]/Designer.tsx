'use client'
// The workflow designer: one Redux store per page, canvas in the middle, palette left, inspector/versions right.
import { useCallback, useEffect, useRef, useState } from 'react'
import { Provider } from 'react-redux'
import { ReactFlowProvider, useReactFlow } from '@xyflow/react'
import { Eye } from 'lucide-react'
import { Button, EmptyState, Spinner, useToast } from '@/components/ui'
import { Canvas } from '@/components/canvas/Canvas'
import { useShortcuts } from '@/components/canvas/useShortcuts'
import { ExecutionDataProvider } from '@/components/inspector/execution-data'
import { Inspector } from '@/components/inspector/Inspector'
import { NodeEditorProvider } from '@/components/inspector/NodeEditor'
import { useNodeEditor } from '@/components/inspector/node-editor-context'
import { Palette } from '@/components/palette/Palette'
import { QuickAdd } from '@/components/palette/QuickAdd'
import { ConflictDialog } from '@/components/versions/ConflictDialog'
import { VersionsPanel } from '@/components/versions/VersionsPanel'
import { TemplateUpgradeBanner } from '@/components/templates/DesignerTemplateBar'
import { makeStore, noticeDismissed, selectionSet, useAppDispatch, useAppSelector, useAppStore } from '@/lib/store'
import { selectIsDirty } from '@/lib/store/selectors'
import { LeaveGuard } from '@/components/shell/leave-guard'
import { ProblemsDialog, RestoreDialog, RunDialog } from './dialogs'
import { DraftNote } from './DraftNote'
import { Toolbar } from './Toolbar'
import { SettingsDialog } from './SettingsDialog'
import { useAutosave } from './use-autosave'
import { useDocument } from './use-document'
import { useRunner } from './use-runner'

export function Designer({ workflowId }: { workflowId: string }) {
  const [store] = useState(makeStore)
  return (
    <Provider store={store}>
      <ReactFlowProvider>
        <ExecutionDataProvider>
          <NodeEditorProvider>
            <DesignerBody workflowId={workflowId} />
          </NodeEditorProvider>
        </ExecutionDataProvider>
      </ReactFlowProvider>
    </Provider>
  )
}

/** Store notices (refused connections, copy) → the studio's toasts. */
function NoticeBridge() {
  const notices = useAppSelector((s) => s.ui.notices)
  const dispatch = useAppDispatch()
  const toast = useToast()
  useEffect(() => {
    for (const n of notices) {
      toast.show({ title: n.text, tone: n.kind })
      dispatch(noticeDismissed(n.id))
    }
  }, [notices, dispatch, toast])
  return null
}

function DesignerBody({ workflowId }: { workflowId: string }) {
  const doc = useDocument(workflowId)
  const runner = useRunner(workflowId)
  const autosave = useAutosave(workflowId, doc.state === 'ready')
  const dispatch = useAppDispatch()
  const store = useAppStore()
  const rf = useReactFlow()
  const nodeEditor = useNodeEditor()
  const panel = useAppSelector((s) => s.ui.panel)
  const viewing = useAppSelector((s) => s.ui.viewingVersion)
  const hasSelection = useAppSelector((s) => s.selection.nodeIds.length > 0)
  const [message, setMessage] = useState('')
  const messageRef = useRef(message)
  messageRef.current = message
  const [restoring, setRestoring] = useState<number | null>(null)
  const [runOpen, setRunOpen] = useState(false)
  const [settingsOpen, setSettingsOpen] = useState(false)

  const { save } = doc
  // Ctrl/Cmd+S and Save: a version at once, with the toolbar's message if one was typed (no dialog).
  const saveNow = useCallback(async () => {
    if (store.getState().ui.viewingVersion !== null) return
    if (await save(messageRef.current.trim())) setMessage('')
  }, [store, save])
  const fit = useCallback(() => void rf.fitView({ padding: 0.2, duration: 200 }), [rf])
  useEffect(() => {
    // Leaving with unsaved changes asks first (the browser shows its own wording).
    const warn = (e: BeforeUnloadEvent) => {
      if (selectIsDirty(store.getState())) e.preventDefault()
    }
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [store])
  useShortcuts({ onSave: () => void saveNow(), onFit: fit, enabled: doc.state === 'ready' })
  const { show } = runner
  useEffect(() => {
    const execution = new URLSearchParams(window.location.search).get('execution')
    if (doc.state === 'ready' && execution) show(execution)
  }, [doc.state, show])

  const focusNode = (id: string) => {
    dispatch(selectionSet({ nodeIds: [id] }))
    const n = store.getState().graph.nodes[id]
    if (n) void rf.setCenter(n.position.x + 110, n.position.y + 36, { zoom: 1, duration: 250 })
  }

  if (doc.state === 'error') {
    return (
      <div className="p-8">
        <EmptyState title="Could not open this workflow" description={doc.loadError ?? ''} action={<Button onClick={() => void doc.reload()}>Try again</Button>} />
      </div>
    )
  }

  const names = Object.fromEntries(Object.values(store.getState().graph.nodes).map((n) => [n.id, n.name]))

  return (
    <div className="flex flex-col" style={{ height: 'calc(100dvh - 49px)' }} data-testid="designer" data-state={doc.state}>
      <NoticeBridge />
      <Toolbar
        onSave={() => void saveNow()}
        saving={doc.saving}
        message={message}
        onMessage={setMessage}
        onRun={() => runner.check() && setRunOpen(true)}
        onCancel={() => void runner.cancel()}
        onProblems={() => runner.check()}
        save={doc.save}
        onSettings={() => setSettingsOpen(true)}
        workflowId={workflowId}
      />
      <DraftNote savedAt={doc.openedDraft} onDismiss={doc.dismissDraftNote} onDiscard={() => { autosave.discard(); void doc.discardDraft() }} />
      {doc.state === 'ready' && <TemplateUpgradeBanner workflowId={workflowId} onUpgraded={() => void doc.reload()} />}
      <div className="flex min-h-0 flex-1">
        <Palette />
        <div className="relative min-w-0 flex-1">
          {doc.state === 'loading' ? (
            <div className="flex h-full items-center justify-center gap-2 text-sm text-muted"><Spinner /> Opening workflow…</div>
          ) : (
            <Canvas onNodeOpen={(id) => { dispatch(selectionSet({ nodeIds: [id] })); nodeEditor.open(id) }} />
          )}
          {!hasSelection && doc.state === 'ready' && (
            <p className="pointer-events-none absolute bottom-3 left-1/2 z-10 -translate-x-1/2 rounded-full bg-panel/90 px-3 py-1 text-[11px] text-muted shadow-sm" data-testid="shortcut-hints">
              Tab add a node · Shift+drag select · Ctrl+Z / Shift+Ctrl+Z undo/redo · Ctrl+C / Ctrl+V copy/paste · 1 fit
            </p>
          )}
          {viewing !== null && (
            <div className="absolute top-3 left-1/2 z-10 flex -translate-x-1/2 items-center gap-3 rounded-full border border-line bg-panel px-4 py-1.5 text-sm shadow" data-testid="readonly-banner">
              <Eye className="size-4 text-muted" /> Viewing version {viewing} (read-only)
              <Button size="sm" variant="primary" onClick={doc.closeVersion}>Back to draft</Button>
            </div>
          )}
        </div>
        {panel === 'versions' ? <VersionsPanel onOpen={doc.openVersion} onRestore={async (n) => setRestoring(n)} /> : <Inspector />}
      </div>
      <QuickAdd />
      <RestoreDialog
        version={restoring}
        next={store.getState().ui.baseVersion + 1}
        replacesDraft={store.getState().ui.draft.exists || selectIsDirty(store.getState())}
        onClose={() => setRestoring(null)}
        onRestore={doc.restore}
      />
      <LeaveGuard isDirty={() => selectIsDirty(store.getState())} save={autosave.flush} onDiscard={autosave.discard} />
      <SettingsDialog workflowId={workflowId} open={settingsOpen} onClose={() => setSettingsOpen(false)} />
      <RunDialog open={runOpen} onClose={() => setRunOpen(false)} onRun={runner.run} starting={runner.starting} />
      <ProblemsDialog problems={runner.blocking} names={names} onClose={runner.dismissBlocking} onFocus={focusNode} />
      <ConflictDialog conflict={doc.conflict} busy={doc.saving} onClose={doc.dismissConflict} onReload={doc.reloadTheirs} onOverwrite={() => void doc.overwrite()} />
    </div>
  )
}
