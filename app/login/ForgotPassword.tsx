'use client'
import { useState, type FormEvent } from 'react'
import { Button, Field, Input } from '@/components/ui'

/** Asks for a reset link. The answer is the same whether or not the email has an account. */
export function ForgotPassword({ className, onBack }: { className: string; onBack: () => void }) {
  const [state, setState] = useState<{ busy: boolean; done?: string; error?: string }>({ busy: false })

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const email = String(new FormData(e.currentTarget).get('email') ?? '').trim()
    if (!email) return setState({ busy: false, error: 'Enter the email you sign in with.' })
    setState({ busy: true })
    try {
      const res = await fetch('/api/auth/reset/request', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) })
      const body = await res.json().catch(() => null)
      if (!res.ok) return setState({ busy: false, error: body?.error?.message ?? 'Could not send the link; try again in a moment.' })
      setState({ busy: false, done: body.message })
    } catch {
      setState({ busy: false, error: 'Could not reach the server. Check that the studio is running and try again.' })
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className={className} noValidate>
      <p className="text-sm">Enter the email you sign in with and we will send a link to set a new password.</p>
      <Field label="Email">{({ id }) => <Input id={id} name="email" type="email" autoComplete="username" required autoFocus />}</Field>
      {state.error && (
        <p role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-sm text-danger">
          {state.error}
        </p>
      )}
      {state.done && (
        <p role="status" className="rounded-md bg-accent-soft px-3 py-2 text-sm">
          {state.done}
        </p>
      )}
      <Button type="submit" variant="primary" loading={state.busy} disabled={!!state.done}>
        Send reset link
      </Button>
      <Button variant="ghost" onClick={onBack}>
        Back to sign in
      </Button>
    </form>
  )
}
