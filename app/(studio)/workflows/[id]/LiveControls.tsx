'use client'
// Production in the designer's top bar: which version is live, Activate/Deactivate, and Publish (the saved draft
// becomes the live version; unsaved changes and the autosaved draft are saved as a version first). Saving alone never changes what runs in production.
import { useState } from 'react'
import { Power, Rocket } from 'lucide-react'
import { Button, useToast } from '@/components/ui'
import { api } from '@/lib/client/api'
import { liveChanged, useAppDispatch, useAppSelector, useAppStore } from '@/lib/store'
import { selectIsDirty } from '@/lib/store/selectors'
import type { LiveState } from '@/lib/client/types'

export function LiveControls({ save }: { save: (message: string) => Promise<boolean> }) {
  const dispatch = useAppDispatch()
  const store = useAppStore()
  const toast = useToast()
  const workflowId = useAppSelector((s) => s.ui.workflowId)
  const active = useAppSelector((s) => s.ui.active)
  const published = useAppSelector((s) => s.ui.publishedVersion)
  const draft = useAppSelector((s) => s.ui.baseVersion)
  // Edits not in a version yet: unsaved, or only in the autosaved draft.
  const dirty = useAppSelector((s) => selectIsDirty(s) || s.ui.draft.exists)
  const viewing = useAppSelector((s) => s.ui.viewingVersion)
  const [busy, setBusy] = useState<'toggle' | 'publish' | null>(null)
  if (!workflowId) return null
  const upToDate = active && published === draft && !dirty

  async function act(kind: 'toggle' | 'publish', call: () => Promise<LiveState>, done: (s: LiveState) => string, failed: string) {
    setBusy(kind)
    try {
      const state = await call()
      dispatch(liveChanged({ active: state.active, publishedVersion: state.publishedVersion }))
      toast.success(done(state))
    } catch (e) {
      toast.error(e, failed)
    } finally {
      setBusy(null)
    }
  }

  const toggle = () =>
    act(
      'toggle',
      () => (active ? api.workflows.deactivate(workflowId) : api.workflows.activate(workflowId)),
      (s) => (s.active ? `Active: version ${s.publishedVersion} is live` : 'Deactivated: its triggers stopped'),
      active ? 'Could not deactivate' : 'Could not activate',
    )

  const publish = async () => {
    const s = store.getState()
    if ((selectIsDirty(s) || s.ui.draft.exists) && !(await save('Saved before publishing'))) return
    const version = store.getState().ui.baseVersion
    await act('publish', () => api.workflows.publish(workflowId, version), (s) => `Published: version ${s.publishedVersion} is live`, 'Could not publish')
  }

  return (
    <div className="flex items-center gap-2" data-testid="live-controls" data-active={active} data-published={published ?? ''}>
      <span
        className={`flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs ${active ? 'bg-ok/15 text-ok' : 'bg-panel-2 text-muted'}`}
        data-testid="live-status"
        title={active ? 'Its webhooks, schedules, events and broker triggers run the published version' : 'No trigger listens until it is activated'}
      >
        <span className={`size-1.5 rounded-full ${active ? 'bg-ok' : 'bg-muted'}`} />
        {active ? `Live · v${published}` : published ? `Inactive · v${published} published` : 'Not published'}
      </span>
      {active && published !== null && (published !== draft || dirty) && <span className="text-xs text-muted" data-testid="draft-note">draft not live</span>}
      <Button size="sm" variant="ghost" icon={<Power className="size-4" />} loading={busy === 'toggle'} disabled={viewing !== null} onClick={() => void toggle()} data-testid="activate-toggle">
        {active ? 'Deactivate' : 'Activate'}
      </Button>
      <Button
        size="sm"
        variant="secondary"
        icon={<Rocket className="size-4" />}
        loading={busy === 'publish'}
        disabled={viewing !== null || upToDate}
        title={upToDate ? 'The saved version is live' : `Make version ${dirty ? draft + 1 : draft} the live one`}
        onClick={() => void publish()}
        data-testid="publish-button"
      >
        Publish
      </Button>
    </div>
  )
}
