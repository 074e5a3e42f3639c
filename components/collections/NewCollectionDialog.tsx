'use client'
// Creating a collection: a name, the embedding model picked from the AI registry's embedding deployments (not typed),
// and chunking in tokens with the store's defaults. The server's field errors land under their fields.
import { useEffect, useState } from 'react'
import Link from 'next/link'
import { Button, Dialog, Field, Input, Select, Textarea, useToast, type SelectOption } from '@/components/ui'
import { collectionsApi, type CollectionInfo } from '@/lib/client/collections'
import { FormProblem, useSubmit } from './form-errors'
import { deploymentOptions, loadRegistry } from './models'

const DEFAULTS = { chunkSize: 400, chunkOverlap: 60 }
const FIELDS = ['name', 'description', 'embedding', 'chunkSize', 'chunkOverlap', 'dimension'] as const

interface Form {
  name: string
  description: string
  embedding: string
  chunkSize: string
  chunkOverlap: string
  dimension: string
}

const empty = (): Form => ({ name: '', description: '', embedding: '', chunkSize: String(DEFAULTS.chunkSize), chunkOverlap: String(DEFAULTS.chunkOverlap), dimension: '' })
const num = (s: string) => (s.trim() === '' ? undefined : Number(s))

export function NewCollectionDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (c: CollectionInfo) => void }) {
  const toast = useToast()
  const [form, setForm] = useState<Form>(empty)
  const [models, setModels] = useState<SelectOption[] | null>(null)
  const { fields: errors, other, busy, run, clear, reset } = useSubmit(FIELDS)
  useEffect(() => {
    if (!open) return
    setForm(empty())
    reset()
    setModels(null)
    loadRegistry().then((r) => {
      const options = deploymentOptions(r, 'embedding')
      setModels(options)
      if (options.length === 1) setForm((f) => ({ ...f, embedding: options[0].value }))
    }, () => setModels([]))
  }, [open, reset])
  const set = (k: keyof Form, v: string) => {
    setForm((f) => ({ ...f, [k]: v }))
    clear(k)
  }

  const submit = () =>
    run(async () => {
      const created = await collectionsApi.create({
        name: form.name.trim(),
        description: form.description.trim() || undefined,
        embedding: form.embedding,
        chunkSize: num(form.chunkSize),
        chunkOverlap: num(form.chunkOverlap),
        dimension: num(form.dimension),
      })
      toast.success(`Collection “${created.name}” created`, `${created.dimension} dimensions`)
      onCreated(created)
    })

  const noModels = models !== null && models.length === 0
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New collection"
      description="Documents added to it are cut into chunks and embedded with the model you pick here; it cannot change later."
      className="w-[min(36rem,calc(100vw-2rem))]"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" loading={busy} disabled={noModels} onClick={() => void submit()}>
            Create
          </Button>
        </>
      }
    >
      <form
        className="grid grid-cols-2 gap-3"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <Field label="Name" error={errors.name} hint="What Ingest and Search steps name it" className="col-span-2">
          {({ id, invalid, describedBy }) => <Input id={id} invalid={invalid} aria-describedby={describedBy} autoFocus value={form.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Description (optional)" error={errors.description} className="col-span-2">
          {({ id, invalid }) => <Textarea id={id} invalid={invalid} rows={2} className="font-sans" value={form.description} onChange={(e) => set('description', e.target.value)} />}
        </Field>
        <Field
          label="Embedding model"
          error={errors.embedding}
          className="col-span-2"
          hint={
            noModels ? (
              <>
                No embedding deployments yet: add an embedding model and a deployment in{' '}
                <Link href="/ai/registry" className="text-accent hover:underline">
                  AI → Models
                </Link>
                .
              </>
            ) : (
              'An embedding deployment (or a route of them) from the AI registry'
            )
          }
        >
          {({ id, invalid, describedBy }) => (
            <Select id={id} invalid={invalid} aria-describedby={describedBy} disabled={!models || noModels} placeholder={models ? 'Choose…' : 'Loading…'} options={models ?? []} value={form.embedding} onChange={(e) => set('embedding', e.target.value)} />
          )}
        </Field>
        <Field label="Chunk size (tokens)" error={errors.chunkSize} hint={`Default ${DEFAULTS.chunkSize}`}>
          {({ id, invalid, describedBy }) => <Input id={id} invalid={invalid} aria-describedby={describedBy} type="number" min={32} value={form.chunkSize} onChange={(e) => set('chunkSize', e.target.value)} />}
        </Field>
        <Field label="Chunk overlap (tokens)" error={errors.chunkOverlap} hint={`Default ${DEFAULTS.chunkOverlap}: carried into the next chunk`}>
          {({ id, invalid, describedBy }) => <Input id={id} invalid={invalid} aria-describedby={describedBy} type="number" min={0} value={form.chunkOverlap} onChange={(e) => set('chunkOverlap', e.target.value)} />}
        </Field>
        <Field label="Dimension (optional)" error={errors.dimension} hint="Empty: the model's own, else the first embedding's length" className="col-span-2">
          {({ id, invalid, describedBy }) => <Input id={id} invalid={invalid} aria-describedby={describedBy} type="number" min={1} value={form.dimension} onChange={(e) => set('dimension', e.target.value)} />}
        </Field>
        <button type="submit" hidden />
        <FormProblem message={other} className="col-span-2" />
      </form>
    </Dialog>
  )
}
