'use client'
// JSON value editor: keeps the text while it does not parse and says why; commits parsed values only.
import { useEffect, useState } from 'react'
import { CodeEditor } from './CodeEditor'
import { useFormEnv } from './context'

const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 2))

export function JsonEditor({ value, onChange, label }: { value: unknown; onChange: (v: unknown) => void; label: string }) {
  const env = useFormEnv()
  const [text, setText] = useState(() => show(value))
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    // Follow outside changes (undo, another field) unless the text already means the same value.
    setText((t) => {
      try {
        return JSON.stringify(JSON.parse(t)) === JSON.stringify(value) ? t : show(value)
      } catch {
        return error ? t : show(value)
      }
    })
  }, [value]) // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div>
      <CodeEditor
        label={label}
        language="json"
        rows={4}
        readOnly={env.readOnly}
        value={text}
        onBlur={env.onCommit}
        onChange={(t) => {
          setText(t)
          if (t.trim() === '') {
            setError(null)
            return onChange(undefined)
          }
          try {
            const v = JSON.parse(t)
            setError(null)
            onChange(v)
          } catch (e) {
            setError((e as Error).message)
          }
        }}
      />
      {error && <p className="mt-1 text-xs text-danger">Not valid JSON yet: {error}</p>}
    </div>
  )
}
