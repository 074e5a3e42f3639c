'use client'
import { useState, type FormEvent } from 'react'
import Link from 'next/link'
import { Button, Field, Input } from '@/components/ui'

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, setState] = useState<{ busy: boolean; done?: boolean; error?: string; fields?: Record<string, string> }>({ busy: false })

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const password = String(form.get('password') ?? '')
    if (password !== String(form.get('confirm') ?? '')) return setState({ busy: false, fields: { confirm: 'The two passwords differ' } })
    setState({ busy: true })
    try {
      const res = await fetch('/api/auth/reset/confirm', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password }) })
      const body = await res.json().catch(() => null)
      if (!res.ok) return setState({ busy: false, error: body?.error?.fields?.token ?? body?.error?.message ?? 'Could not set the password', fields: body?.error?.fields })
      setState({ busy: false, done: true })
    } catch {
      setState({ busy: false, error: 'Could not reach the server. Check that the studio is running and try again.' })
    }
  }

  const box = 'flex flex-col gap-4 rounded-lg border border-line bg-panel p-6 shadow-sm'
  if (!token) {
    return (
      <div className={box}>
        <p role="alert" className="text-sm text-danger">This page needs the link from the reset email. Ask for a new one from the sign-in page.</p>
        <Link href="/login" className="text-sm text-accent hover:underline">Back to sign in</Link>
      </div>
    )
  }
  if (state.done) {
    return (
      <div className={box}>
        <p role="status" className="text-sm">Your password is set. Sign in with it now.</p>
        <Link href="/login" className="text-sm font-medium text-accent hover:underline">Go to sign in</Link>
      </div>
    )
  }
  return (
    <form method="post" onSubmit={onSubmit} className={box} noValidate>
      <Field label="New password" error={state.fields?.password} hint="At least 10 characters.">
        {({ id, describedBy, invalid }) => <Input id={id} name="password" type="password" autoComplete="new-password" aria-describedby={describedBy} invalid={invalid} required autoFocus />}
      </Field>
      <Field label="New password again" error={state.fields?.confirm}>
        {({ id, describedBy, invalid }) => <Input id={id} name="confirm" type="password" autoComplete="new-password" aria-describedby={describedBy} invalid={invalid} required />}
      </Field>
      {state.error && !state.fields?.password && (
        <p role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-sm text-danger">
          {state.error}
        </p>
      )}
      <Button type="submit" variant="primary" loading={state.busy}>
        Set password
      </Button>
    </form>
  )
}
