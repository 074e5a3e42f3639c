// The vault's calls beyond lib/client/api's: allowed hosts, versions and restore. Same origin, session cookie.
import { toApiError } from '@/lib/client/api'

export interface CredentialVersionRow {
  version: number
  name: string
  allowedHosts: string[]
  createdAt: string
  createdBy: { id: string; email: string | null } | null
  current: boolean
}

async function request<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  })
  if (!res.ok) throw await toApiError(res)
  return (res.status === 204 ? undefined : await res.json()) as T
}

const enc = encodeURIComponent

export const vaultApi = {
  create: (body: { name: string; kind: string; data: Record<string, unknown>; allowedHosts: string[] }) => request<{ id: string }>('/api/credentials', { method: 'POST', body }),
  update: (id: string, body: { name?: string; data?: Record<string, unknown>; allowedHosts?: string[] }) => request<unknown>(`/api/credentials/${enc(id)}`, { method: 'PUT', body }),
  versions: (id: string) => request<{ versions: CredentialVersionRow[] }>(`/api/credentials/${enc(id)}/versions`),
  restore: (id: string, version: number) => request<unknown>(`/api/credentials/${enc(id)}/versions/${version}/restore`, { method: 'POST' }),
}

/** One host per line or separated by commas or spaces, as typed; the server checks and normalizes them. */
export function parseHosts(text: string): string[] {
  return text.split(/[\s,]+/).map((h) => h.trim()).filter(Boolean)
}
