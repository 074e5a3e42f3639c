'use client'
// A field in expression mode: the CodeMirror expression editor (components/editor, loaded on first use) with a live
// preview for the first item, and a word on why no fields are suggested when nothing upstream has run.
import { ExpressionInput } from '@/components/editor'
import { isExpression, previewExpression } from '../expression'
import { NO_SAMPLE_HINT } from '../expression-completion'
import { useFormEnv } from './context'

function previewText(v: unknown): string {
  if (v === undefined) return 'undefined'
  const s = typeof v === 'string' ? v : JSON.stringify(v)
  return s.length > 300 ? `${s.slice(0, 300)}…` : s
}

export function ExpressionEditor({ value, onChange, label, multiline = false, autoFocus }: {
  value: string
  onChange: (v: string) => void
  label: string
  multiline?: boolean
  autoFocus?: boolean
}) {
  const env = useFormEnv()
  const direct = env.upstream.find((u) => u.direct)
  const preview = previewExpression(value, env.previewScope)
  return (
    <div className="flex flex-col gap-1">
      <ExpressionInput label={label} value={value} onChange={onChange} onBlur={env.onCommit} readOnly={env.readOnly}
        upstream={env.upstream} multiline={multiline} autoFocus={autoFocus} />
      {isExpression(value) && (
        <div className="rounded bg-panel-2 px-2 py-1 font-mono text-[11px]" data-testid="expression-preview">
          <span className="font-sans text-muted">{direct?.source === 'declared' ? 'Preview (example item): ' : 'Preview (first item): '}</span>
          {preview.ok ? <span className="break-all">{previewText(preview.value)}</span> : <span className="font-sans text-muted">{preview.reason}</span>}
        </div>
      )}
      {direct && !direct.item && (
        <p className="text-[11px] text-muted" data-testid="expression-no-sample">
          No data from “{direct.name}” yet. {NO_SAMPLE_HINT}.
        </p>
      )}
    </div>
  )
}
