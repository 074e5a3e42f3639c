'use client'
// The AI usage page: spend and calls over time, by model and workflow, per-deployment health, budgets left.
import { useCallback, useEffect, useState } from 'react'
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { EmptyState, Select, Spinner, Table, TBody, Td, Th, THead, Tr } from '@/components/ui'
import { useWorkflowOptions } from '@/components/pickers'
import { api, errorMessage } from '@/lib/client/api'
import { BudgetPanel } from './BudgetPanel'
import { DeploymentTable } from './DeploymentTable'
import { compact, usd, type UsageAnswer } from './types'

const RANGES = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
]

export function UsageDashboard() {
  const [days, setDays] = useState('30')
  const [data, setData] = useState<UsageAnswer | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    api.request<UsageAnswer>('/api/ai/usage', { query: { days } }).then(setData, (e) => setError(errorMessage(e)))
  }, [days])
  useEffect(load, [load])
  const workflows = useWorkflowOptions()
  const workflowName = (id: string) => workflows?.find((w) => w.value === id)?.label ?? id

  if (error) return <EmptyState title="Could not load AI usage" description={error} />
  if (!data) return <Spinner />
  const t = data.totals
  const cards = [
    { label: 'Cost', value: usd(t.costUsd, 2) },
    { label: 'Calls', value: compact(t.calls) },
    { label: 'Tokens in / out', value: `${compact(t.inputTokens)} / ${compact(t.outputTokens)}` },
    { label: 'Error rate', value: t.calls ? `${((t.errors / t.calls) * 100).toFixed(1)}%` : '—' },
    { label: 'Blocked by budget', value: String(t.budgetBlocked) },
  ]
  const byDay = data.byDay.map((d) => ({ ...d, cost: Number(d.costUsd) }))
  const byModel = data.byModel.map((m) => ({ ...m, cost: Number(m.costUsd) }))
  return (
    <div className="flex flex-col gap-6">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">AI usage</h1>
        <Select aria-label="Period" className="w-44" value={days} onChange={(e) => setDays(e.target.value)} options={RANGES} />
      </div>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-5">
        {cards.map((c) => (
          <div key={c.label} className="rounded-lg border border-line bg-panel px-4 py-3">
            <dt className="text-xs font-medium text-muted">{c.label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums">{c.value}</dd>
          </div>
        ))}
      </dl>
      {t.calls === 0 ? (
        <EmptyState
          title="No AI calls in this period"
          description="Add a model and a deployment under Models & evaluations, then use an LLM Chat, Agent, Classify or Extract node, or call /api/ai/v1/chat/completions."
        />
      ) : (
        <>
        <div className="grid gap-4 lg:grid-cols-2">
          <Chart title="Cost by day">
            <BarChart data={byDay}>
              <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
              <XAxis dataKey="day" fontSize={11} />
              <YAxis fontSize={11} tickFormatter={(v: number) => `$${v}`} />
              <Tooltip formatter={(v) => usd(Number(v))} />
              <Bar dataKey="cost" fill="var(--color-accent, #6366f1)" />
            </BarChart>
          </Chart>
          <Chart title="Cost by model">
            <BarChart data={byModel} layout="vertical">
              <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
              <XAxis type="number" fontSize={11} tickFormatter={(v: number) => `$${v}`} />
              <YAxis type="category" dataKey="model" width={120} fontSize={11} />
              <Tooltip formatter={(v) => usd(Number(v))} />
              <Bar dataKey="cost" fill="var(--color-accent, #6366f1)" />
            </BarChart>
          </Chart>
        </div>
        <Chart title="p95 latency by deployment (ms)">
          <LineChart data={latencySeries(data)}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
            <XAxis dataKey="day" fontSize={11} />
            <YAxis fontSize={11} />
            <Tooltip />
            <Legend />
            {[...new Set(data.deploymentDays.map((d) => d.deploymentName))].map((name, i) => (
              <Line key={name} dataKey={name} stroke={PALETTE[i % PALETTE.length]} dot={false} connectNulls />
            ))}
          </LineChart>
        </Chart>
        </>
      )}
      <BudgetPanel budgets={data.budgets} onChanged={load} />
      <section className="flex flex-col gap-2">
        <h2 className="font-medium">Deployments</h2>
        <DeploymentTable rows={data.deployments} />
      </section>
      <section className="flex flex-col gap-2">
        <h2 className="font-medium">Cost by workflow</h2>
        <Table>
          <THead>
            <Tr>
              <Th>Workflow</Th>
              <Th>Source</Th>
              <Th className="text-right">Calls</Th>
              <Th className="text-right">Cost</Th>
            </Tr>
          </THead>
          <TBody>
            {data.byWorkflow.map((w) => (
              <Tr key={`${w.workflowId}-${w.source}`}>
                <Td>{w.workflowId ? <a className="text-accent hover:underline" href={`/workflows/${w.workflowId}`}>{workflowName(w.workflowId)}</a> : '—'}</Td>
                <Td>{w.source}</Td>
                <Td className="text-right tabular-nums">{w.calls}</Td>
                <Td className="text-right tabular-nums">{usd(w.costUsd)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </section>
    </div>
  )
}

const PALETTE = ['#6366f1', '#10b981', '#f59e0b', '#ef4444', '#06b6d4', '#a855f7', '#84cc16']

/** One row per day, one column per deployment (recharts wants wide rows). */
function latencySeries(data: UsageAnswer) {
  const days = new Map<string, Record<string, number | string>>()
  for (const d of data.deploymentDays) {
    const row = days.get(d.day) ?? { day: d.day }
    if (d.p95Ms !== null) row[d.deploymentName] = Math.round(d.p95Ms)
    days.set(d.day, row)
  }
  return [...days.values()]
}

function Chart({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <section className="rounded-lg border border-line bg-panel p-4">
      <h2 className="mb-2 text-sm font-medium">{title}</h2>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </section>
  )
}
