'use client'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { signIn } from 'next-auth/react'
import { Button, Field, Input } from '@/components/ui'
import { MFA_REQUIRED } from '@/lib/auth/signin-codes'
import { ForgotPassword } from './ForgotPassword'

/** Password first; when the account has two-step sign-in, a second step asks for the code (the password is kept). */
export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [step, setStep] = useState<'password' | 'code' | 'forgot'>('password')
  const creds = useRef({ email: '', password: '' })
  // Uncontrolled inputs keep what was typed before hydration; the button waits for hydration so a
  // too-early press never falls back to a native form submit.
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])

  async function attempt(code?: string) {
    setError(null)
    setBusy(true)
    try {
      const res = await signIn('credentials', { ...creds.current, ...(code ? { code } : {}), redirect: false })
      if (!res || res.error) {
        setBusy(false)
        if (res?.error === MFA_REQUIRED) return setStep('code')
        return setError(!res || res.error === 'CredentialsSignin' ? 'That email and password do not match an account. Check both and try again.' : res.error)
      }
      // A full navigation so the server components see the new session cookie.
      window.location.assign(next)
    } catch {
      setError('Could not reach the server. Check that the studio is running and try again.')
      setBusy(false)
    }
  }

  function onPassword(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    creds.current = { email: String(form.get('email') ?? '').trim(), password: String(form.get('password') ?? '') }
    if (!creds.current.email || !creds.current.password) return setError('Enter your email and password.')
    void attempt()
  }

  function onCode(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const code = String(new FormData(e.currentTarget).get('code') ?? '').trim()
    if (!code) return setError('Enter the code from your authenticator app, or a recovery code.')
    void attempt(code)
  }

  const alert = error && (
    <p role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-sm text-danger">
      {error}
    </p>
  )
  const box = 'flex flex-col gap-4 rounded-lg border border-line bg-panel p-6 shadow-sm'

  if (step === 'forgot') return <ForgotPassword className={box} onBack={() => setStep('password')} />
  if (step === 'code') {
    return (
      <form method="post" onSubmit={onCode} className={box} noValidate>
        <p className="text-sm">Two-step sign-in is on for {creds.current.email}. Enter the 6-digit code from your authenticator app.</p>
        <Field label="Authentication code" hint="Lost your phone? Enter one of your recovery codes instead.">
          {({ id, describedBy }) => <Input id={id} name="code" autoComplete="one-time-code" inputMode="text" aria-describedby={describedBy} required autoFocus />}
        </Field>
        {alert}
        <Button type="submit" variant="primary" loading={busy}>
          Verify and sign in
        </Button>
        <Button variant="ghost" onClick={() => (setStep('password'), setError(null))}>
          Back
        </Button>
      </form>
    )
  }
  return (
    <form method="post" onSubmit={onPassword} className={box} noValidate>
      <Field label="Email">{({ id }) => <Input id={id} name="email" type="email" autoComplete="username" defaultValue={creds.current.email} required autoFocus />}</Field>
      <Field label="Password">{({ id }) => <Input id={id} name="password" type="password" autoComplete="current-password" required />}</Field>
      {alert}
      <Button type="submit" variant="primary" loading={busy} disabled={!hydrated}>
        Sign in
      </Button>
      <button type="button" className="self-center text-sm text-accent hover:underline" onClick={() => (setStep('forgot'), setError(null))}>
        Forgot password?
      </button>
    </form>
  )
}
