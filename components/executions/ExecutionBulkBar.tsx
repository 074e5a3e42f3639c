'use client'
import { useState } from 'react'
import { RotateCcw, Trash2, X } from 'lucide-react'
import { Button, Dialog, useToast } from '@/components/ui'
import { api, type BulkAnswer } from '@/lib/client/api'
import type { ExecutionOutcome } from '@/lib/services/execution-bulk'
import type { ExecutionSummary } from '@/lib/client/types'

const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`

/**
 * Actions on the checked executions: delete (asks first; running ones cannot be deleted and are left out, saying so)
 * and re-run the failed ones with their input, on the version each ran or the workflow's current one.
 */
export function ExecutionBulkBar({ selected, onDone, onClear }: { selected: ExecutionSummary[]; onDone: () => void; onClear: () => void }) {
  const toast = useToast()
  const [confirming, setConfirming] = useState<'delete' | 'retry' | null>(null)
  const [busy, setBusy] = useState(false)
  if (selected.length === 0) return null
  const active = selected.filter((e) => e.status === 'running' || e.status === 'queued')
  const deletable = selected.length - active.length
  const failed = selected.filter((e) => e.status === 'failed')

  /** Runs a bulk call, then sums up in one toast what was done and what was not. */
  async function perform(call: () => Promise<BulkAnswer<ExecutionOutcome>>, title: (done: number) => string, notes: (res: BulkAnswer<ExecutionOutcome>) => Array<string | false>, failure: string) {
    setBusy(true)
    try {
      const res = await call()
      toast.show({ tone: res.failed ? 'info' : 'success', title: title(res.succeeded), description: notes(res).filter(Boolean).join(' ') || undefined })
      onClear()
      onDone()
    } catch (err) {
      toast.error(err, failure)
    } finally {
      setBusy(false)
      setConfirming(null)
    }
  }

  const remove = () =>
    perform(
      () => api.executions.removeMany(selected.map((e) => e.id)),
      (n) => `Deleted ${runs(n)}`,
      (res) => {
        const still = res.results.filter((r) => !r.ok && r.error.code === 'CONFLICT').length
        const other = res.failed - still
        return [still > 0 && `${runs(still)} still running: cancel ${still === 1 ? 'it' : 'them'} first.`, other > 0 && `${runs(other)} could not be deleted.`]
      },
      'Could not delete the runs',
    )

  const retry = (version: 'original' | 'current') =>
    perform(
      () => api.executions.retryMany(failed.map((e) => e.id), version),
      (n) => `Re-running ${runs(n)}`,
      (res) => {
        const skipped = selected.length - failed.length
        const refused = res.results.find((r): r is Extract<ExecutionOutcome, { ok: false }> => !r.ok)
        return [skipped > 0 && `${runs(skipped)} not failed, left alone.`, refused !== undefined && `${runs(res.failed)} could not be re-run: ${refused.error.message}`]
      },
      'Could not re-run the runs',
    )

  return (
    <div role="toolbar" aria-label="Bulk actions" data-testid="bulk-bar" className="flex flex-wrap items-center gap-2 rounded-lg border border-accent/40 bg-accent-soft px-3 py-2">
      <span className="mr-1 text-sm font-medium" data-testid="selected-count">
        {selected.length} selected
      </span>
      <Button
        size="sm"
        icon={<RotateCcw className="size-3.5" />}
        disabled={failed.length === 0}
        title={failed.length === 0 ? 'Only failed runs are re-run' : undefined}
        onClick={() => setConfirming('retry')}
      >
        Re-run failed{failed.length ? ` (${failed.length})` : ''}
      </Button>
      <Button
        size="sm"
        variant="danger"
        icon={<Trash2 className="size-3.5" />}
        disabled={deletable === 0}
        title={deletable === 0 ? 'Running runs cannot be deleted: cancel them first' : undefined}
        onClick={() => setConfirming('delete')}
      >
        Delete
      </Button>
      {active.length > 0 && (
        <span className="text-xs text-muted" data-testid="running-note">
          {runs(active.length)} still running cannot be deleted — cancel {active.length === 1 ? 'it' : 'them'} first.
        </span>
      )}
      <Button size="sm" variant="ghost" className="ml-auto" icon={<X className="size-3.5" />} onClick={onClear}>
        Clear selection
      </Button>
      <Dialog
        open={confirming === 'delete'}
        onClose={() => setConfirming(null)}
        title={`Delete ${runs(deletable)}?`}
        description={`Their steps, output and files are deleted too. This cannot be undone.${active.length ? ` ${runs(active.length)} still running ${active.length === 1 ? 'is' : 'are'} left as ${active.length === 1 ? 'it is' : 'they are'}.` : ''}`}
        footer={
          <>
            <Button onClick={() => setConfirming(null)}>Cancel</Button>
            <Button variant="danger" loading={busy} onClick={() => void remove()}>
              Delete {runs(deletable)}
            </Button>
          </>
        }
      />
      <Dialog
        open={confirming === 'retry'}
        onClose={() => setConfirming(null)}
        title={`Re-run ${runs(failed.length)}`}
        description="Each failed run starts again with its input: on the version it ran, or on its workflow's current version (with the changes saved since)."
        footer={
          <>
            <Button onClick={() => setConfirming(null)}>Cancel</Button>
            <Button loading={busy} data-testid="bulk-retry-original" onClick={() => void retry('original')}>
              Version each ran
            </Button>
            <Button variant="primary" loading={busy} data-testid="bulk-retry-current" onClick={() => void retry('current')}>
              Current version
            </Button>
          </>
        }
      />
    </div>
  )
}
