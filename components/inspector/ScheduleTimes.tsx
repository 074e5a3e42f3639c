'use client'
// A schedule-trigger node's next five fire times, asked of the server (cron-parser, the parser BullMQ uses) as
// the params are edited, read in the schedule's time zone; a schedule activation would refuse shows why.
import { useEffect, useState } from 'react'
import { AlertTriangle } from 'lucide-react'
import { api, errorMessage } from '@/lib/client/api'

export interface Preview {
  next: string[]
  timezone?: string
  error?: { field: string; message: string }
}

export function formatIn(iso: string, timeZone?: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).format(new Date(iso))
}

export function ScheduleTimes({ params }: { params: Record<string, unknown> }) {
  const [preview, setPreview] = useState<Preview | null>(null)
  const [failed, setFailed] = useState<string | null>(null)
  const key = JSON.stringify(params)
  useEffect(() => {
    const ctrl = new AbortController()
    const timer = setTimeout(() => {
      api
        .request<Preview>('/api/schedules/preview', { method: 'POST', body: { params: JSON.parse(key) }, signal: ctrl.signal })
        .then((p) => {
          setPreview(p)
          setFailed(null)
        })
        .catch((err) => {
          if ((err as Error)?.name !== 'AbortError') setFailed(errorMessage(err))
        })
    }, 250)
    return () => {
      clearTimeout(timer)
      ctrl.abort()
    }
  }, [key])
  return <ScheduleTimesView preview={preview} failed={failed} />
}

/** What the panel shows for a preview (or a failed request). */
export function ScheduleTimesView({ preview, failed }: { preview: Preview | null; failed?: string | null }) {
  const error = failed ?? preview?.error?.message
  return (
    <div className="mb-3 rounded-md border border-line bg-canvas p-2 text-xs" data-testid="schedule-times">
      <div className="mb-1 text-muted">Next runs once active{preview?.timezone ? ` · ${preview.timezone}` : ''}</div>
      {error ? (
        <div className="flex gap-1.5 text-fg" data-testid="schedule-error">
          <AlertTriangle className="mt-0.5 size-3 shrink-0 text-warn" />
          {error}
        </div>
      ) : (
        <ol className="space-y-0.5 font-mono">
          {(preview?.next ?? []).map((iso) => (
            <li key={iso} title={iso}>{formatIn(iso, preview?.timezone)}</li>
          ))}
        </ol>
      )}
    </div>
  )
}
