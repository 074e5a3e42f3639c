'use client'
// How long the workspace keeps finished runs (admins and owners): days, and runs per workflow. docs/retention.md.
import { useEffect, useState, type FormEvent } from 'react'
import { Button, Field, Input, useToast } from '@/components/ui'
import { api, ApiError, errorMessage } from '@/lib/client/api'

interface Retention {
  executionRetentionDays: number | null
  executionsPerWorkflow: number | null
  serverDefaultDays: number | null
  effectiveDays: number | null
}

const asNumber = (s: string) => (s.trim() === '' ? null : Number(s))

function summary(r: Retention): string {
  const age = r.effectiveDays ? `older than ${r.effectiveDays} days` : null
  const count = r.executionsPerWorkflow ? `beyond the newest ${r.executionsPerWorkflow.toLocaleString()} of each workflow` : null
  if (!age && !count) return 'Finished runs are kept for ever.'
  return `Finished runs ${[age, count].filter(Boolean).join(' or ')} are deleted with their steps and files. Running and queued runs are never deleted.`
}

export function ExecutionRetention({ canEdit }: { canEdit: boolean }) {
  const toast = useToast()
  const [retention, setRetention] = useState<Retention | null>(null)
  const [days, setDays] = useState('')
  const [perWorkflow, setPerWorkflow] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)

  const show = (r: Retention) => {
    setRetention(r)
    setDays(r.executionRetentionDays === null ? '' : String(r.executionRetentionDays))
    setPerWorkflow(r.executionsPerWorkflow === null ? '' : String(r.executionsPerWorkflow))
  }
  useEffect(() => {
    if (!canEdit) return
    api.request<Retention>('/api/workspaces/current/retention').then(show, (err) => setErrors({ form: errorMessage(err) }))
  }, [canEdit])

  async function save(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    try {
      const r = await api.request<Retention>('/api/workspaces/current/retention', {
        method: 'PUT',
        body: { executionRetentionDays: asNumber(days), executionsPerWorkflow: asNumber(perWorkflow) },
      })
      show(r)
      setErrors({})
      toast.success('Run retention saved')
    } catch (err) {
      setErrors(err instanceof ApiError && err.fields ? err.fields : { form: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={save} aria-label="Run retention" className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-5">
      <h2 className="text-base font-semibold">Run retention</h2>
      {!canEdit ? (
        <p className="text-sm text-muted">Only an admin or the owner can see and change how long runs are kept.</p>
      ) : (
        <>
          <p className="text-sm text-muted" data-testid="retention-summary">
            {retention ? summary(retention) : 'Loading…'}
          </p>
          <div className="flex flex-wrap items-start gap-3">
            <Field label="Keep runs for (days)" error={errors.executionRetentionDays} className="w-56">
              {({ id, describedBy, invalid }) => (
                <Input id={id} type="number" min={1} max={3650} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} aria-describedby={describedBy} invalid={invalid} placeholder={retention?.serverDefaultDays ? `${retention.serverDefaultDays} (server)` : 'for ever'} />
              )}
            </Field>
            <Field label="Keep the newest runs per workflow" error={errors.executionsPerWorkflow} className="w-64">
              {({ id, describedBy, invalid }) => (
                <Input id={id} type="number" min={1} inputMode="numeric" value={perWorkflow} onChange={(e) => setPerWorkflow(e.target.value)} aria-describedby={describedBy} invalid={invalid} placeholder="no limit" />
              )}
            </Field>
            <Button type="submit" variant="primary" loading={busy} className="mt-6">
              Save
            </Button>
          </div>
          {errors.form && <p role="alert" className="text-sm text-danger">{errors.form}</p>}
        </>
      )}
    </form>
  )
}
