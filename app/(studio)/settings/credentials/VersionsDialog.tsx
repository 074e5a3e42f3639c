'use client'
import { useEffect, useState } from 'react'
import { Badge, Button, Dialog, Spinner, Table, TBody, Td, Th, THead, Tr, useToast } from '@/components/ui'
import { errorMessage } from '@/lib/client/api'
import { formatRelative } from '@/lib/client/format'
import type { CredentialSummary } from '@/lib/client/types'
import { vaultApi, type CredentialVersionRow } from './vault-api'

/**
 * Every saved version of a credential: when, by whom, its name and allowed hosts (never its values). Restoring asks
 * first, then saves that version's values as a new version; nothing in the history is overwritten.
 */
export function VersionsDialog({ credential, onClose, onRestored }: { credential: CredentialSummary | null; onClose: () => void; onRestored: () => void }) {
  const toast = useToast()
  const [versions, setVersions] = useState<CredentialVersionRow[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [confirming, setConfirming] = useState<CredentialVersionRow | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (!credential) return
    setVersions(null)
    setError(null)
    vaultApi.versions(credential.id).then(
      (r) => setVersions(r.versions),
      (err) => setError(errorMessage(err)),
    )
  }, [credential])

  async function restore() {
    if (!credential || !confirming) return
    setBusy(true)
    try {
      await vaultApi.restore(credential.id, confirming.version)
      toast.success(`Restored version ${confirming.version} of “${credential.name}”`, 'It was saved as a new version.')
      setConfirming(null)
      onRestored()
    } catch (err) {
      toast.error(err, 'Could not restore the version')
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <Dialog open={credential !== null && confirming === null} onClose={onClose} title={`History of “${credential?.name ?? ''}”`} description="Every saved version. Values stay hidden; restoring one saves its values again as the newest version.">
        {error ? (
          <p role="alert" className="text-sm text-danger">{error}</p>
        ) : versions === null ? (
          <p className="flex items-center gap-2 text-sm text-muted">
            <Spinner /> Loading versions…
          </p>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Version</Th>
                <Th>Saved, name and hosts</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {versions.map((v) => (
                <Tr key={v.version} data-testid="credential-version">
                  <Td className="font-medium">
                    {v.version} {v.current && <Badge tone="success">current</Badge>}
                  </Td>
                  <Td>
                    <span className="block text-muted">
                      {formatRelative(v.createdAt)}
                      {v.createdBy?.email ? ` by ${v.createdBy.email}` : ''}
                    </span>
                    <span className="block break-words">{v.name}</span>
                    <span className="block text-xs text-muted">{v.allowedHosts.length ? v.allowedHosts.join(', ') : 'Any host'}</span>
                  </Td>
                  <Td className="whitespace-nowrap">
                    {!v.current && (
                      <Button size="sm" onClick={() => setConfirming(v)} aria-label={`Restore version ${v.version}`}>
                        Restore
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Dialog>
      <Dialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title={`Restore version ${confirming?.version ?? ''}?`}
        description={`Workflows using “${credential?.name ?? ''}” will use the values of version ${confirming?.version ?? ''} from now on. The current values stay in the history.`}
        footer={
          <>
            <Button onClick={() => setConfirming(null)}>Cancel</Button>
            <Button variant="primary" loading={busy} onClick={() => void restore()}>
              Restore version {confirming?.version}
            </Button>
          </>
        }
      />
    </>
  )
}
