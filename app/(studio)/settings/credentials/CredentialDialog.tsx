'use client'
import { useEffect, useState, type FormEvent } from 'react'
import { Button, Dialog, Field, Input, Select, Textarea, useToast } from '@/components/ui'
import { ApiError, errorMessage } from '@/lib/client/api'
import type { CredentialSummary } from '@/lib/client/types'
import { KIND_OPTIONS, kindFields, kindLabel, type KindName } from './kind-fields'
import { parseHosts, vaultApi } from './vault-api'

/**
 * Create a credential, or edit one: rename it and/or replace its values. Saved values never come back
 * from the server, so editing shows empty fields and only sends values when the person types new ones.
 * `kinds` limits the types offered (a template's credential slot); `onSaved` gets the id of a new credential.
 */
export function CredentialDialog({ editing, open, onClose, onSaved, kinds }: {
  editing: CredentialSummary | null
  open: boolean
  onClose: () => void
  onSaved: (created?: { id: string }) => void
  kinds?: readonly string[]
}) {
  const toast = useToast()
  const [name, setName] = useState('')
  const [kind, setKind] = useState<KindName>('apiKey')
  const [values, setValues] = useState<Record<string, string>>({})
  const [replace, setReplace] = useState(false)
  const [hosts, setHosts] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const kindOptions = kinds ? KIND_OPTIONS.filter((o) => kinds.includes(o.value)) : KIND_OPTIONS
  const firstKind = kindOptions[0]?.value ?? 'apiKey'

  useEffect(() => {
    if (!open) return
    const k = (editing?.kind ?? firstKind) as KindName
    setName(editing?.name ?? '')
    setKind(k)
    setReplace(!editing)
    setHosts((editing as (CredentialSummary & { allowedHosts?: string[] }) | null)?.allowedHosts?.join('\n') ?? '')
    setErrors({})
    setFormError(null)
    setValues(defaults(k))
  }, [open, editing, firstKind])

  const fields = kindFields(kind)
  const sendData = !editing || replace

  async function save(e: FormEvent) {
    e.preventDefault()
    const missing: Record<string, string> = {}
    if (!name.trim()) missing.name = 'Give the credential a name'
    if (sendData) for (const f of fields) if (f.required && !values[f.key]?.trim()) missing[`data.${f.key}`] = `${f.label} is required`
    setErrors(missing)
    if (Object.keys(missing).length) return
    const data = Object.fromEntries(fields.filter((f) => values[f.key]?.trim()).map((f) => [f.key, values[f.key]]))
    setBusy(true)
    setFormError(null)
    try {
      let created: { id: string } | undefined
      const allowedHosts = parseHosts(hosts)
      if (editing) await vaultApi.update(editing.id, { name: name.trim(), allowedHosts, ...(sendData ? { data } : {}) })
      else created = await vaultApi.create({ name: name.trim(), kind, data, allowedHosts })
      toast.success(editing ? `Saved “${name.trim()}”` : `Created “${name.trim()}”`, 'Its values are encrypted and will not be shown again.')
      onSaved(created)
    } catch (err) {
      if (err instanceof ApiError && err.fields) setErrors(err.fields)
      setFormError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={editing ? `Edit “${editing.name}”` : 'New credential'}
      description={editing ? `${kindLabel(editing.kind)} · saved values stay hidden; fill the fields only to replace them.` : 'Values are encrypted at rest and never shown again after saving.'}
    >
      <form onSubmit={save} className="flex flex-col gap-4" noValidate>
        <Field label="Name" error={errors.name}>
          {({ id, describedBy, invalid }) => <Input id={id} aria-describedby={describedBy} invalid={invalid} autoFocus value={name} placeholder="e.g. Stripe production" onChange={(e) => setName(e.target.value)} />}
        </Field>
        {!editing && (
          <Field label="Type" error={errors.kind}>
            {({ id }) => (
              <Select
                id={id}
                options={kindOptions}
                value={kind}
                onChange={(e) => {
                  const k = e.target.value as KindName
                  setKind(k)
                  setValues(defaults(k))
                }}
              />
            )}
          </Field>
        )}
        {editing && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} className="size-4 accent-[var(--accent)]" />
            Replace the saved values
          </label>
        )}
        {sendData && (
          <fieldset className="flex flex-col gap-3 rounded-md border border-line p-3">
            <legend className="px-1 text-xs text-muted">Values</legend>
            {fields.map((f) => (
              <Field key={f.key} label={`${f.label}${f.required ? '' : ' (optional)'}`} error={errors[`data.${f.key}`] ?? errors[f.key]}>
                {({ id, describedBy, invalid }) =>
                  f.multiline ? (
                    <Textarea id={id} aria-describedby={describedBy} invalid={invalid} rows={4} value={values[f.key] ?? ''} placeholder='{"X-Custom": "value"}' onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
                  ) : (
                    <Input
                      id={id}
                      aria-describedby={describedBy}
                      invalid={invalid}
                      type={f.secret ? 'password' : 'text'}
                      autoComplete={f.secret ? 'new-password' : 'off'}
                      value={values[f.key] ?? ''}
                      onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                    />
                  )
                }
              </Field>
            ))}
          </fieldset>
        )}
        <Field label="Allowed hosts (optional)" hint="One per line: api.example.com, *.example.com or host:port. Requests to any other host fail before the credential is sent. Empty: any host." error={errors.allowedHosts ?? Object.entries(errors).find(([k]) => k.startsWith('allowedHosts.'))?.[1]}>
          {({ id, describedBy, invalid }) => (
            <Textarea id={id} aria-describedby={describedBy} invalid={invalid} rows={2} value={hosts} placeholder="api.example.com" onChange={(e) => setHosts(e.target.value)} />
          )}
        </Field>
        {formError && (
          <p role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-sm text-danger">
            {formError}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={busy}>
            {editing ? 'Save' : 'Create credential'}
          </Button>
        </div>
      </form>
    </Dialog>
  )
}

function defaults(kind: KindName): Record<string, string> {
  return Object.fromEntries(kindFields(kind).filter((f) => f.defaultValue !== undefined).map((f) => [f.key, f.defaultValue!]))
}
