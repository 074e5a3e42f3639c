'use client'
import { useEffect, useState, type FormEvent } from 'react'
import { signIn, signOut } from 'next-auth/react'
import { Button, Field, Input } from '@/components/ui'
import { ApiError, errorMessage } from '@/lib/client/api'
import { send } from '@/components/workspace/http'

/** Signed in: join with one click. Otherwise: create the account (the invite's email is fixed), then sign in. */
export function AcceptInvite({ token, email, signedInAs, sso }: { token: string; email: string | null; signedInAs: string | null; sso?: string | null }) {
  const [fields, setFields] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])

  function fail(err: unknown) {
    setFields(err instanceof ApiError && err.fields ? err.fields : {})
    setError(errorMessage(err))
    setBusy(false)
  }

  async function join() {
    setBusy(true)
    setError(null)
    try {
      await send('/api/invites/accept', 'POST', { token })
      window.location.assign('/workflows')
    } catch (err) {
      fail(err)
    }
  }

  async function register(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const name = String(form.get('name') ?? '').trim()
    const password = String(form.get('password') ?? '')
    const typedEmail = email ?? String(form.get('email') ?? '').trim()
    if (password !== String(form.get('confirm') ?? '')) return setFields({ confirm: 'The two passwords differ' })
    setBusy(true)
    setError(null)
    setFields({})
    try {
      const joined = await send<{ email: string }>('/api/invites/accept', 'POST', { token, name, password, ...(email ? {} : { email: typedEmail }) })
      const res = await signIn('credentials', { email: joined.email, password, redirect: false })
      // The account exists either way; if signing in needs more (MFA, a lockout), the sign-in page handles it.
      window.location.assign(!res || res.error ? '/login' : '/workflows')
    } catch (err) {
      fail(err)
    }
  }

  const alert = error && !Object.keys(fields).length && (
    <p role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-sm text-danger">
      {error}
    </p>
  )
  if (signedInAs) {
    return (
      <div className="flex flex-col gap-4 rounded-lg border border-line bg-panel p-6 shadow-sm">
        <p className="text-sm">
          You are signed in as <span className="font-medium">{signedInAs}</span>.
        </p>
        {alert}
        <Button variant="primary" loading={busy} disabled={!hydrated} onClick={() => void join()}>
          Join workspace
        </Button>
        <Button variant="ghost" onClick={() => void signOut({ callbackUrl: `/invite/${token}` })}>
          Use another account
        </Button>
      </div>
    )
  }
  return (
    <form method="post" onSubmit={register} className="flex flex-col gap-4 rounded-lg border border-line bg-panel p-6 shadow-sm" noValidate>
      <p className="text-sm text-muted">
        Create your account to join. Already have one?{' '}
        <a className="text-accent underline" href={`/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}>
          Sign in first
        </a>
        .
      </p>
      {sso && email && (
        <>
          <Button onClick={() => void signIn('oidc', { callbackUrl: '/workflows' })}>Join with {sso} as {email}</Button>
          <p className="text-center text-xs text-muted">or create a password for this studio:</p>
        </>
      )}
      <Field label="Email" error={fields.email}>
        {({ id, describedBy, invalid }) =>
          email ? (
            <Input id={id} value={email} readOnly aria-describedby={describedBy} />
          ) : (
            <Input id={id} name="email" type="email" autoComplete="username" required invalid={invalid} aria-describedby={describedBy} />
          )
        }
      </Field>
      <Field label="Your name" error={fields.name}>
        {({ id, describedBy, invalid }) => <Input id={id} name="name" autoComplete="name" required maxLength={100} invalid={invalid} aria-describedby={describedBy} />}
      </Field>
      <Field label="Password" error={fields.password} hint="At least 10 characters">
        {({ id, describedBy, invalid }) => <Input id={id} name="password" type="password" autoComplete="new-password" required invalid={invalid} aria-describedby={describedBy} />}
      </Field>
      <Field label="Repeat the password" error={fields.confirm}>
        {({ id, describedBy, invalid }) => <Input id={id} name="confirm" type="password" autoComplete="new-password" required invalid={invalid} aria-describedby={describedBy} />}
      </Field>
      {alert}
      <Button type="submit" variant="primary" loading={busy} disabled={!hydrated}>
        Create account and join
      </Button>
    </form>
  )
}
