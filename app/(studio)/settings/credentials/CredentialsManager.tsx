'use client'
import { useCallback, useEffect, useState } from 'react'
import { History, KeyRound, Pencil, Plus, Trash2 } from 'lucide-react'
import { Badge, Button, Dialog, EmptyState, Spinner, Table, TBody, Td, Th, THead, Tr, useToast } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { api, errorMessage } from '@/lib/client/api'
import { formatRelative } from '@/lib/client/format'
import type { CredentialSummary } from '@/lib/client/types'
import { CredentialConnectionActions } from '@/components/credentials/CredentialConnectionActions'
import { CredentialDialog } from './CredentialDialog'
import { kindLabel } from './kind-fields'
import { VersionsDialog } from './VersionsDialog'

export function CredentialsManager() {
  const toast = useToast()
  const [items, setItems] = useState<CredentialSummary[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [dialog, setDialog] = useState<{ editing: CredentialSummary | null } | null>(null)
  const [deleting, setDeleting] = useState<CredentialSummary | null>(null)
  const [history, setHistory] = useState<CredentialSummary | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    try {
      setItems((await api.credentials.list()).credentials)
      setLoadError(null)
    } catch (err) {
      setLoadError(errorMessage(err))
    }
  }, [])
  useEffect(() => void load(), [load])
  // Back from Connect (app/api/oauth/callback): say how it went, once.
  useEffect(() => {
    const q = new URLSearchParams(window.location.search)
    const outcome = q.get('oauth')
    if (!outcome) return
    if (outcome === 'connected') toast.success('Connected', 'The account is connected; workflows can use the credential now.')
    else toast.error(new Error(q.get('message') ?? 'The provider did not connect the account'), 'Could not connect')
    window.history.replaceState(null, '', window.location.pathname)
  }, [toast])

  async function remove() {
    if (!deleting) return
    setBusy(true)
    try {
      await api.credentials.remove(deleting.id)
      toast.success(`Deleted “${deleting.name}”`)
      setDeleting(null)
      await load()
    } catch (err) {
      toast.error(err, 'Could not delete the credential')
    } finally {
      setBusy(false)
    }
  }

  const add = (
    <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setDialog({ editing: null })}>
      New credential
    </Button>
  )
  return (
    <>
      <PageHeader title="Credentials" description="API keys, tokens and passwords your workflows use. Encrypted at rest; never shown after saving." actions={add} />
      {loadError ? (
        <EmptyState title="Could not load credentials" description={loadError} action={<Button onClick={() => void load()}>Try again</Button>} />
      ) : items === null ? (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading credentials…
        </p>
      ) : items.length === 0 ? (
        <EmptyState
          icon={<KeyRound />}
          title="No credentials yet"
          description="Add one to let HTTP Request, AI, database, email and messaging (Twilio, WhatsApp) nodes authenticate. Pick it in a node's Credential field."
          action={add}
        />
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Type</Th>
              <Th>Secret</Th>
              <Th>Sent to</Th>
              <Th>Updated</Th>
              <Th className="w-32">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            {items.map((c) => (
              <Tr key={c.id} data-testid="credential-row">
                <Td className="font-medium">{c.name}</Td>
                <Td>
                  <Badge>{kindLabel(c.kind)}</Badge>
                </Td>
                <Td className="font-mono text-muted" aria-label="hidden">
                  ••••••••
                </Td>
                <Td className="text-muted">{hostsOf(c).length ? hostsOf(c).join(', ') : 'Any host'}</Td>
                <Td className="text-muted">
                  {formatRelative(c.updatedAt)}
                </Td>
                <Td>
                  <div className="flex gap-1">
                    <CredentialConnectionActions id={c.id} name={c.name} kind={c.kind} />
                    <Button size="sm" variant="ghost" aria-label={`Edit ${c.name}`} onClick={() => setDialog({ editing: c })} icon={<Pencil className="size-3.5" />} />
                    <Button size="sm" variant="ghost" aria-label={`History of ${c.name}`} onClick={() => setHistory(c)} icon={<History className="size-3.5" />} />
                    <Button size="sm" variant="ghost" aria-label={`Delete ${c.name}`} onClick={() => setDeleting(c)} icon={<Trash2 className="size-3.5" />} />
                  </div>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      <VersionsDialog
        credential={history}
        onClose={() => setHistory(null)}
        onRestored={() => {
          setHistory(null)
          void load()
        }}
      />
      <CredentialDialog
        open={dialog !== null}
        editing={dialog?.editing ?? null}
        onClose={() => setDialog(null)}
        onSaved={() => {
          setDialog(null)
          void load()
        }}
      />
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete “${deleting?.name ?? ''}”?`}
        description="Workflow steps that use it will fail until you pick another credential."
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button variant="danger" loading={busy} onClick={() => void remove()}>
              Delete credential
            </Button>
          </>
        }
      />
    </>
  )
}

/** The list answer carries the allowed hosts and version (lib/credentials); the shared client type predates them. */
function hostsOf(c: CredentialSummary): string[] {
  return (c as CredentialSummary & { allowedHosts?: string[] }).allowedHosts ?? []
}
