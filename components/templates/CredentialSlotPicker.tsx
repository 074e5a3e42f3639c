'use client'
// One credential slot of a template: a picker of the workspace's credentials of the kinds it accepts, and "Create
// one" (the credential form of Settings, limited to those kinds) that creates a credential and selects it.
import { useState } from 'react'
import { Plus } from 'lucide-react'
import { Button, Field, Select } from '@/components/ui'
import { CredentialDialog } from '@/app/(studio)/settings/credentials/CredentialDialog'
import { KIND_OPTIONS, kindLabel } from '@/app/(studio)/settings/credentials/kind-fields'
import type { CredentialSummary } from '@/lib/client/types'
import type { TemplateCredentialSlot } from '@/lib/templates/types'

export function CredentialSlotPicker({ slot, usedBy = [], credentials, value, error, onChange, onCreated }: {
  slot: TemplateCredentialSlot
  /** Names of the nodes that use the slot: its label when the template gives none. */
  usedBy?: string[]
  credentials: CredentialSummary[]
  value: string
  error?: string
  onChange: (credentialId: string) => void
  /** A credential was created: the caller reloads the list (the new one is selected already). */
  onCreated: () => Promise<void>
}) {
  const [creating, setCreating] = useState(false)
  const matching = credentials.filter((c) => slot.kinds.includes(c.kind))
  const creatable = KIND_OPTIONS.some((o) => slot.kinds.includes(o.value))
  const kinds = slot.kinds.map(kindLabel).join(' or ')
  return (
    <div className="flex items-end gap-2">
      <Field
        className="flex-1"
        label={<>{slot.label ?? (usedBy.length ? `Credential for ${usedBy.join(', ')}` : slot.ref)}{slot.required && <span className="text-danger" aria-hidden> *</span>}</>}
        error={error}
        hint={matching.length === 0 ? `No ${kinds} credential yet: create one.` : `A ${kinds} credential.`}
      >
        {({ id, describedBy, invalid }) => (
          <Select
            id={id}
            aria-describedby={describedBy}
            invalid={invalid}
            data-slot={slot.ref}
            placeholder={slot.required ? 'Choose a credential…' : '(none)'}
            options={matching.map((c) => ({ value: c.id, label: `${c.name} (${kindLabel(c.kind)})` }))}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )}
      </Field>
      {creatable && (
        <Button icon={<Plus className="size-4" />} onClick={() => setCreating(true)} className="mb-5" title={`Create a ${kinds} credential`}>
          Create one
        </Button>
      )}
      <CredentialDialog
        editing={null}
        open={creating}
        kinds={slot.kinds}
        onClose={() => setCreating(false)}
        onSaved={async (created) => {
          setCreating(false)
          await onCreated()
          if (created) onChange(created.id)
        }}
      />
    </div>
  )
}
