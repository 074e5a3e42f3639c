'use client'
// Budgets with how much is left in the current period, and a small form to set one.
import { useState } from 'react'
import { Button, Input, Select, useToast } from '@/components/ui'
import { useWorkflowOptions, WorkflowPicker } from '@/components/pickers'
import { api } from '@/lib/client/api'
import { usd, type BudgetView } from './types'

export function BudgetPanel({ budgets, onChanged }: { budgets: BudgetView[]; onChanged: () => void }) {
  const toast = useToast()
  const [period, setPeriod] = useState('month')
  const [limit, setLimit] = useState('')
  const [workflowId, setWorkflowId] = useState<string | undefined>(undefined)
  const [saving, setSaving] = useState(false)
  const workflows = useWorkflowOptions()
  const workflowName = (id: string) => workflows?.find((w) => w.value === id)?.label ?? (workflows ? 'a deleted workflow' : '…')

  async function save(e: React.FormEvent) {
    e.preventDefault()
    setSaving(true)
    try {
      await api.request('/api/ai/budgets', { method: 'POST', body: { period, limitUsd: limit, workflowId: workflowId || null } })
      setLimit('')
      onChanged()
    } catch (err) {
      toast.error(err, 'Budget not saved')
    } finally {
      setSaving(false)
    }
  }

  async function remove(id: string) {
    try {
      await api.request(`/api/ai/budgets/${encodeURIComponent(id)}`, { method: 'DELETE' })
      onChanged()
    } catch (err) {
      toast.error(err, 'Budget not removed')
    }
  }

  return (
    <section className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-4">
      <h2 className="font-medium">Budgets</h2>
      {budgets.length === 0 && <p className="text-sm text-muted">No budget: AI calls are not limited.</p>}
      <ul className="flex flex-col gap-3">
        {budgets.map((b) => {
          const used = Math.min(1, Number(b.spentUsd) / Number(b.limitUsd))
          return (
            <li key={b.id} className="flex flex-col gap-1" data-testid="ai-budget">
              <div className="flex items-center justify-between text-sm">
                <span>
                  {b.workflowId ? `Workflow “${workflowName(b.workflowId)}”` : 'Whole workspace'} · per {b.period}
                </span>
                <span className="tabular-nums text-muted">
                  {usd(b.spentUsd, 2)} of {usd(b.limitUsd, 2)} · <strong className="text-fg">{usd(b.leftUsd, 2)} left</strong>
                  <Button variant="ghost" size="sm" className="ml-2" onClick={() => remove(b.id)}>
                    Remove
                  </Button>
                </span>
              </div>
              <div className="h-2 overflow-hidden rounded-full bg-panel-2" role="progressbar" aria-valuenow={Math.round(used * 100)} aria-valuemin={0} aria-valuemax={100}>
                <div className={used >= 0.9 ? 'h-full bg-danger' : used >= 0.7 ? 'h-full bg-warn' : 'h-full bg-ok'} style={{ width: `${used * 100}%` }} />
              </div>
            </li>
          )
        })}
      </ul>
      <form onSubmit={save} className="flex flex-wrap items-end gap-2">
        <Select aria-label="Budget period" className="w-36" value={period} onChange={(e) => setPeriod(e.target.value)} options={[{ value: 'day', label: 'Per day' }, { value: 'month', label: 'Per month' }]} />
        <Input aria-label="Limit in USD" placeholder="Limit, USD" inputMode="decimal" value={limit} onChange={(e) => setLimit(e.target.value)} className="w-32" required />
        <WorkflowPicker label="Budget workflow" value={workflowId} onChange={setWorkflowId} emptyLabel="Whole workspace" className="w-64" />
        <Button type="submit" loading={saving}>
          Set budget
        </Button>
      </form>
    </section>
  )
}
