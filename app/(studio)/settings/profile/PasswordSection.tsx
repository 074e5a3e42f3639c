'use client'
import { useState, type FormEvent } from 'react'
import { Button, Field, Input, useToast } from '@/components/ui'
import { ApiError } from '@/lib/client/api'
import { accountApi } from './account-api'
import { Section } from './Section'

export function PasswordSection({ hasPassword }: { hasPassword: boolean }) {
  const toast = useToast()
  const [busy, setBusy] = useState(false)
  const [fields, setFields] = useState<Record<string, string>>({})

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const formEl = e.currentTarget
    const form = new FormData(formEl)
    const current = String(form.get('current') ?? '')
    const next = String(form.get('next') ?? '')
    if (next !== String(form.get('again') ?? '')) return setFields({ again: 'The two new passwords differ' })
    setFields({})
    setBusy(true)
    try {
      const { otherSessionsEnded } = await accountApi.changePassword(current, next)
      formEl.reset()
      toast.success('Password changed', otherSessionsEnded ? `Signed out of ${otherSessionsEnded} other session${otherSessionsEnded === 1 ? '' : 's'}.` : undefined)
    } catch (err) {
      if (err instanceof ApiError && err.fields) setFields({ current: err.fields.currentPassword, next: err.fields.newPassword })
      else toast.error(err, 'Could not change the password')
    } finally {
      setBusy(false)
    }
  }

  return (
    <Section title="Password" description="Changing it signs you out everywhere else.">
      <form onSubmit={onSubmit} className="grid max-w-md gap-3" noValidate>
        {hasPassword && (
          <Field label="Current password" error={fields.current}>
            {({ id, describedBy, invalid }) => <Input id={id} name="current" type="password" autoComplete="current-password" aria-describedby={describedBy} invalid={invalid} />}
          </Field>
        )}
        <Field label="New password" error={fields.next} hint="At least 10 characters.">
          {({ id, describedBy, invalid }) => <Input id={id} name="next" type="password" autoComplete="new-password" aria-describedby={describedBy} invalid={invalid} />}
        </Field>
        <Field label="New password again" error={fields.again}>
          {({ id, describedBy, invalid }) => <Input id={id} name="again" type="password" autoComplete="new-password" aria-describedby={describedBy} invalid={invalid} />}
        </Field>
        <Button type="submit" variant="primary" loading={busy} className="justify-self-start">
          Change password
        </Button>
      </form>
    </Section>
  )
}
