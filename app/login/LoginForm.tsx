'use client'
import { useEffect, useState, type FormEvent } from 'react'
import { signIn } from 'next-auth/react'
import { Button, Field, Input } from '@/components/ui'

export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // Uncontrolled inputs keep what was typed before hydration; the button waits for hydration so a
  // too-early press never falls back to a native form submit.
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const email = String(form.get('email') ?? '').trim()
    const password = String(form.get('password') ?? '')
    if (!email || !password) return setError('Enter your email and password.')
    setError(null)
    setBusy(true)
    try {
      const res = await signIn('credentials', { email, password, redirect: false })
      if (!res || res.error) {
        setError(!res || res.error === 'CredentialsSignin' ? 'That email and password do not match an account. Check both and try again.' : res.error)
        setBusy(false)
        return
      }
      // A full navigation so the server components see the new session cookie.
      window.location.assign(next)
    } catch {
      setError('Could not reach the server. Check that the studio is running and try again.')
      setBusy(false)
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="flex flex-col gap-4 rounded-lg border border-line bg-panel p-6 shadow-sm" noValidate>
      <Field label="Email">{({ id }) => <Input id={id} name="email" type="email" autoComplete="username" required autoFocus />}</Field>
      <Field label="Password">{({ id }) => <Input id={id} name="password" type="password" autoComplete="current-password" required />}</Field>
      {error && (
        <p role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-sm text-danger">
          {error}
        </p>
      )}
      <Button type="submit" variant="primary" loading={busy} disabled={!hydrated}>
        Sign in
      </Button>
    </form>
  )
}
