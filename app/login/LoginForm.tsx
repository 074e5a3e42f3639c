'use client'
import { useState, type FormEvent } from 'react'
import { signIn } from 'next-auth/react'
import { Button, Field, Input } from '@/components/ui'

export function LoginForm({ next }: { next: string }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    setError(null)
    setBusy(true)
    try {
      const res = await signIn('credentials', { email, password, redirect: false })
      if (!res || res.error) {
        setError(res?.error === 'CredentialsSignin' || !res ? 'That email and password do not match an account. Check both and try again.' : res.error)
        return
      }
      // A full navigation so the server components see the new session cookie.
      window.location.assign(next)
    } catch {
      setError('Could not reach the server. Check that the studio is running and try again.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4 rounded-lg border border-line bg-panel p-6 shadow-sm" noValidate>
      <Field label="Email">
        {({ id }) => (
          <Input id={id} name="email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        )}
      </Field>
      <Field label="Password">
        {({ id }) => (
          <Input id={id} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        )}
      </Field>
      {error && (
        <p role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-sm text-danger">
          {error}
        </p>
      )}
      <Button type="submit" variant="primary" loading={busy} disabled={!email || !password}>
        Sign in
      </Button>
    </form>
  )
}
