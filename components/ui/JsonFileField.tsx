'use client'
// A JSON document to import: chosen as a file (read in the browser) or pasted. The import dialogs (workflow,
// template) share it; the server judges the text, and its complaint is shown under the paste box.
import type { ChangeEvent } from 'react'
import { Field, Textarea } from './Input'

export interface JsonFileFieldProps {
  text: string
  /** The file the text was read from; null once the person edits the text. */
  fileName: string | null
  onChange(text: string, fileName: string | null): void
  error?: string
  /** e.g. `{ "format": "auterity.template", … }` */
  placeholder: string
}

export function JsonFileField({ text, fileName, onChange, error, placeholder }: JsonFileFieldProps) {
  async function pick(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0]
    if (file) onChange(await file.text(), file.name)
  }
  return (
    <>
      <Field label="File" hint={fileName ? `Read ${fileName}` : undefined}>
        {({ id, describedBy }) => (
          <input id={id} aria-describedby={describedBy} type="file" accept=".json,application/json" onChange={(e) => void pick(e)} className="text-sm text-muted file:mr-3 file:rounded-md file:border file:border-line file:bg-panel-2 file:px-3 file:py-1.5 file:text-sm file:text-fg" />
        )}
      </Field>
      <Field label="…or paste the JSON" error={error}>
        {({ id, describedBy, invalid }) => (
          <Textarea id={id} aria-describedby={describedBy} invalid={invalid} rows={6} value={text} placeholder={placeholder} onChange={(e) => onChange(e.target.value, null)} />
        )}
      </Field>
    </>
  )
}
