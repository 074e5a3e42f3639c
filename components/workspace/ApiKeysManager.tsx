'use client'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { KeySquare, Plus, Trash2, TriangleAlert } from 'lucide-react'
import { Badge, Button, Dialog, EmptyState, Field, Input, Select, Spinner, Table, TBody, Td, Th, THead, Tr, useToast } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { ApiError, errorMessage } from '@/lib/client/api'
import { formatRelative } from '@/lib/client/format'
import { CopyField } from './CopyField'
import { formatDate, ROLE_LABELS, send } from './http'

interface ApiKey {
  id: string
  name: string
  prefix: string
  scopes: string[]
  role: string
  expiresAt: string | null
  lastUsedAt: string | null
  createdAt: string
  revokedAt: string | null
  createdBy: { id: string; email: string } | null
}

const SCOPES = [
  { value: 'read', label: 'Read', hint: 'list and view workflows, runs and settings' },
  { value: 'run', label: 'Run', hint: 'start and cancel runs' },
  { value: 'write', label: 'Write', hint: 'create and change workflows, credentials, templates' },
  { value: 'admin', label: 'Admin', hint: 'members, invitations, keys and workspace settings' },
]
const EXPIRY = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: '', label: 'Never' },
]

export function ApiKeysManager() {
  const toast = useToast()
  const [keys, setKeys] = useState<ApiKey[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null)
  const [revoking, setRevoking] = useState<ApiKey | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    try {
      setKeys((await send<{ apiKeys: ApiKey[] }>('/api/api-keys')).apiKeys)
      setLoadError(null)
    } catch (err) {
      setLoadError(errorMessage(err))
    }
  }, [])
  useEffect(() => void load(), [load])

  async function revoke() {
    if (!revoking) return
    setBusy(true)
    try {
      await send(`/api/api-keys/${encodeURIComponent(revoking.id)}`, 'DELETE')
      toast.success(`Revoked “${revoking.name}”`)
      setRevoking(null)
      await load()
    } catch (err) {
      toast.error(err, 'Could not revoke the key')
    } finally {
      setBusy(false)
    }
  }

  const add = (
    <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setCreating(true)}>
      New API key
    </Button>
  )
  const live = (k: ApiKey) => !k.revokedAt && (!k.expiresAt || Date.parse(k.expiresAt) > Date.now())
  return (
    <>
      <PageHeader title="API keys" description="Keys let scripts and other systems call the studio's API. Send one as Authorization: Bearer <key>." actions={add} />
      {loadError ? (
        <EmptyState title="Could not load API keys" description={loadError} action={<Button onClick={() => void load()}>Try again</Button>} />
      ) : keys === null ? (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading keys…
        </p>
      ) : keys.length === 0 ? (
        <EmptyState icon={<KeySquare />} title="No API keys yet" description="Create one for each script or system, with only the scopes it needs." action={add} />
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Key</Th>
              <Th>Scopes</Th>
              <Th>Expires</Th>
              <Th>Last used</Th>
              <Th>Created by</Th>
              <Th className="w-16">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            {keys.map((k) => (
              <Tr key={k.id} data-testid="api-key-row">
                <Td className="font-medium">
                  {k.name}
                  {!live(k) && (
                    <Badge tone="muted" className="ml-2">
                      {k.revokedAt ? 'Revoked' : 'Expired'}
                    </Badge>
                  )}
                </Td>
                <Td className="font-mono text-xs text-muted">{k.prefix}…</Td>
                <Td>
                  <div className="flex flex-wrap gap-1" title={`Acts as ${ROLE_LABELS[k.role] ?? k.role}`}>
                    {(k.scopes.length ? k.scopes : ['all']).map((s) => (
                      <Badge key={s}>{s}</Badge>
                    ))}
                  </div>
                </Td>
                <Td className="text-muted">{k.expiresAt ? formatDate(k.expiresAt) : 'Never'}</Td>
                <Td className="text-muted">{k.lastUsedAt ? formatRelative(k.lastUsedAt) : 'Never'}</Td>
                <Td className="text-muted">{k.createdBy?.email ?? '—'}</Td>
                <Td>
                  {!k.revokedAt && <Button size="sm" variant="ghost" aria-label={`Revoke ${k.name}`} onClick={() => setRevoking(k)} icon={<Trash2 className="size-3.5" />} />}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      <CreateKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(key, name) => {
          setCreating(false)
          setCreated({ key, name })
          void load()
        }}
      />
      <Dialog
        open={created !== null}
        onClose={() => setCreated(null)}
        title={`Your new key “${created?.name ?? ''}”`}
        footer={
          <Button variant="primary" onClick={() => setCreated(null)}>
            I have copied it
          </Button>
        }
      >
        <div className="flex flex-col gap-3">
          <p className="flex items-start gap-2 rounded-md bg-warn/15 px-3 py-2 text-sm">
            <TriangleAlert className="mt-0.5 size-4 shrink-0" /> Copy it now: it is shown only this once. The studio keeps only a fingerprint of it.
          </p>
          {created && <CopyField label="API key" value={created.key} testId="new-api-key" />}
        </div>
      </Dialog>
      <Dialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        description="Anything using this key is refused from its next request. This cannot be undone."
        footer={
          <>
            <Button onClick={() => setRevoking(null)}>Cancel</Button>
            <Button variant="danger" loading={busy} onClick={() => void revoke()}>
              Revoke key
            </Button>
          </>
        }
      />
    </>
  )
}

function CreateKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (key: string, name: string) => void }) {
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<string[]>(['read'])
  const [expiry, setExpiry] = useState('90')
  const [fields, setFields] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setFields({})
    try {
      const body = { name, scopes, ...(expiry ? { expiresInDays: Number(expiry) } : {}) }
      const r = await send<{ key: string; apiKey: { name: string } }>('/api/api-keys', 'POST', body)
      setName('')
      setScopes(['read'])
      onCreated(r.key, r.apiKey.name)
    } catch (err) {
      if (err instanceof ApiError && err.fields) setFields(err.fields)
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  const toggle = (s: string) => setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]))
  return (
    <Dialog open={open} onClose={onClose} title="New API key" description="The key can do no more than you can, and only what its scopes allow.">
      <form onSubmit={submit} className="flex flex-col gap-4">
        <Field label="Name" error={fields.name} hint="What uses it, e.g. “CI deploy”">
          {({ id, describedBy, invalid }) => <Input id={id} aria-describedby={describedBy} invalid={invalid} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <fieldset className="flex flex-col gap-1.5">
          <legend className="mb-1 text-xs font-medium text-muted">Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s.value} className="flex items-start gap-2 text-sm">
              <input type="checkbox" className="mt-1" checked={scopes.includes(s.value)} onChange={() => toggle(s.value)} />
              <span>
                <span className="font-medium">{s.label}</span> <span className="text-muted">— {s.hint}</span>
              </span>
            </label>
          ))}
          {(fields.scopes || Object.keys(fields).some((f) => f.startsWith('scopes.'))) && (
            <p role="alert" className="text-xs text-danger">
              {fields.scopes ?? 'Choose from the scopes listed'}
            </p>
          )}
        </fieldset>
        <Field label="Expires after" error={fields.expiresInDays}>
          {({ id }) => <Select id={id} value={expiry} options={EXPIRY} onChange={(e) => setExpiry(e.target.value)} />}
        </Field>
        {error && !Object.keys(fields).length && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={busy} disabled={!name.trim() || !scopes.length}>
            Create key
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
