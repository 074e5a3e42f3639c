'use client'
// A Page Changed trigger's checks as the workers record them: the last check, checks and changes so far, and the
// last check's error (site down, address refused, selector not found). Read when the inspector opens.
import { useEffect, useState } from 'react'
import { api } from '@/lib/client/api'
import { formatRelative } from '@/lib/client/format'
import type { PageMonitorStatus } from '@/lib/services/page-monitor-status'
import { useAppSelector } from '@/lib/store'

export function MonitorStatus({ nodeId }: { nodeId: string }) {
  const workflowId = useAppSelector((s) => s.ui.workflowId)
  const active = useAppSelector((s) => s.ui.active)
  const [status, setStatus] = useState<PageMonitorStatus | null | undefined>(undefined)
  useEffect(() => {
    if (!workflowId) return
    const ctl = new AbortController()
    api.workflows.triggers(workflowId, ctl.signal).then(
      (r) => setStatus(r.monitors.find((m) => m.nodeId === nodeId) ?? null),
      () => !ctl.signal.aborted && setStatus(null),
    )
    return () => ctl.abort()
  }, [workflowId, nodeId])
  if (status === undefined) return null
  return (
    <div className="mb-3 rounded border border-line bg-panel-2 p-2 text-xs" data-testid="monitor-status">
      <div className="mb-0.5 font-medium">Page checks</div>
      {!status || !status.lastCheckedAt ? (
        <p className="text-muted">{active ? 'Not checked yet: the first check records the baseline.' : 'Checked by the workers once the workflow is active; the first check records the baseline.'}</p>
      ) : (
        <p className="text-muted">
          Last checked {formatRelative(status.lastCheckedAt)} · {status.checks} {status.checks === 1 ? 'check' : 'checks'} · {status.changes}{' '}
          {status.changes === 1 ? 'change' : 'changes'} started a run
        </p>
      )}
      {status?.lastError && (
        <p className="mt-1 text-danger" data-testid="monitor-error">
          Last check failed{status.lastErrorAt ? ` ${formatRelative(status.lastErrorAt)}` : ''}: {status.lastError}
        </p>
      )}
    </div>
  )
}
