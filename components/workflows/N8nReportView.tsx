'use client'
// The n8n import's report, before saving: per n8n node what it became here, and every parameter, expression,
// connection or setting that did not come across (with the reason), then what mapped with a difference. Every line is
// text: names and values come from the file and React escapes them.
import { AlertTriangle, CheckCircle2, Info } from 'lucide-react'
import type { ImportReport, NodeImportEntry } from '@/lib/templates/n8n/import'

const shortType = (t: string) => t.replace(/^n8n-nodes-base\./, '').replace(/^@n8n\/n8n-nodes-langchain\./, 'langchain.')

function outcome(e: NodeImportEntry): string {
  switch (e.status) {
    case 'mapped':
      return `→ ${e.type}`
    case 'placeholder':
      return '→ placeholder (No-op): nothing here does what it did'
    case 'stickyNote':
      return '→ canvas note'
    case 'foldedIntoOther':
      return `→ part of ${e.foldedInto}`
  }
}

export function N8nReportView({ report }: { report: ImportReport }) {
  const attention = report.nodes.filter((e) => e.status === 'placeholder' || e.unmapped.length > 0 || e.notes.length > 0)
  const clean = report.nodes.filter((e) => !attention.includes(e) && e.status !== 'stickyNote')
  return (
    <div className="flex max-h-[55vh] flex-col gap-3 overflow-y-auto text-sm" data-testid="n8n-report">
      {report.graphProblems.length > 0 && (
        <section className="rounded-md border border-line bg-panel-2 p-3" aria-label="Before it can run">
          <h3 className="flex items-center gap-2 font-medium text-warn">
            <AlertTriangle className="size-4" /> Before it can run ({report.graphProblems.length})
          </h3>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {report.graphProblems.map((p) => <li key={`${p.path}:${p.code}`} className="break-words">{p.message}</li>)}
          </ul>
        </section>
      )}
      {report.workflow.length > 0 && (
        <section className="rounded-md border border-line bg-panel-2 p-3" aria-label="Workflow">
          <h3 className="flex items-center gap-2 font-medium text-warn">
            <AlertTriangle className="size-4" /> Workflow ({report.workflow.length})
          </h3>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {report.workflow.map((u) => <li key={u.path} className="break-words"><code className="text-xs">{u.path}</code>: {u.reason}</li>)}
          </ul>
        </section>
      )}
      {attention.map((e) => (
        <section key={e.n8nName} className="rounded-md border border-line bg-panel-2 p-3" aria-label={e.name}>
          <h3 className="flex flex-wrap items-baseline gap-x-2 font-medium">
            <span className={e.status === 'placeholder' || e.unmapped.length > 0 ? 'text-warn' : 'text-fg'}>{e.name}</span>
            <span className="text-xs font-normal text-muted">
              {shortType(e.n8nType)} v{e.n8nTypeVersion} {outcome(e)}
            </span>
          </h3>
          {e.unmapped.length > 0 && (
            <ul className="mt-2 list-disc space-y-1 pl-5" aria-label={`Not carried over from ${e.name}`}>
              {e.unmapped.map((u) => (
                <li key={u.path} className="break-words">
                  <code className="text-xs">{u.path}</code>: {u.reason}
                </li>
              ))}
            </ul>
          )}
          {e.notes.map((n) => (
            <p key={n} className="mt-2 flex items-start gap-2 text-xs text-muted">
              <Info className="mt-0.5 size-3.5 shrink-0" /> {n}
            </p>
          ))}
        </section>
      ))}
      {clean.length > 0 && (
        <p className="flex items-start gap-2 text-muted">
          <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-ok" />
          <span>Carried over as they were: {clean.map((e) => e.name).join(', ')}.</span>
        </p>
      )}
    </div>
  )
}
