'use client'
// A code field: the lazily loaded CodeMirror editor (components/editor) with the form's scope for completion.
import { CodeInput } from '@/components/editor'
import { useFormEnv } from './context'

export function CodeEditor({ value, onChange, onBlur, readOnly, rows = 14, label, language = 'javascript' }: {
  value: string
  onChange: (v: string) => void
  onBlur?: () => void
  readOnly?: boolean
  rows?: number
  label: string
  language?: 'javascript' | 'json'
}) {
  const env = useFormEnv()
  const direct = language === 'javascript' ? env.upstream.find((u) => u.direct) : undefined
  return (
    <CodeInput
      label={label}
      value={value}
      onChange={onChange}
      onBlur={onBlur}
      readOnly={readOnly}
      rows={rows}
      language={language}
      mode={language === 'javascript' ? env.codeMode : undefined}
      item={direct?.item ?? null}
    />
  )
}
