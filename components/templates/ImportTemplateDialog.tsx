'use client'
// Import a template file (from a template's Export): choose the file or paste its JSON. The server judges it; a
// refused file's problem is shown under the field, and nothing is saved. When this workspace already has a template
// of that name, the person chooses: import it as a copy under a new name, or add it as a new version of that one.
// A good file opens its template's page.
import { useState, type FormEvent } from 'react'
import { useRouter } from 'next/navigation'
import { Button, Dialog, JsonFileField } from '@/components/ui'
import { ApiError, errorMessage } from '@/lib/client/api'
import { templatesApi } from './api'
import { templateHref } from './paths'

export function ImportTemplateDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const router = useRouter()
  const [text, setText] = useState('')
  const [fileName, setFileName] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  /** The server's 409: a template of the file's name exists. */
  const [conflict, setConflict] = useState<string | null>(null)

  function close() {
    setText('')
    setFileName(null)
    setError(null)
    setConflict(null)
    onClose()
  }

  async function send(onConflict?: 'rename' | 'new-version') {
    setBusy(true)
    setError(null)
    try {
      const { id } = await templatesApi.import(text, onConflict)
      router.push(templateHref(id))
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && !onConflict) setConflict(err.message)
      else setError(errorMessage(err))
      setBusy(false)
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault()
    if (!text.trim()) return setError('Choose a file or paste the exported JSON.')
    void send()
  }

  return (
    <Dialog open={open} onClose={close} title="Import template" description="A template file exported from Auterity Studio. It becomes a template of this workspace; credentials are chosen when it is used.">
      <form onSubmit={submit} className="flex flex-col gap-4" data-testid="import-template-form">
        <JsonFileField
          text={text}
          fileName={fileName}
          onChange={(next, file) => {
            setText(next)
            setFileName(file)
            setError(null)
          }}
          error={error ?? undefined}
          placeholder='{ "format": "auterity.template", … }'
        />
        {conflict ? (
          <div role="alert" className="flex flex-col gap-3 rounded-md border border-warn/60 bg-warn/10 p-3 text-sm" data-testid="import-conflict">
            <p>{conflict}</p>
            <div className="flex flex-wrap justify-end gap-2">
              <Button onClick={() => setConflict(null)}>Cancel</Button>
              <Button loading={busy} onClick={() => void send('rename')}>Import as a copy</Button>
              <Button variant="primary" loading={busy} onClick={() => void send('new-version')}>Add as a new version</Button>
            </div>
          </div>
        ) : (
          <div className="flex justify-end gap-2">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="primary" loading={busy}>
              Import
            </Button>
          </div>
        )}
      </form>
    </Dialog>
  )
}
