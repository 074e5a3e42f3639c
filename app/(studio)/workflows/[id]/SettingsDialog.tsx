'use client'
// Workflow settings (not versioned: saving them makes no new version): its tags (saved as they change), the error
// workflow, started when a run fails, and how many runs of it may go on at once.
import { useEffect, useState } from 'react'
import { useRouter } from 'next/navigation'
import { Button, Dialog } from '@/components/ui'
import { api, errorMessage } from '@/lib/client/api'
import { WorkflowPicker } from '@/components/pickers'
import { TagEditor } from '@/components/workflows/TagEditor'

export function SettingsDialog({ workflowId, open, onClose }: { workflowId: string; open: boolean; onClose: () => void }) {
  const router = useRouter()
  const [name, setName] = useState('')
  const [tags, setTags] = useState<string[]>([])
  const [knownTags, setKnownTags] = useState<string[]>([])
  const [errorWorkflowId, setErrorWorkflowId] = useState<string | undefined>(undefined)
  const [maxConcurrency, setMaxConcurrency] = useState('')
  const [loaded, setLoaded] = useState(false)
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  useEffect(() => {
    if (!open) return
    let stale = false
    setLoaded(false)
    setProblem(null)
    api.workflows.get(workflowId).then(
      (wf) => {
        if (stale) return
        setName(wf.name)
        setTags(wf.tags ?? [])
        setErrorWorkflowId(wf.settings?.errorWorkflowId)
        setMaxConcurrency(wf.settings?.maxConcurrency ? String(wf.settings.maxConcurrency) : '')
        setLoaded(true)
      },
      (err) => !stale && setProblem(errorMessage(err)),
    )
    api.workflows.tags().then((r) => !stale && setKnownTags(r.tags.map((t) => t.tag)), () => {})
    return () => {
      stale = true
    }
  }, [open, workflowId])

  const save = async () => {
    setSaving(true)
    setProblem(null)
    try {
      // Settings are not versioned: based on whatever version is newest now, so unsaved canvas edits do not matter.
      const { currentVersion } = await api.workflows.get(workflowId)
      const limit = maxConcurrency.trim() === '' ? null : Number(maxConcurrency)
      await api.workflows.update(workflowId, { baseVersion: currentVersion, settings: { errorWorkflowId: errorWorkflowId ?? null, maxConcurrency: limit } })
      onClose()
    } catch (err) {
      setProblem(errorMessage(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Workflow settings"
      description="Saved at once, apart from the workflow's versions."
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>Cancel</Button>
          <Button variant="primary" loading={saving} disabled={!loaded} onClick={save} data-testid="settings-save">Save settings</Button>
        </>
      }
    >
      <div className="flex flex-col gap-1" data-testid="workflow-settings">
        <span className="text-xs font-medium">Tags</span>
        {loaded && (
          <TagEditor
            workflowId={workflowId}
            workflowName={name}
            tags={tags}
            known={knownTags}
            canEdit
            onChange={setTags}
            onPick={(tag) => router.push(`/workflows?tag=${encodeURIComponent(tag)}`)}
          />
        )}
        <p className="mb-3 text-[11px] text-muted">Find it by them in the workflow list. Saved as you change them.</p>
        <label htmlFor="error-workflow" className="text-xs font-medium">Error workflow</label>
        {loaded ? (
          <WorkflowPicker id="error-workflow" label="Error workflow" value={errorWorkflowId} onChange={setErrorWorkflowId} emptyLabel="None" invalid={!!problem} />
        ) : (
          <p className="text-sm text-muted">{problem ? '' : 'Loading…'}</p>
        )}
        <p className="text-[11px] text-muted">
          Started when a run of this workflow fails, with the failed run, node and error. It must start with an Error Trigger.
        </p>
        <label htmlFor="max-concurrency" className="mt-3 text-xs font-medium">Runs at once</label>
        <input
          id="max-concurrency"
          type="number"
          min={1}
          inputMode="numeric"
          placeholder="No limit"
          className="h-9 rounded-md border border-line bg-canvas px-2 text-sm"
          value={maxConcurrency}
          disabled={!loaded}
          onChange={(e) => setMaxConcurrency(e.target.value)}
          data-testid="max-concurrency"
        />
        <p className="text-[11px] text-muted">
          How many runs of this workflow may go on at once across all workers; more wait in the queue. Empty: no limit (the workspace&apos;s own limit still applies).
        </p>
        {problem && <p role="alert" className="text-xs text-danger" data-testid="settings-problem">{problem}</p>}
      </div>
    </Dialog>
  )
}
