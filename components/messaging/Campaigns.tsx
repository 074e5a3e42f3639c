'use client'
// Scheduled campaigns: the list (send time in the campaign's own zone, delivery counts), a create form, and cancel
// (with a confirmation) while a campaign has not started. Refreshes every few seconds while one is running.
import { useCallback, useEffect, useState } from 'react'
import Link from 'next/link'
import { Plus } from 'lucide-react'
import { Badge, Button, Dialog, EmptyState, Spinner, Table, TBody, Td, Th, THead, Tr, useToast, type BadgeTone } from '@/components/ui'
import { messagingApi, type Campaign } from './data'
import { CampaignForm } from './CampaignForm'

const TONES: Record<Campaign['status'], BadgeTone> = { scheduled: 'info', running: 'warning', done: 'success', cancelled: 'neutral', failed: 'danger' }

export function Campaigns() {
  const toast = useToast()
  const [rows, setRows] = useState<Campaign[] | null>(null)
  const [creating, setCreating] = useState(false)
  const [cancelling, setCancelling] = useState<Campaign | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    try {
      setRows((await messagingApi.campaigns()).campaigns)
    } catch (err) {
      toast.error(err, 'Could not load campaigns')
    }
  }, [toast])
  useEffect(() => void load(), [load])
  const active = rows?.some((c) => c.status === 'running' || (c.status === 'scheduled' && Date.parse(c.sendAt) < Date.now() + 60_000))
  useEffect(() => {
    if (!active) return
    const t = setInterval(() => void load(), 3000)
    return () => clearInterval(t)
  }, [active, load])

  const cancel = async () => {
    if (!cancelling) return
    setBusy(true)
    try {
      await messagingApi.cancelCampaign(cancelling.id)
      toast.success(`“${cancelling.name}” cancelled: nothing will be sent`)
      setCancelling(null)
      await load()
    } catch (err) {
      toast.error(err, 'Could not cancel the campaign')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center justify-between">
        <p className="text-sm text-muted">An SMS to a list of numbers at a time in a time zone, at a set rate. Opted-out numbers are skipped.</p>
        <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setCreating(true)}>
          New campaign
        </Button>
      </div>
      {!rows && <Spinner />}
      {rows && rows.length === 0 && <EmptyState title="No campaigns yet" description="Schedule an SMS to a list of recipients with “New campaign”." />}
      {rows && rows.length > 0 && (
        <Table>
          <THead>
            <Tr>
              <Th>Name</Th>
              <Th>Status</Th>
              <Th>Sends at</Th>
              <Th className="text-right">Recipients</Th>
              <Th className="text-right">Sent</Th>
              <Th className="text-right">Delivered</Th>
              <Th className="text-right">Failed</Th>
              <Th className="text-right">Skipped</Th>
              <Th />
            </Tr>
          </THead>
          <TBody>
            {rows.map((c) => (
              <Tr key={c.id} data-testid="campaign-row" data-status={c.status}>
                <Td>
                  <Link href={`/messages?campaignId=${c.id}`} className="font-medium hover:text-accent hover:underline">
                    {c.name}
                  </Link>
                  <p className="font-mono text-xs text-muted">from {c.from} · {c.ratePerSecond}/s</p>
                  {c.error && <p className="text-xs text-danger">{c.error}</p>}
                </Td>
                <Td>
                  <Badge tone={TONES[c.status]}>{c.status}</Badge>
                </Td>
                <Td className="whitespace-nowrap">
                  {c.sendAtLocal} <span className="text-xs text-muted">{c.timeZone}</span>
                </Td>
                <Td className="text-right tabular-nums">{c.counts.total}</Td>
                <Td className="text-right tabular-nums">{c.counts.sent}</Td>
                <Td className="text-right tabular-nums text-ok">{c.counts.delivered}</Td>
                <Td className="text-right tabular-nums text-danger">{c.counts.failed}</Td>
                <Td className="text-right tabular-nums text-muted">{c.counts.skipped}</Td>
                <Td className="text-right">
                  {c.status === 'scheduled' && (
                    <Button size="sm" variant="ghost" onClick={() => setCancelling(c)}>
                      Cancel
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      <CampaignForm
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false)
          void load()
        }}
      />
      <Dialog
        open={cancelling !== null}
        onClose={() => setCancelling(null)}
        title={`Cancel “${cancelling?.name ?? ''}”?`}
        description={cancelling ? `It was due at ${cancelling.sendAtLocal} ${cancelling.timeZone} to ${cancelling.recipientCount} recipients. Nothing will be sent.` : undefined}
        footer={
          <>
            <Button onClick={() => setCancelling(null)}>Keep it</Button>
            <Button variant="danger" loading={busy} onClick={() => void cancel()}>
              Cancel campaign
            </Button>
          </>
        }
      />
    </div>
  )
}
