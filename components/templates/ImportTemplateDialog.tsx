'use client'
// Import a template file (from a template's Export): choose the file or paste its JSON. The server judges it; a
// refused file's problem is shown under the field it names, and nothing is saved. A good one opens its page.
import { useState, type ChangeEvent, type FormEvent } from 'react'
import { useRouter } from 'next/navigation'
import { Button, Dialog, Field, Textarea } from '@/components/ui'
import { errorMessage } from '@/lib/client/api'
import { templatesApi } from './api'
import { templateHref } from './paths'

export function ImportTemplateDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const router = useRouter()
  const [text, setText] = useState('')
  const [fileName, setFileName] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  function close() {
    setText('')
    setFileName(null)
    setError(null)
    onClose()
  }

  async function pick(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0]
    if (!file) return
    setFileName(file.name)
    setText(await file.text())
    setError(null)
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!text.trim()) return setError('Choose a file or paste the exported JSON.')
    setBusy(true)
    setError(null)
    try {
      const { id } = await templatesApi.import(text)
      router.push(templateHref(id))
    } catch (err) {
      setError(errorMessage(err))
      setBusy(false)
    }
  }

  return (
    <Dialog open={open} onClose={close} title="Import template" description="A template file exported from Auterity Studio. It becomes a template of this workspace; credentials are chosen when it is used.">
      <form onSubmit={submit} className="flex flex-col gap-4" data-testid="import-template-form">
        <Field label="File" hint={fileName ? `Read ${fileName}` : undefined}>
          {({ id, describedBy }) => (
            <input id={id} aria-describedby={describedBy} type="file" accept=".json,application/json" onChange={(e) => void pick(e)} className="text-sm text-muted file:mr-3 file:rounded-md file:border file:border-line file:bg-panel-2 file:px-3 file:py-1.5 file:text-sm file:text-fg" />
          )}
        </Field>
        <Field label="…or paste the JSON" error={error ?? undefined}>
          {({ id, describedBy, invalid }) => (
            <Textarea id={id} aria-describedby={describedBy} invalid={invalid} rows={6} value={text} placeholder='{ "format": "auterity.template", … }' onChange={(e) => { setText(e.target.value); setFileName(null) }} />
          )}
        </Field>
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" loading={busy}>
            Import
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
