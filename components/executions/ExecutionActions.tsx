'use client'
import { useState } from 'react'
import { useRouter } from 'next/navigation'
import { RotateCcw, Square, StepForward, Trash2 } from 'lucide-react'
import { Button, Dialog, useToast } from '@/components/ui'
import { api } from '@/lib/client/api'
import type { ExecutionStatus } from '@/lib/client/types'

export interface ExecutionActionsProps {
  executionId: string
  status: ExecutionStatus
  /** Offer "Re-run from failed step" (the detail page knows whether a failed step was recorded). */
  canRetryFromFailed?: boolean
  size?: 'sm' | 'md'
  /** Open the new execution after a re-run (detail page) instead of staying (list). */
  openNew?: boolean
  /** Offer "Delete" for a finished execution (detail page; back to the list afterwards). */
  canDelete?: boolean
  /** The version the execution ran, named in the re-run choice. */
  versionNumber?: number
}

/** Cancel a running/queued execution; re-run or delete a finished one. */
export function ExecutionActions({ executionId, status, canRetryFromFailed, size = 'sm', openNew, canDelete, versionNumber }: ExecutionActionsProps) {
  const toast = useToast()
  const router = useRouter()
  const [busy, setBusy] = useState<'cancel' | 'all' | 'failed' | 'delete' | null>(null)
  const [confirming, setConfirming] = useState(false)
  /** A re-run asks which version: the one it ran, or the workflow's current one (after a fix). */
  const [choosing, setChoosing] = useState<'all' | 'failed' | null>(null)
  const active = status === 'running' || status === 'queued'

  async function remove() {
    setBusy('delete')
    try {
      await api.executions.remove(executionId)
      toast.success('Execution deleted')
      router.push('/executions')
    } catch (err) {
      toast.error(err, 'Could not delete the execution')
      setBusy(null)
    }
  }

  async function cancel() {
    setBusy('cancel')
    try {
      await api.executions.cancel(executionId)
      toast.show({ title: 'Cancel requested', description: 'Running steps stop at their next checkpoint.' })
    } catch (err) {
      toast.error(err, 'Could not cancel the execution')
    } finally {
      setBusy(null)
    }
  }

  async function retry(fromFailedStep: boolean, version: 'original' | 'current') {
    setChoosing(null)
    setBusy(fromFailedStep ? 'failed' : 'all')
    try {
      const { executionId: next, versionNumber: ran } = await api.executions.retry(executionId, fromFailedStep, version)
      toast.success(`${fromFailedStep ? 'Re-running from the failed step' : 'Re-running with the same input'} on version ${ran}`)
      if (openNew) router.push(`/executions/${next}`)
    } catch (err) {
      toast.error(err, 'Could not re-run the execution')
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="flex items-center gap-1.5" onClick={(e) => e.stopPropagation()}>
      {active ? (
        <Button size={size} variant="secondary" loading={busy === 'cancel'} onClick={() => void cancel()} icon={<Square className="size-3.5" />}>
          Cancel
        </Button>
      ) : (
        <>
          {canRetryFromFailed && (
            <Button size={size} variant="primary" loading={busy === 'failed'} onClick={() => setChoosing('failed')} icon={<StepForward className="size-3.5" />}>
              Re-run from failed step
            </Button>
          )}
          <Button size={size} variant="secondary" loading={busy === 'all'} onClick={() => setChoosing('all')} icon={<RotateCcw className="size-3.5" />}>
            Re-run
          </Button>
          {canDelete && (
            <Button size={size} variant="ghost" onClick={() => setConfirming(true)} icon={<Trash2 className="size-3.5" />}>
              Delete
            </Button>
          )}
        </>
      )}
      <Dialog
        open={choosing !== null}
        onClose={() => setChoosing(null)}
        title={choosing === 'failed' ? 'Re-run from the failed step' : 'Re-run with the same input'}
        description="Run the version this execution ran, or the workflow's current version (with the changes saved since)."
        footer={
          <>
            <Button onClick={() => setChoosing(null)}>Cancel</Button>
            <Button data-testid="retry-original" onClick={() => void retry(choosing === 'failed', 'original')}>
              {versionNumber ? `Version it ran (v${versionNumber})` : 'Version it ran'}
            </Button>
            <Button variant="primary" data-testid="retry-current" onClick={() => void retry(choosing === 'failed', 'current')}>
              Current version
            </Button>
          </>
        }
      />
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Delete this execution?"
        description="Its steps, output and files are deleted too. This cannot be undone."
        footer={
          <>
            <Button onClick={() => setConfirming(false)}>Cancel</Button>
            <Button variant="danger" loading={busy === 'delete'} onClick={() => void remove()}>
              Delete execution
            </Button>
          </>
        }
      />
    </div>
  )
}
