'use client'
// Pick a stored credential of an accepted kind, or create one without leaving the designer.
import { useState } from 'react'
import { Plus } from 'lucide-react'
import { CredentialPicker as Picker } from '@/components/pickers/CredentialPicker'
import { Button, Dialog, Input, Select, useToast } from '@/components/ui'
import { api } from '@/lib/client/api'
import { kindLabel } from '@/app/(studio)/settings/credentials/kind-fields'
import { humanize } from '../schema'
import { useFormEnv } from './context'

/** Secret fields asked for per credential kind when creating one here. */
const KIND_FIELDS: Record<string, string[]> = {
  apiKey: ['headerName', 'apiKey'],
  bearer: ['token'],
  basicAuth: ['username', 'password'],
  customHeaders: ['headers'],
  openai: ['apiKey', 'baseUrl'],
  anthropic: ['apiKey', 'baseUrl'],
  openaiCompatible: ['apiKey', 'baseUrl'],
  twilio: ['accountSid', 'authToken'],
  whatsapp: ['accessToken', 'phoneNumberId'],
}

export function CredentialPicker({ value, onChange, kinds, label }: { value: unknown; onChange: (id: string | undefined) => void; kinds: string[]; label: string }) {
  const env = useFormEnv()
  const toast = useToast()
  const [created, setCreated] = useState(0)
  const [creating, setCreating] = useState(false)
  const [kind, setKind] = useState(kinds[0] ?? 'bearer')
  const [name, setName] = useState('')
  const [data, setData] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)

  const create = async () => {
    setBusy(true)
    try {
      const { id } = await api.credentials.create({ name: name || `${kind} credential`, kind, data })
      setCreated((n) => n + 1)
      onChange(id)
      setCreating(false)
      setData({})
      setName('')
    } catch (e) {
      toast.error(e, 'Could not create the credential')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="flex items-center gap-1">
      <Picker label={label} kinds={kinds} disabled={env.readOnly} value={value} onChange={onChange} reloadKey={created} />
      {!env.readOnly && (
        <Button size="sm" variant="ghost" icon={<Plus className="size-3.5" />} onClick={() => setCreating(true)}>
          New
        </Button>
      )}
      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        title="New credential"
        description="Stored encrypted; the secret is never shown again."
        footer={
          <>
            <Button variant="ghost" onClick={() => setCreating(false)}>Cancel</Button>
            <Button variant="primary" loading={busy} onClick={create}>Create</Button>
          </>
        }
      >
        <div className="flex flex-col gap-2">
          <Input aria-label="Credential name" placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} />
          <Select aria-label="Credential kind" value={kind} onChange={(e) => setKind(e.target.value)} options={(kinds.length ? kinds : Object.keys(KIND_FIELDS)).map((k) => ({ value: k, label: kindLabel(k) }))} />
          {(KIND_FIELDS[kind] ?? ['secret']).map((f) => (
            <Input
              key={f}
              aria-label={humanize(f)}
              placeholder={humanize(f)}
              type={/key|token|password|secret/i.test(f) ? 'password' : 'text'}
              value={data[f] ?? ''}
              onChange={(e) => setData({ ...data, [f]: e.target.value })}
            />
          ))}
        </div>
      </Dialog>
    </div>
  )
}
