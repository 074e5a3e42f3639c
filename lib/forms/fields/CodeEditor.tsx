'use client'
// A light code editor: monospace textarea with line numbers, Tab/Shift+Tab indentation and auto-indent on Enter.
import { useRef, type KeyboardEvent } from 'react'

const INDENT = '  '

export function CodeEditor({ value, onChange, onBlur, readOnly, rows = 14, label }: {
  value: string
  onChange: (v: string) => void
  onBlur?: () => void
  readOnly?: boolean
  rows?: number
  label: string
}) {
  const ref = useRef<HTMLTextAreaElement>(null)
  const gutter = useRef<HTMLDivElement>(null)
  const lines = value.split('\n').length

  const replace = (start: number, end: number, text: string, selStart: number, selEnd = selStart) => {
    const next = value.slice(0, start) + text + value.slice(end)
    onChange(next)
    requestAnimationFrame(() => ref.current?.setSelectionRange(selStart, selEnd))
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    const el = e.currentTarget
    const { selectionStart: s, selectionEnd: t } = el
    if (e.key === 'Tab') {
      e.preventDefault()
      const lineStart = value.lastIndexOf('\n', s - 1) + 1
      if (s === t && !e.shiftKey) return replace(s, t, INDENT, s + INDENT.length)
      const block = value.slice(lineStart, t)
      const out = e.shiftKey ? block.replace(/^ {1,2}/gm, '') : block.replace(/^/gm, INDENT)
      return replace(lineStart, t, out, lineStart, lineStart + out.length)
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault()
      const lineStart = value.lastIndexOf('\n', s - 1) + 1
      const indent = /^[ \t]*/.exec(value.slice(lineStart, s))![0]
      const extra = /[{[(]\s*$/.test(value.slice(lineStart, s)) ? INDENT : ''
      return replace(s, t, `\n${indent}${extra}`, s + 1 + indent.length + extra.length)
    }
    if (e.key === 'Escape') el.blur()
  }

  return (
    <div className="flex max-h-[28rem] overflow-hidden rounded-md border border-line bg-canvas font-mono text-xs leading-5">
      <div ref={gutter} aria-hidden className="shrink-0 overflow-hidden border-r border-line bg-panel-2 px-2 py-2 text-right text-muted select-none">
        {Array.from({ length: lines }, (_, i) => (
          <div key={i}>{i + 1}</div>
        ))}
      </div>
      <textarea
        ref={ref}
        aria-label={label}
        data-testid="code-editor"
        spellCheck={false}
        readOnly={readOnly}
        rows={Math.max(rows, Math.min(lines, 30))}
        className="min-w-0 flex-1 resize-none overflow-auto bg-transparent px-2 py-2 whitespace-pre outline-none"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop
        }}
      />
    </div>
  )
}
