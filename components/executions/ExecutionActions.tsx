'use client'
import { useState } from 'react'
import { useRouter } from 'next/navigation'
import { RotateCcw, Square, StepForward } from 'lucide-react'
import { Button, useToast } from '@/components/ui'
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
}

/** Cancel a running/queued execution; re-run a finished one with the same version and input. */
export function ExecutionActions({ executionId, status, canRetryFromFailed, size = 'sm', openNew }: ExecutionActionsProps) {
  const toast = useToast()
  const router = useRouter()
  const [busy, setBusy] = useState<'cancel' | 'all' | 'failed' | null>(null)
  const active = status === 'running' || status === 'queued'

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
        </>
      )}
    </div>
  )
}
