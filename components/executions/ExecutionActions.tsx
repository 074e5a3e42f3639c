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
}

/** Cancel a running/queued execution; re-run or delete a finished one. */
export function ExecutionActions({ executionId, status, canRetryFromFailed, size = 'sm', openNew, canDelete }: ExecutionActionsProps) {
  const toast = useToast()
  const router = useRouter()
  const [busy, setBusy] = useState<'cancel' | 'all' | 'failed' | 'delete' | null>(null)
  const [confirming, setConfirming] = useState(false)
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

  async function retry(fromFailedStep: boolean) {
    setBusy(fromFailedStep ? 'failed' : 'all')
    try {
      const { executionId: next } = await api.executions.retry(executionId, fromFailedStep)
      toast.success(fromFailedStep ? 'Re-running from the failed step' : 'Re-running with the same input')
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
            <Button size={size} variant="primary" loading={busy === 'failed'} onClick={() => void retry(true)} icon={<StepForward className="size-3.5" />}>
              Re-run from failed step
            </Button>
          )}
          <Button size={size} variant="secondary" loading={busy === 'all'} onClick={() => void retry(false)} icon={<RotateCcw className="size-3.5" />}>
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
