'use client'
import { useState, type FormEvent } from 'react'
import { Badge, Button, Field, Input, useToast } from '@/components/ui'
import { ApiError } from '@/lib/client/api'
import { accountApi, type AccountView, type Enrolment } from './account-api'
import { Section } from './Section'

const fieldError = (err: unknown, name: string) => (err instanceof ApiError ? (err.fields?.[name] ?? err.message) : 'Something went wrong; try again')

export function MfaSection({ account, onChange }: { account: AccountView; onChange: () => Promise<void> }) {
  const toast = useToast()
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null)
  const [codes, setCodes] = useState<string[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>()

  async function start() {
    setBusy(true)
    try {
      setEnrolment(await accountApi.enrol())
      setError(undefined)
    } catch (err) {
      toast.error(err, 'Could not start the set-up')
    } finally {
      setBusy(false)
    }
  }

  async function confirm(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    setBusy(true)
    try {
      const { recoveryCodes } = await accountApi.confirm(String(new FormData(e.currentTarget).get('code') ?? '').trim())
      setCodes(recoveryCodes)
      setEnrolment(null)
      setError(undefined)
      await onChange()
    } catch (err) {
      setError(fieldError(err, 'code'))
    } finally {
      setBusy(false)
    }
  }

  async function disable(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const proof = String(new FormData(e.currentTarget).get('proof') ?? '')
    setBusy(true)
    try {
      await accountApi.disable(/^\s*\d{6}\s*$/.test(proof) ? { code: proof.trim() } : { password: proof })
      setError(undefined)
      setCodes(null)
      toast.success('Two-step sign-in is off')
      await onChange()
    } catch (err) {
      setError(fieldError(err, 'password') ?? fieldError(err, 'code'))
    } finally {
      setBusy(false)
    }
  }

  const status = account.mfa.enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>
  return (
    <Section title="Two-step sign-in" description={<>Ask for a code from an authenticator app after the password. {status}</>}>
      {codes && (
        <div className="flex flex-col gap-2 rounded-md border border-line bg-panel-2 p-4">
          <p className="text-sm font-medium">Your recovery codes — save them now; they are not shown again.</p>
          <p className="text-xs text-muted">Each works once, in place of a code, if you lose your phone.</p>
          <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-1 font-mono text-sm">
            {codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <Button size="sm" className="self-start" onClick={() => void navigator.clipboard?.writeText(codes.join('\n')).then(() => toast.success('Copied'))}>
            Copy codes
          </Button>
        </div>
      )}
      {account.mfa.enabled ? (
        <form onSubmit={disable} className="grid max-w-md gap-3" noValidate>
          <p className="text-sm text-muted">{account.mfa.recoveryCodesLeft} recovery codes left.</p>
          <Field label="Password or current code, to turn it off" error={error}>
            {({ id, describedBy, invalid }) => <Input id={id} name="proof" type="password" autoComplete="current-password" aria-describedby={describedBy} invalid={invalid} />}
          </Field>
          <Button type="submit" variant="danger" loading={busy} className="justify-self-start">
            Turn off two-step sign-in
          </Button>
        </form>
      ) : enrolment ? (
        <form onSubmit={confirm} className="flex flex-col gap-3" noValidate>
          <p className="text-sm">Scan this with your authenticator app (Google Authenticator, 1Password, Authy…), then enter the code it shows.</p>
          <div className="flex flex-wrap items-start gap-4">
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL, nothing to optimise */}
            <img src={enrolment.qrDataUrl} alt="QR code for your authenticator app" width={180} height={180} className="rounded-md border border-line bg-white" />
            <div className="flex flex-col gap-1 text-sm">
              <span className="text-muted">Cannot scan? Type this key into the app:</span>
              <code data-testid="totp-secret" className="break-all rounded bg-panel-2 px-2 py-1 font-mono">
                {enrolment.secret}
              </code>
            </div>
          </div>
          <Field label="Code from the app" error={error} className="max-w-xs">
            {({ id, describedBy, invalid }) => <Input id={id} name="code" inputMode="numeric" autoComplete="one-time-code" aria-describedby={describedBy} invalid={invalid} />}
          </Field>
          <div className="flex gap-2">
            <Button type="submit" variant="primary" loading={busy}>
              Turn on
            </Button>
            <Button variant="ghost" onClick={() => setEnrolment(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <Button variant="primary" loading={busy} onClick={() => void start()} className="self-start">
          Set up two-step sign-in
        </Button>
      )}
    </Section>
  )
}
