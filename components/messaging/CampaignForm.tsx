'use client'
// Creating a campaign: the Twilio credential, sender, text, recipients (one a line), rate, and a local date-time in a
// time zone (the browser's by default). The server's field errors land under their fields; dropped duplicates are
// reported in the toast.
import { useEffect, useMemo, useState } from 'react'
import { Button, Dialog, Field, Input, Select, Textarea, useToast } from '@/components/ui'
import { api, ApiError } from '@/lib/client/api'
import { messagingApi, type CampaignForm as Form } from './data'

function zones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? []
  return supported.includes('UTC') ? supported : ['UTC', ...supported]
}

function empty(): Form {
  return { name: '', credentialId: '', from: '', body: '', mediaUrls: [], recipients: '', ratePerSecond: 1, sendAt: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' }
}

export function CampaignForm({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const toast = useToast()
  const [form, setForm] = useState<Form>(empty)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const [credentials, setCredentials] = useState<Array<{ value: string; label: string }>>([])
  const zoneOptions = useMemo(() => zones().map((z) => ({ value: z, label: z })), [])
  useEffect(() => {
    if (!open) return
    setForm(empty())
    setErrors({})
    api.credentials
      .list()
      .then((r) => setCredentials(r.credentials.filter((c) => c.kind === 'twilio').map((c) => ({ value: c.id, label: c.name }))))
      .catch(() => setCredentials([]))
  }, [open])
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }))
  const lines = form.recipients.split(/\n/).filter((l) => l.trim()).length

  const submit = async () => {
    setBusy(true)
    setErrors({})
    try {
      const res = await messagingApi.createCampaign({ ...form, ratePerSecond: Number(form.ratePerSecond) })
      const dropped = res.duplicates.length ? `${res.duplicates.length} duplicate number(s) dropped (line ${res.duplicates.map((d) => d.line).join(', ')})` : undefined
      toast.success(`“${res.campaign.name}” scheduled for ${res.campaign.sendAtLocal} ${res.campaign.timeZone}`, dropped)
      onCreated()
    } catch (err) {
      if (err instanceof ApiError && err.fields) setErrors(err.fields)
      else toast.error(err, 'Could not schedule the campaign')
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New campaign"
      className="w-[min(40rem,calc(100vw-2rem))]"
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button variant="primary" loading={busy} onClick={() => void submit()}>
            Schedule
          </Button>
        </>
      }
    >
      <div className="grid grid-cols-2 gap-3">
        <Field label="Name" error={errors.name} className="col-span-2">
          {({ id, invalid }) => <Input id={id} invalid={invalid} value={form.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Twilio credential" error={errors.credentialId}>
          {({ id, invalid }) => <Select id={id} invalid={invalid} placeholder="Choose…" options={credentials} value={form.credentialId} onChange={(e) => set('credentialId', e.target.value)} />}
        </Field>
        <Field label="From (E.164 or MG… service)" error={errors.from}>
          {({ id, invalid }) => <Input id={id} invalid={invalid} placeholder="+14155550100" value={form.from} onChange={(e) => set('from', e.target.value)} />}
        </Field>
        <Field label="Message" error={errors.body} hint={`${form.body.length} / 1600`} className="col-span-2">
          {({ id, invalid }) => <Textarea id={id} invalid={invalid} rows={3} value={form.body} onChange={(e) => set('body', e.target.value)} />}
        </Field>
        <Field label="Media URLs (optional, one a line)" error={errors.mediaUrls} className="col-span-2">
          {({ id, invalid }) => (
            <Textarea id={id} invalid={invalid} rows={1} value={form.mediaUrls.join('\n')} onChange={(e) => set('mediaUrls', e.target.value.split('\n').map((s) => s.trim()).filter(Boolean))} />
          )}
        </Field>
        <Field label="Recipients (one number a line)" error={errors.recipients} hint={`${lines} line(s)`} className="col-span-2">
          {({ id, invalid }) => <Textarea id={id} invalid={invalid} rows={5} className="font-mono text-xs" value={form.recipients} onChange={(e) => set('recipients', e.target.value)} />}
        </Field>
        <Field label="Send at (local time)" error={errors.sendAt}>
          {({ id, invalid }) => <Input id={id} invalid={invalid} type="datetime-local" value={form.sendAt} onChange={(e) => set('sendAt', e.target.value)} />}
        </Field>
        <Field label="Time zone" error={errors.timeZone}>
          {({ id, invalid }) => <Select id={id} invalid={invalid} options={zoneOptions} value={form.timeZone} onChange={(e) => set('timeZone', e.target.value)} />}
        </Field>
        <Field label="Messages per second" error={errors.ratePerSecond}>
          {({ id, invalid }) => <Input id={id} invalid={invalid} type="number" min={0.1} step={0.1} value={form.ratePerSecond} onChange={(e) => set('ratePerSecond', Number(e.target.value))} />}
        </Field>
      </div>
    </Dialog>
  )
}
