'use client'
// "Add documents": paste one text (plain, Markdown or HTML) under a key, or upload files (PDF, Markdown, HTML, text)
// keyed by their names. A key already in the collection is replaced; the same content again costs nothing.
import { useEffect, useState } from 'react'
import { Button, Dialog, Field, Input, Select, Tabs, Textarea, useToast } from '@/components/ui'
import { collectionsApi, type IngestResult, type TextDocument } from '@/lib/client/collections'
import { FormProblem, useSubmit } from './form-errors'
import { parseJsonObject } from './json-object'

type Mode = 'paste' | 'upload'
const TYPES = [
  { value: 'text/plain', label: 'Plain text' },
  { value: 'text/markdown', label: 'Markdown' },
  { value: 'text/html', label: 'HTML' },
]
/** Fields of the form a server problem can be shown under (`files.1` is the second file). */
const FIELDS = ['key', 'title', 'mimeType', 'text', 'files', 'keyPrefix', 'metadata'] as const
const ACCEPT = '.pdf,.md,.markdown,.html,.htm,.txt,application/pdf,text/markdown,text/html,text/plain'

/** "2 documents: 1 added, 1 unchanged · 14 chunks" */
function summary(results: IngestResult[]): string {
  const by = (s: IngestResult['status']) => results.filter((r) => r.status === s).length
  const parts = (['added', 'replaced', 'unchanged'] as const).filter((s) => by(s) > 0).map((s) => `${by(s)} ${s}`)
  const chunks = results.reduce((n, r) => n + r.chunks, 0)
  return `${results.length} document${results.length === 1 ? '' : 's'}: ${parts.join(', ')} · ${chunks} chunks`
}

export function AddDocumentsDialog({ collection, open, onClose, onAdded }: { collection: string; open: boolean; onClose: () => void; onAdded: () => void }) {
  const toast = useToast()
  const [mode, setMode] = useState<Mode>('paste')
  const [doc, setDoc] = useState({ key: '', title: '', mimeType: 'text/plain', text: '' })
  const [files, setFiles] = useState<File[]>([])
  const [keyPrefix, setKeyPrefix] = useState('')
  const [metadata, setMetadata] = useState('')
  const { fields: errors, other, busy, run, clear, reset, refuse } = useSubmit(FIELDS, /^documents(\.0\.|\[0\]\.)/)
  useEffect(() => {
    if (!open) return
    reset()
    setDoc({ key: '', title: '', mimeType: 'text/plain', text: '' })
    setFiles([])
    setKeyPrefix('')
    setMetadata('')
  }, [open, reset])

  const setText = (k: keyof typeof doc, v: string) => {
    setDoc((d) => ({ ...d, [k]: v }))
    clear(k)
  }

  const send = (meta: Record<string, unknown> | undefined) => {
    if (mode === 'upload') return collectionsApi.upload(collection, files, { keyPrefix: keyPrefix.trim() || undefined, metadata: meta })
    const one: TextDocument = { key: doc.key.trim(), text: doc.text, mimeType: doc.mimeType as TextDocument['mimeType'], title: doc.title.trim() || undefined, metadata: meta }
    return collectionsApi.addText(collection, [one])
  }
  const submit = () => {
    const meta = parseJsonObject(metadata, 'Metadata')
    if (!meta.ok) return refuse('metadata', meta.error)
    if (mode === 'upload' && files.length === 0) return refuse('files', 'choose at least one file')
    void run(async () => {
      const { results } = await send(meta.value)
      toast.success('Documents added', summary(results))
      onClose()
      onAdded()
    })
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Add documents"
      description="Each document is cut into chunks and embedded with the collection's model. Adding a key again replaces that document."
      className="w-[min(44rem,calc(100vw-2rem))]"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" loading={busy} onClick={submit}>
            {mode === 'paste' ? 'Add document' : files.length ? `Upload ${files.length} file${files.length === 1 ? '' : 's'}` : 'Upload'}
          </Button>
        </>
      }
    >
      <Tabs<Mode> label="How to add" value={mode} onChange={setMode} tabs={[{ id: 'paste', label: 'Paste text' }, { id: 'upload', label: 'Upload files' }]} />
      {mode === 'paste' ? (
        <div className="grid grid-cols-2 gap-3">
          <Field label="Key" error={errors.key} hint="The document's id: adding it again replaces it">
            {({ id, invalid, describedBy }) => <Input id={id} invalid={invalid} aria-describedby={describedBy} placeholder="guides/refunds.md" value={doc.key} onChange={(e) => setText('key', e.target.value)} />}
          </Field>
          <Field label="Title (optional)" error={errors.title}>
            {({ id, invalid }) => <Input id={id} invalid={invalid} value={doc.title} onChange={(e) => setText('title', e.target.value)} />}
          </Field>
          <Field label="Type" error={errors.mimeType}>
            {({ id, invalid }) => <Select id={id} invalid={invalid} options={TYPES} value={doc.mimeType} onChange={(e) => setText('mimeType', e.target.value)} />}
          </Field>
          <Field label="Text" error={errors.text} className="col-span-2">
            {({ id, invalid }) => <Textarea id={id} invalid={invalid} rows={9} className="font-sans" value={doc.text} onChange={(e) => setText('text', e.target.value)} />}
          </Field>
        </div>
      ) : (
        <div className="grid grid-cols-2 gap-3">
          <Field label="Files" error={errors.files} hint="PDF, Markdown, HTML or text; each file's name is its key" className="col-span-2">
            {({ id, invalid, describedBy }) => (
              <input
                id={id}
                type="file"
                multiple
                accept={ACCEPT}
                aria-invalid={invalid || undefined}
                aria-describedby={describedBy}
                className="text-sm file:mr-3 file:rounded-md file:border file:border-line file:bg-panel-2 file:px-3 file:py-1.5 file:text-sm file:text-fg"
                onChange={(e) => (setFiles(Array.from(e.target.files ?? [])), clear('files'))}
              />
            )}
          </Field>
          <Field label="Key prefix (optional)" error={errors.keyPrefix} hint="Put before each file name, e.g. handbook/" className="col-span-2">
            {({ id, invalid, describedBy }) => <Input id={id} invalid={invalid} aria-describedby={describedBy} value={keyPrefix} onChange={(e) => (setKeyPrefix(e.target.value), clear('keyPrefix'))} />}
          </Field>
        </div>
      )}
      <Field label="Metadata (optional JSON object)" error={errors.metadata} hint='Filterable by searches, e.g. {"lang": "en", "year": 2024}'>
        {({ id, invalid, describedBy }) => <Textarea id={id} invalid={invalid} aria-describedby={describedBy} rows={2} className="text-xs" value={metadata} onChange={(e) => (setMetadata(e.target.value), clear('metadata'))} />}
      </Field>
      <FormProblem message={other} />
    </Dialog>
  )
}
