// The profile page's calls to /api/account/** (the session cookie authenticates them).
import { toApiError } from '@/lib/client/api'

export interface AccountView {
  id: string
  email: string
  name: string | null
  hasPassword: boolean
  mfa: { enabled: boolean; enabledAt: string | null; recoveryCodesLeft: number }
}

export interface SessionView {
  id: string
  method: string
  mfa: boolean
  ip: string | null
  userAgent: string | null
  createdAt: string
  lastSeenAt: string
  current: boolean
}

export interface Enrolment {
  secret: string
  uri: string
  qrDataUrl: string
}

async function call<T>(path: string, method: 'GET' | 'POST' | 'DELETE' = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw await toApiError(res)
  return (res.status === 204 ? null : await res.json()) as T
}

export const accountApi = {
  get: () => call<AccountView>('/api/account'),
  changePassword: (currentPassword: string, newPassword: string) => call<{ otherSessionsEnded: number }>('/api/account/password', 'POST', { currentPassword, newPassword }),
  enrol: () => call<Enrolment>('/api/account/mfa/enrol', 'POST'),
  confirm: (code: string) => call<{ recoveryCodes: string[] }>('/api/account/mfa/confirm', 'POST', { code }),
  disable: (input: { password?: string; code?: string }) => call<{ ok: true }>('/api/account/mfa/disable', 'POST', input),
  sessions: () => call<{ sessions: SessionView[] }>('/api/account/sessions'),
  revoke: (id: string) => call<null>(`/api/account/sessions/${encodeURIComponent(id)}`, 'DELETE'),
  revokeAll: () => call<{ sessionsEnded: number }>('/api/account/sessions/revoke-all', 'POST'),
}
