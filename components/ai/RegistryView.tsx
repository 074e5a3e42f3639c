'use client'
// The model registry: models (chat or embedding) with prices (the editable price table) and deployments, routes,
// measured performance per deployment and evaluation results side by side.
import { useCallback, useEffect, useState } from 'react'
import { Badge, EmptyState, Spinner, Table, TBody, Td, Th, THead, Tr } from '@/components/ui'
import { api, errorMessage } from '@/lib/client/api'
import { AddModelForm } from './AddModelForm'
import { ConnectionCheck } from './ConnectionCheck'
import { EvaluationForm } from './EvaluationForm'
import { EvaluationList } from './EvaluationList'
import { FineTunePanel } from './FineTunePanel'
import { PriceCell } from './PriceCell'
import { chatDeploymentNames, type DeploymentPerf, type EvaluationRow, type RegistryAnswer, type RegistryModel, type UsageAnswer } from './types'

const STATUS_TONE = { active: 'success', draft: 'warning', retired: 'muted' } as const

export function RegistryView() {
  const [reg, setReg] = useState<RegistryAnswer | null>(null)
  const [perf, setPerf] = useState<Map<string, DeploymentPerf>>(new Map())
  const [evals, setEvals] = useState<EvaluationRow[]>([])
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    Promise.all([
      api.request<RegistryAnswer>('/api/ai/registry'),
      api.request<UsageAnswer>('/api/ai/usage', { query: { days: 7 } }),
      api.request<{ evaluations: EvaluationRow[] }>('/api/ai/evaluations'),
    ]).then(([r, u, e]) => {
      setReg(r)
      setPerf(new Map(u.deployments.map((d) => [d.deploymentId ?? '', d])))
      setEvals(e.evaluations)
    }, (e) => setError(errorMessage(e)))
  }, [])
  useEffect(load, [load])

  if (error) return <EmptyState title="Could not load the model registry" description={error} />
  if (!reg) return <Spinner />
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-xl font-semibold">Models and deployments</h1>
      {reg.models.length === 0 ? (
        <EmptyState title="No models yet" description="Register a model, then a deployment that points at its endpoint with a credential." />
      ) : (
        <Table>
          <THead>
            <Tr>
              <Th>Model / deployment</Th>
              <Th>Kind</Th>
              <Th>Provider</Th>
              <Th>Capabilities</Th>
              <Th className="text-right">Context</Th>
              <Th className="text-right">$ / 1M in</Th>
              <Th className="text-right">$ / 1M out</Th>
              <Th className="text-right">Calls · 7 d</Th>
              <Th className="text-right">Errors</Th>
              <Th className="text-right">p95</Th>
              <Th>Status</Th>
            </Tr>
          </THead>
          <TBody>
            {reg.models.flatMap((m) => [
              <Tr key={m.id} className="bg-panel-2/40">
                <Td className="font-medium">
                  {m.name} <span className="text-xs text-muted">{m.modelId}</span>
                </Td>
                <Td>
                  <KindBadge model={m} />
                </Td>
                <Td>{m.provider}</Td>
                <Td className="flex gap-1">
                  {m.supportsTools && <Badge tone="info">tools</Badge>}
                  {m.supportsJson && <Badge tone="info">JSON</Badge>}
                  {m.supportsVision && <Badge tone="info">vision</Badge>}
                </Td>
                <Td className="text-right tabular-nums">{m.contextLength.toLocaleString()}</Td>
                <Td className="text-right">
                  <PriceCell modelId={m.id} field="inputPricePerM" value={m.inputPricePerM} onSaved={load} />
                </Td>
                <Td className="text-right">
                  <PriceCell modelId={m.id} field="outputPricePerM" value={m.outputPricePerM} onSaved={load} />
                </Td>
                <Td colSpan={3} />
                <Td>
                  <Badge tone={STATUS_TONE[m.status as keyof typeof STATUS_TONE] ?? 'neutral'}>{m.status}</Badge>
                </Td>
              </Tr>,
              ...m.deployments.map((d) => {
                const p = perf.get(d.id)
                return (
                  <Tr key={d.id}>
                    <Td className="pl-8">↳ {d.name}</Td>
                    <Td className="text-xs text-muted" colSpan={6}>
                      {d.baseUrl ?? 'provider default URL'} · timeout {d.timeoutMs} ms · {d.maxRetries} retries
                      <ConnectionCheck deploymentId={d.id} />
                    </Td>
                    <Td className="text-right tabular-nums">{p?.calls ?? 0}</Td>
                    <Td className="text-right tabular-nums">{p ? `${(p.errorRate * 100).toFixed(1)}%` : '—'}</Td>
                    <Td className="text-right tabular-nums">{p?.p95Ms != null ? `${Math.round(p.p95Ms)} ms` : '—'}</Td>
                    <Td>
                      <Badge tone={STATUS_TONE[d.status as keyof typeof STATUS_TONE] ?? 'neutral'}>{d.status}</Badge>
                    </Td>
                  </Tr>
                )
              }),
            ])}
          </TBody>
        </Table>
      )}
      <AddModelForm models={reg.models} onSaved={load} />
      <section className="flex flex-col gap-2">
        <h2 className="font-medium">Routes</h2>
        {reg.routes.length === 0 ? (
          <p className="text-sm text-muted">No routes: calls name a deployment directly.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {reg.routes.map((r) => (
              <li key={r.id}>
                <strong>{r.name}</strong> · {r.strategy} · {r.deployments.join(' → ')} · over budget: {r.onBudgetExceeded}
              </li>
            ))}
          </ul>
        )}
      </section>
      <EvaluationForm deployments={chatDeploymentNames(reg.models)} onDone={load} />
      <EvaluationList evaluations={evals} />
      <FineTunePanel onRegistered={load} />
    </div>
  )
}

/** Chat, or embedding with its vector length. */
export function KindBadge({ model }: { model: Pick<RegistryModel, 'kind' | 'dimensions'> }) {
  if (model.kind !== 'embedding') return <Badge tone="neutral">chat</Badge>
  return <Badge tone="info">embedding · {model.dimensions ? `${model.dimensions} dims` : 'default dims'}</Badge>
}
