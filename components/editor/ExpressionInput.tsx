'use client'
// The expression editor (loaded lazily, see ./index.tsx): CodeMirror with `{{ … }}` highlighting, completion of
// variables, node names and fields, and inline problems, each also written out under the field.
import { useEffect, useMemo, useRef, useState } from 'react'
import { history, historyKeymap, defaultKeymap } from '@codemirror/commands'
import { setDiagnostics } from '@codemirror/lint'
import { drawSelection, keymap, placeholder } from '@codemirror/view'
import type { UpstreamSample } from '@/lib/forms/expression'
import { lintExpression } from '@/lib/forms/expression-lint'
import { expressionCompletion, expressionExtensions } from './expression-extensions'
import { studioSyntax, studioTheme } from './theme'
import { useEditor, type EditorBinding } from './use-editor'

export interface ExpressionInputProps extends Omit<EditorBinding, 'testId'> {
  upstream: UpstreamSample[]
  multiline?: boolean
  placeholder?: string
}

export default function ExpressionInput({ upstream, multiline = false, placeholder: hintText, ...binding }: ExpressionInputProps) {
  const host = useRef<HTMLDivElement>(null)
  const upstreamRef = useRef(upstream)
  upstreamRef.current = upstream
  const [hint, setHint] = useState<string | null>(null)
  const view = useEditor(host, { ...binding, testId: 'expression-input' }, () => [
    history(),
    drawSelection(),
    expressionCompletion(() => upstreamRef.current, setHint),
    ...expressionExtensions(multiline),
    keymap.of([...defaultKeymap, ...historyKeymap]),
    placeholder(hintText ?? 'Type {{ for an expression, $ for variables'),
    studioTheme,
    studioSyntax,
  ])

  const nodeNames = useMemo(() => upstream.map((u) => u.name), [upstream])
  const problems = useMemo(() => lintExpression(binding.value, { nodeNames }), [binding.value, nodeNames])
  useEffect(() => {
    if (!view) return
    const len = view.state.doc.length
    view.dispatch(setDiagnostics(view.state, problems.filter((p) => p.to <= len).map((p) => ({ ...p, from: Math.min(p.from, len) }))))
  }, [view, problems])

  return (
    <div>
      <div
        ref={host}
        data-testid="expression-editor"
        className="rounded-md border border-accent/60 bg-panel focus-within:border-accent focus-within:ring-1 focus-within:ring-accent/40"
      />
      {problems.length > 0 && (
        <ul className="mt-1 flex flex-col gap-0.5 text-[11px]" data-testid="expression-problems" role="alert">
          {problems.map((p, i) => (
            <li key={i} className={p.severity === 'error' ? 'text-danger' : 'text-warn'}>{p.message}</li>
          ))}
        </ul>
      )}
      {hint && <p className="mt-1 text-[11px] text-muted" data-testid="expression-hint">{hint}</p>}
    </div>
  )
}
