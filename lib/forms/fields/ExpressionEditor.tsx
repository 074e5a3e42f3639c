'use client'
// Expression input: `{{ }}` templates with autocomplete of earlier nodes' fields and a live preview for the first item.
import { useMemo, useRef, useState } from 'react'
import { filterSuggestions, previewExpression, tokenAt, type Suggestion } from '../expression'
import { useFormEnv } from './context'

function previewText(v: unknown): string {
  if (v === undefined) return 'undefined'
  const s = typeof v === 'string' ? v : JSON.stringify(v)
  return s.length > 300 ? `${s.slice(0, 300)}…` : s
}

export function ExpressionEditor({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  const env = useFormEnv()
  const ref = useRef<HTMLTextAreaElement>(null)
  const [cursor, setCursor] = useState<number | null>(null)
  const [active, setActive] = useState(0)
  const token = cursor === null ? null : tokenAt(value, cursor)
  const matches: Suggestion[] = useMemo(() => (token ? filterSuggestions(env.suggestions, token.token) : []), [env.suggestions, token?.token]) // eslint-disable-line react-hooks/exhaustive-deps
  const preview = previewExpression(value, env.previewScope)

  const apply = (s: Suggestion) => {
    if (!token || cursor === null) return
    const next = value.slice(0, token.start) + s.insert + value.slice(cursor)
    onChange(next)
    const at = token.start + s.insert.length
    setCursor(null)
    requestAnimationFrame(() => {
      ref.current?.focus()
      ref.current?.setSelectionRange(at, at)
      setCursor(at)
    })
  }

  return (
    <div className="relative">
      <textarea
        ref={ref}
        aria-label={label}
        data-testid="expression-input"
        readOnly={env.readOnly}
        rows={Math.min(6, Math.max(1, value.split('\n').length))}
        spellCheck={false}
        className="w-full resize-y rounded-md border border-accent/60 bg-accent-soft/40 px-2 py-1.5 font-mono text-xs outline-none"
        value={value}
        onChange={(e) => {
          onChange(e.target.value)
          setCursor(e.target.selectionStart)
          setActive(0)
        }}
        onSelect={(e) => setCursor(e.currentTarget.selectionStart)}
        onBlur={() => {
          setTimeout(() => setCursor(null), 150)
          env.onCommit()
        }}
        onKeyDown={(e) => {
          if (!matches.length) return
          if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => (a + 1) % matches.length) }
          else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => (a - 1 + matches.length) % matches.length) }
          else if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); apply(matches[active]) }
          else if (e.key === 'Escape') setCursor(null)
        }}
      />
      {matches.length > 0 && (
        <ul role="listbox" data-testid="expression-suggestions" className="absolute z-20 mt-1 max-h-56 w-full overflow-y-auto rounded-md border border-line bg-panel py-1 shadow-lg">
          {matches.map((s, i) => (
            <li key={s.label} role="option" aria-selected={i === active}>
              <button
                type="button"
                onMouseDown={(e) => {
                  e.preventDefault()
                  apply(s)
                }}
                className={`flex w-full items-baseline justify-between gap-2 px-2 py-1 text-left font-mono text-xs ${i === active ? 'bg-accent-soft' : ''}`}
              >
                <span className="truncate">{s.label}</span>
                <span className="shrink-0 truncate font-sans text-[10px] text-muted">{s.detail}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="mt-1 rounded bg-panel-2 px-2 py-1 font-mono text-[11px]" data-testid="expression-preview">
        <span className="font-sans text-muted">Preview (first item): </span>
        {preview.ok ? <span className="break-all">{previewText(preview.value)}</span> : <span className="font-sans text-muted">{preview.reason}</span>}
      </div>
    </div>
  )
}
