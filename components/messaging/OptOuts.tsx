'use client'
// The opt-out list: who gets nothing on a channel (they replied STOP, their carrier said unsubscribed, or someone
// added them here). Editors add and remove; viewers read (the API refuses them, and the toast says so).
import { useCallback, useEffect, useState } from 'react'
import { Badge, Button, EmptyState, Field, Input, Select, Spinner, Table, TBody, Td, Th, THead, Tr, useToast } from '@/components/ui'
import { ApiError } from '@/lib/client/api'
import { messagingApi, type OptOut } from './data'
import { formatWhen } from './MessageStatus'

const CHANNELS = [
  { value: 'sms', label: 'SMS' },
  { value: 'whatsapp', label: 'WhatsApp' },
]

export function OptOuts() {
  const toast = useToast()
  const [rows, setRows] = useState<OptOut[] | null>(null)
  const [search, setSearch] = useState('')
  const [form, setForm] = useState({ channel: 'sms', address: '' })
  const [fieldError, setFieldError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    try {
      setRows((await messagingApi.optOuts({ q: search || undefined, limit: 500 })).optOuts)
    } catch (err) {
      toast.error(err, 'Could not load the opt-out list')
    }
  }, [search, toast])
  useEffect(() => void load(), [load])

  const add = async () => {
    setBusy(true)
    setFieldError(undefined)
    try {
      const row = await messagingApi.addOptOut(form)
      toast.success(`${row.address} opted out of ${row.channel}`)
      setForm((f) => ({ ...f, address: '' }))
      await load()
    } catch (err) {
      if (err instanceof ApiError && err.fields?.address) setFieldError(err.fields.address)
      else toast.error(err, 'Could not add the number')
    } finally {
      setBusy(false)
    }
  }
  const remove = async (o: OptOut) => {
    try {
      await messagingApi.removeOptOut({ channel: o.channel, address: o.address })
      toast.success(`${o.address} gets ${o.channel} messages again`)
      await load()
    } catch (err) {
      toast.error(err, 'Could not remove the number')
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <form
        aria-label="Add an opt-out"
        className="flex flex-wrap items-end gap-2 rounded-lg border border-line bg-panel p-3"
        onSubmit={(e) => {
          e.preventDefault()
          void add()
        }}
      >
        <Field label="Channel" className="w-36">
          {({ id }) => <Select id={id} options={CHANNELS} value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value })} />}
        </Field>
        <Field label="Phone number (E.164)" error={fieldError} className="w-64">
          {({ id, describedBy, invalid }) => (
            <Input id={id} aria-describedby={describedBy} invalid={invalid} placeholder="+14155550100" value={form.address} onChange={(e) => setForm({ ...form, address: e.target.value })} />
          )}
        </Field>
        <Button type="submit" variant="primary" loading={busy} disabled={!form.address.trim()}>
          Add opt-out
        </Button>
        <Input aria-label="Search numbers" placeholder="Search numbers…" className="ml-auto w-56" value={search} onChange={(e) => setSearch(e.target.value)} />
      </form>
      {!rows && <Spinner />}
      {rows && rows.length === 0 && <EmptyState title="Nobody has opted out" description="Numbers that reply STOP, or that you add here, get no messages on that channel." />}
      {rows && rows.length > 0 && (
        <Table>
          <THead>
            <Tr>
              <Th>Number</Th>
              <Th>Channel</Th>
              <Th>How</Th>
              <Th>Since</Th>
              <Th />
            </Tr>
          </THead>
          <TBody>
            {rows.map((o) => (
              <Tr key={`${o.channel}:${o.address}`} data-testid="opt-out-row">
                <Td className="font-mono text-xs">{o.address}</Td>
                <Td>{o.channel}</Td>
                <Td>
                  <Badge tone={o.source === 'manual' ? 'neutral' : 'warning'}>{o.source === 'keyword' ? 'replied STOP' : o.source === 'carrier' ? 'carrier (21610)' : 'added by hand'}</Badge>
                </Td>
                <Td className="text-xs text-muted">{formatWhen(o.createdAt)}</Td>
                <Td className="text-right">
                  <Button size="sm" variant="ghost" onClick={() => void remove(o)}>
                    Remove
                  </Button>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  )
}
