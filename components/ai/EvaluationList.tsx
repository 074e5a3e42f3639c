'use client'
// Evaluation runs with each deployment's score, cost and latency side by side.
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui'
import { usd, type EvaluationRow } from './types'

export function EvaluationList({ evaluations }: { evaluations: EvaluationRow[] }) {
  return (
    <section className="flex flex-col gap-2">
      <h2 className="font-medium">Evaluations</h2>
      {evaluations.length === 0 && <p className="text-sm text-muted">No evaluations yet.</p>}
      {evaluations.map((e) => (
        <div key={e.id} className="flex flex-col gap-1">
          <div className="text-sm">
            <strong>{e.name}</strong> · scorer {e.scorer.type} · {new Date(e.createdAt).toLocaleString()} · {e.status}
          </div>
          <Table>
            <THead>
              <Tr>
                <Th>Deployment</Th>
                <Th className="text-right">Score</Th>
                <Th className="text-right">Passed</Th>
                <Th className="text-right">Errors</Th>
                <Th className="text-right">p50 latency</Th>
                <Th className="text-right">Cost</Th>
              </Tr>
            </THead>
            <TBody>
              {(e.results?.summary ?? []).map((s) => (
                <Tr key={s.deployment}>
                  <Td className="font-medium">{s.deployment}</Td>
                  <Td className="text-right tabular-nums">{(s.meanScore * 100).toFixed(0)}%</Td>
                  <Td className="text-right tabular-nums">
                    {s.passed}/{s.cases}
                  </Td>
                  <Td className="text-right tabular-nums">{s.errors}</Td>
                  <Td className="text-right tabular-nums">{s.p50LatencyMs === null ? '—' : `${s.p50LatencyMs} ms`}</Td>
                  <Td className="text-right tabular-nums">{usd(s.costUsd)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      ))}
    </section>
  )
}
