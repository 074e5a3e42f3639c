'use client'
import { useCallback, useEffect, useState } from 'react'
import { signOut } from 'next-auth/react'
import { Badge, Button, Spinner, Table, TBody, Td, Th, THead, Tr, useToast } from '@/components/ui'
import { errorMessage } from '@/lib/client/api'
import { formatRelative } from '@/lib/client/format'
import { accountApi, type SessionView } from './account-api'
import { Section } from './Section'

/** A short, human name for a user agent string ("Chrome on Linux"); the full string is in the title. */
function device(ua: string | null): string {
  if (!ua) return 'Unknown device'
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser'
  const os = /Windows/.test(ua) ? 'Windows' : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Linux/.test(ua) ? 'Linux' : ''
  return os ? `${browser} on ${os}` : browser
}

export function SessionsSection() {
  const toast = useToast()
  const [sessions, setSessions] = useState<SessionView[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)

  const load = useCallback(async () => {
    try {
      setSessions((await accountApi.sessions()).sessions)
      setError(null)
    } catch (err) {
      setError(errorMessage(err))
    }
  }, [])
  useEffect(() => void load(), [load])

  async function revoke(s: SessionView) {
    setBusy(s.id)
    try {
      await accountApi.revoke(s.id)
      if (s.current) return void (await signOut({ callbackUrl: '/login' }))
      toast.success('Signed out of that session')
      await load()
    } catch (err) {
      toast.error(err, 'Could not sign that session out')
    } finally {
      setBusy(null)
    }
  }

  async function everywhere() {
    setBusy('all')
    try {
      await accountApi.revokeAll()
      await signOut({ callbackUrl: '/login' })
    } catch (err) {
      toast.error(err, 'Could not sign out everywhere')
      setBusy(null)
    }
  }

  return (
    <Section title="Sessions" description="Where you are signed in. Sign out a session you do not recognise, then change your password.">
      {error ? (
        <p role="alert" className="text-sm text-danger">{error}</p>
      ) : !sessions ? (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading sessions…
        </p>
      ) : (
        <Table>
          <THead>
            <Tr>
              <Th>Device</Th>
              <Th>Address</Th>
              <Th>Signed in</Th>
              <Th>Last seen</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </Tr>
          </THead>
          <TBody>
            {sessions.map((s) => (
              <Tr key={s.id}>
                <Td>
                  <span title={s.userAgent ?? undefined}>{device(s.userAgent)}</span> {s.current && <Badge tone="info">This browser</Badge>}{' '}
                  {s.mfa && <Badge>Two-step</Badge>}
                </Td>
                <Td className="font-mono text-xs">{s.ip ?? '—'}</Td>
                <Td>{formatRelative(s.createdAt)}</Td>
                <Td>{formatRelative(s.lastSeenAt)}</Td>
                <Td className="text-right">
                  <Button size="sm" variant="ghost" loading={busy === s.id} onClick={() => void revoke(s)} aria-label={`Sign out ${device(s.userAgent)}${s.current ? ' (this browser)' : ''}`}>
                    Sign out
                  </Button>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      <Button variant="danger" className="self-start" loading={busy === 'all'} onClick={() => void everywhere()}>
        Sign out everywhere
      </Button>
    </Section>
  )
}
