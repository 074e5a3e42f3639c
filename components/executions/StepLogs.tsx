'use client'
// What a step logged (ctx.log: a Code node's console, HTTP error answers, retry and fallback notes), attempt by
// attempt: retries are separate attempts, and the lines that explain them sit on the attempts that failed.
import { Badge, type BadgeTone } from '@/components/ui'
import type { StepRecord } from '@/lib/client/types'
import type { StepLogLevel } from '@/lib/engine/types'

const levelTone: Record<StepLogLevel, BadgeTone> = { debug: 'muted', info: 'info', warn: 'warning', error: 'danger' }

function clock(at: number): string {
  const d = new Date(at)
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

/** `attempts`: the step's records for one node, any order; each attempt's lines are listed under it. */
export function StepLogs({ attempts }: { attempts: StepRecord[] }) {
  const withLines = [...attempts].sort((a, b) => a.attempt - b.attempt).filter((s) => s.logs && s.logs.length > 0)
  if (withLines.length === 0) {
    return (
      <p className="py-2 text-sm text-muted" data-testid="step-logs-empty">
        This step logged nothing.
      </p>
    )
  }
  const several = attempts.length > 1
  return (
    <div className="flex flex-col gap-3" data-testid="step-logs">
      {withLines.map((s) => (
        <section key={s.id} aria-label={`Log of attempt ${s.attempt}`}>
          {several && <h4 className="mb-1 text-xs font-semibold text-muted">Attempt {s.attempt}{s.iteration !== null ? ` · iteration ${s.iteration}` : ''} · {s.status}</h4>}
          <ol className="max-h-96 overflow-auto rounded-md border border-line bg-panel-2 font-mono text-xs">
            {s.logs!.map((line, i) => (
              <li key={i} data-testid="step-log-line" data-level={line.level} className="flex items-start gap-2 border-b border-line/50 px-2 py-1 last:border-b-0">
                <time className="shrink-0 text-muted" dateTime={new Date(line.at).toISOString()}>{clock(line.at)}</time>
                <Badge tone={levelTone[line.level]} className="shrink-0 px-1.5 py-0 uppercase">{line.level}</Badge>
                <span className="min-w-0 whitespace-pre-wrap break-words">
                  {line.message}
                  {line.data && Object.keys(line.data).length > 0 && <span className="ml-2 text-muted">{JSON.stringify(line.data)}</span>}
                </span>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  )
}
