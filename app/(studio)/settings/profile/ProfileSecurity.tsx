'use client'
import { useCallback, useEffect, useState } from 'react'
import { Button, EmptyState, Spinner } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { errorMessage } from '@/lib/client/api'
import { accountApi, type AccountView } from './account-api'
import { MfaSection } from './MfaSection'
import { PasswordSection } from './PasswordSection'
import { SessionsSection } from './SessionsSection'
import { Section } from './Section'

export function ProfileSecurity() {
  const [account, setAccount] = useState<AccountView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(async () => {
    try {
      setAccount(await accountApi.get())
      setError(null)
    } catch (err) {
      setError(errorMessage(err))
    }
  }, [])
  useEffect(() => void load(), [load])

  return (
    <>
      <PageHeader title="Profile & security" description="Your own account: how you sign in and where you are signed in." />
      {error ? (
        <EmptyState title="Could not load your account" description={error} action={<Button onClick={() => void load()}>Try again</Button>} />
      ) : !account ? (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading your account…
        </p>
      ) : (
        <>
          <Section title="Profile">
            <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
              <dt className="text-muted">Name</dt>
              <dd>{account.name || '—'}</dd>
              <dt className="text-muted">Email</dt>
              <dd>{account.email}</dd>
            </dl>
          </Section>
          <PasswordSection hasPassword={account.hasPassword} />
          <MfaSection account={account} onChange={load} />
          <SessionsSection />
        </>
      )}
    </>
  )
}
