'use client'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { Download, ScrollText } from 'lucide-react'
import { Badge, Button, EmptyState, Field, Input, Spinner, Table, TBody, Td, Th, THead, Tr, cn, controlClass, useToast } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { api, buildUrl, errorMessage, type Query } from '@/lib/client/api'
import { auditActionGroups, auditActionLabel } from '@/lib/audit/labels'
import type { AuditRow } from '@/lib/audit/query'

/** An entry as the API sends it (lib/audit/query.ts): dates as ISO strings, `data` left out of the table. */
type Entry = Omit<AuditRow, 'createdAt' | 'data'> & { createdAt: string }
interface Page {
  entries: Entry[]
  nextCursor: string | null
}
interface Filters {
  action: string
  actor: string
  from: string
  to: string
  q: string
}
interface Retention {
  auditRetentionDays: number | null
  serverRetentionDays: number
  effectiveDays: number
}

const EMPTY: Filters = { action: '', actor: '', from: '', to: '', q: '' }
const GROUPS = auditActionGroups()
const ACTOR_KIND: Record<string, string> = { user: 'User', apiKey: 'API key', run: 'Run', system: 'System' }

/** The filters as the API takes them: empty ones left out, dates as whole days in the browser's time zone. */
function toQuery(f: Filters): Query {
  return {
    action: f.action || undefined,
    actor: f.actor.trim() || undefined,
    q: f.q.trim() || undefined,
    from: f.from ? new Date(`${f.from}T00:00:00`).toISOString() : undefined,
    to: f.to ? new Date(`${f.to}T23:59:59.999`).toISOString() : undefined,
  }
}

export function AuditLogView() {
  const [draft, setDraft] = useState<Filters>(EMPTY)
  const [applied, setApplied] = useState<Filters>(EMPTY)
  const [entries, setEntries] = useState<Entry[] | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)

  const load = useCallback(async (filters: Filters, after?: string) => {
    try {
      const page = await api.request<Page>('/api/audit', { query: { ...toQuery(filters), cursor: after, limit: 50 } })
      setEntries((prev) => (after && prev ? [...prev, ...page.entries] : page.entries))
      setCursor(page.nextCursor)
      setLoadError(null)
    } catch (err) {
      setLoadError(errorMessage(err))
    }
  }, [])
  useEffect(() => void load(applied), [load, applied])

  function search(e: FormEvent) {
    e.preventDefault()
    setEntries(null)
    setApplied(draft)
  }
  async function more() {
    if (!cursor) return
    setLoadingMore(true)
    await load(applied, cursor)
    setLoadingMore(false)
  }
  const exportUrl = (format: 'csv' | 'jsonl') => buildUrl('', '/api/audit/export', { ...toQuery(applied), format })
  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }))

  const exports = (
    <>
      <a href={exportUrl('csv')} download className="inline-flex h-9 items-center gap-1.5 rounded-md border border-line bg-panel px-3 text-sm hover:bg-panel-2">
        <Download className="size-4" /> Export CSV
      </a>
      <a href={exportUrl('jsonl')} download className="inline-flex h-9 items-center gap-1.5 rounded-md border border-line bg-panel px-3 text-sm hover:bg-panel-2">
        <Download className="size-4" /> Export JSON Lines
      </a>
    </>
  )
  return (
    <div className="flex flex-col gap-4">
      <PageHeader title="Audit log" description="Who did what in this workspace, and from where. Only admins and owners see it." actions={exports} />
      <form onSubmit={search} aria-label="Filter the audit log" className="grid grid-cols-1 gap-3 rounded-lg border border-line bg-panel p-3 sm:grid-cols-2 lg:grid-cols-6">
        <Field label="Action">
          {({ id }) => (
            <select id={id} value={draft.action} onChange={set('action')} className={cn(controlClass, 'h-9 w-full pr-7')}>
              <option value="">All actions</option>
              {GROUPS.map((g) => (
                <optgroup key={g.prefix} label={g.label}>
                  <option value={g.prefix}>Any: {g.label.toLowerCase()}</option>
                  {g.actions.map((a) => (
                    <option key={a.value} value={a.value}>
                      {a.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
        <Field label="Actor">{({ id }) => <Input id={id} value={draft.actor} onChange={set('actor')} placeholder="Email, key name or id" />}</Field>
        <Field label="From">{({ id }) => <Input id={id} type="date" value={draft.from} onChange={set('from')} />}</Field>
        <Field label="To">{({ id }) => <Input id={id} type="date" value={draft.to} onChange={set('to')} />}</Field>
        <Field label="Search">{({ id }) => <Input id={id} value={draft.q} onChange={set('q')} placeholder="Actor, target or action" />}</Field>
        <div className="flex items-end gap-2">
          <Button type="submit" variant="primary">
            Apply
          </Button>
          <Button onClick={() => { setDraft(EMPTY); setEntries(null); setApplied(EMPTY) }}>Clear</Button>
        </div>
      </form>
      {loadError ? (
        <EmptyState title="Could not load the audit log" description={loadError} action={<Button onClick={() => void load(applied)}>Try again</Button>} />
      ) : entries === null ? (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading the audit log…
        </p>
      ) : entries.length === 0 ? (
        <EmptyState icon={<ScrollText className="size-6" />} title="No entries" description="Nothing recorded matches these filters." />
      ) : (
        <>
          <Table>
            <THead>
              <Tr>
                <Th>Time</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th>Outcome</Th>
                <Th>IP address</Th>
              </Tr>
            </THead>
            <TBody>
              {entries.map((e) => (
                <Tr key={e.id}>
                  <Td className="whitespace-nowrap text-muted">
                    <time dateTime={e.createdAt}>{new Date(e.createdAt).toLocaleString()}</time>
                  </Td>
                  <Td>
                    <span className="block max-w-64 truncate" title={e.actorId ?? undefined}>{e.actorLabel ?? e.actorId ?? '—'}</span>
                    <span className="text-xs text-muted">{ACTOR_KIND[e.actorType] ?? e.actorType}</span>
                  </Td>
                  <Td title={e.action}>{auditActionLabel(e.action)}</Td>
                  <Td className="max-w-72 truncate font-mono text-xs">{e.target ?? '—'}</Td>
                  <Td>
                    <Badge tone={e.outcome === 'failure' ? 'danger' : 'success'}>{e.outcome === 'failure' ? 'Failed' : 'Succeeded'}</Badge>
                  </Td>
                  <Td className="font-mono text-xs">{e.ip ?? '—'}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
          {cursor && (
            <div>
              <Button onClick={() => void more()} loading={loadingMore}>
                Load more
              </Button>
            </div>
          )}
        </>
      )}
      <RetentionSetting />
    </div>
  )
}

function RetentionSetting() {
  const toast = useToast()
  const [retention, setRetention] = useState<Retention | null>(null)
  const [days, setDays] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    api.request<Retention>('/api/audit/settings').then(
      (r) => {
        setRetention(r)
        setDays(r.auditRetentionDays === null ? '' : String(r.auditRetentionDays))
      },
      (err) => setError(errorMessage(err)),
    )
  }, [])

  async function save(e: FormEvent) {
    e.preventDefault()
    const value = days.trim() === '' ? null : Number(days)
    setBusy(true)
    try {
      const r = await api.request<Retention>('/api/audit/settings', { method: 'PUT', body: { auditRetentionDays: value } })
      setRetention(r)
      setError(undefined)
      toast.success(`Entries are kept for ${r.effectiveDays} days`)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={save} aria-label="Retention" className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-4">
      <h2 className="text-sm font-semibold">Retention</h2>
      <p className="text-sm text-muted">
        {retention
          ? `Entries older than ${retention.effectiveDays} days are deleted. This server keeps them at most ${retention.serverRetentionDays} days; leave the field empty to follow it.`
          : 'Entries past their retention are deleted every hour.'}
      </p>
      <div className="flex items-end gap-2">
        <Field label="Keep entries for (days)" error={error} className="w-56">
          {({ id, describedBy, invalid }) => (
            <Input id={id} type="number" min={1} max={3650} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} aria-describedby={describedBy} invalid={invalid} placeholder={retention ? String(retention.serverRetentionDays) : ''} />
          )}
        </Field>
        <Button type="submit" loading={busy} className={error ? 'mb-5' : undefined}>
          Save
        </Button>
      </div>
    </form>
  )
}
