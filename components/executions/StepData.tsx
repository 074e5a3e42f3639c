'use client'
import { useEffect, useState } from 'react'
import { FileList, ItemsTable, JsonView, Pager, Spinner, Tabs } from '@/components/ui'
import { ErrorCodeBadge } from '@/components/ui/ErrorCodeBadge'
import { api, errorMessage } from '@/lib/client/api'
import type { ItemsPage, StepRecord } from '@/lib/client/types'
import { StepLogs } from './StepLogs'

type View = 'table' | 'json'

/**
 * A step's input and output items, as a table or JSON. Output is fetched page by page from
 * /api/executions/:id/steps/:nodeId/items so a 100k-item output never reaches the browser at once.
 * The files the shown items hold are listed above them, to download or preview.
 */
export function StepData({ executionId, step, attempts = [step] }: { executionId: string; step: StepRecord; attempts?: StepRecord[] }) {
  const ports = Object.keys(step.outputCounts ?? {}).length ? Object.keys(step.outputCounts) : ['main']
  const [side, setSide] = useState<'output' | 'input' | 'logs'>('output')
  const logLines = attempts.reduce((n, s) => n + (s.logs?.length ?? 0), 0)
  const [view, setView] = useState<View>('table')
  const [port, setPort] = useState(ports[0])
  const [page, setPage] = useState(0)
  const [data, setData] = useState<ItemsPage | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    setPage(0)
    setPort(ports[0])
  }, [step.id]) // eslint-disable-line react-hooks/exhaustive-deps -- reset only when another step is shown

  useEffect(() => {
    if (side !== 'output') return
    let stale = false
    setError(null)
    api.executions.items(executionId, step.nodeId, port, page).then(
      (res) => !stale && setData(res),
      (err) => !stale && setError(errorMessage(err)),
    )
    return () => {
      stale = true
    }
  }, [executionId, step.nodeId, step.id, port, page, side])

  const input = Array.isArray(step.input) ? (step.input as Array<Record<string, unknown>>) : []
  return (
    <div className="flex min-h-0 flex-col gap-3" data-testid="step-data">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Tabs
          label="Data"
          value={side}
          onChange={setSide}
          tabs={[
            { id: 'output', label: `Output (${Object.values(step.outputCounts ?? {}).reduce((a, b) => a + b, 0)})` },
            { id: 'input', label: `Input (${step.inputCount})` },
            { id: 'logs', label: `Logs (${logLines})` },
          ]}
        />
        {side !== 'logs' && <Tabs label="View" value={view} onChange={setView} tabs={[{ id: 'table', label: 'Table' }, { id: 'json', label: 'JSON' }]} />}
      </div>
      {side === 'output' && ports.length > 1 && (
        <Tabs label="Output port" value={port} onChange={(p) => { setPort(p); setPage(0) }} tabs={ports.map((p) => ({ id: p, label: `${p} (${step.outputCounts[p]})` }))} />
      )}
      {step.error && (
        <div role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-sm text-danger">
          <p className="font-medium">{step.error.message}<ErrorCodeBadge code={step.error.code} /></p>
          {step.error.field && <p className="text-xs">Field: {step.error.field}</p>}
        </div>
      )}
      {side !== 'logs' && <FileList items={side === 'input' ? step.input : data?.items} />}
      {side === 'logs' ? (
        <StepLogs attempts={attempts} />
      ) : side === 'input' ? (
        view === 'table' ? <ItemsTable items={input} /> : <JsonView value={step.input} />
      ) : error ? (
        <p className="text-sm text-danger">{error}</p>
      ) : !data ? (
        <p className="flex items-center gap-2 text-sm text-muted"><Spinner /> Loading output…</p>
      ) : view === 'table' ? (
        <ItemsTable items={data.items} total={data.total} page={data.page} pageSize={data.pageSize} onPageChange={setPage} />
      ) : (
        <>
          <JsonView value={data.items} />
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </div>
  )
}
