'use client'
import { Badge, EmptyState, Table, TBody, Td, Th, THead, Tr } from '@/components/ui'
import { compact, usd, type DeploymentPerf } from './types'

const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`)

/** Measured performance per deployment, from the usage ledger. */
export function DeploymentTable({ rows }: { rows: DeploymentPerf[] }) {
  if (!rows.length) return <EmptyState title="No calls yet" description="Calls through the AI router appear here." />
  return (
    <Table>
      <THead>
        <Tr>
          <Th>Deployment</Th>
          <Th>Model</Th>
          <Th className="text-right">Calls</Th>
          <Th className="text-right">Errors</Th>
          <Th className="text-right">Served as fallback</Th>
          <Th className="text-right">p50</Th>
          <Th className="text-right">p95</Th>
          <Th className="text-right">Tokens in / out</Th>
          <Th className="text-right">Cost</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((d) => (
          <Tr key={d.deploymentId ?? d.deploymentName}>
            <Td className="font-medium">{d.deploymentName}</Td>
            <Td className="text-muted">
              {d.provider} · {d.model}
            </Td>
            <Td className="text-right tabular-nums">{d.calls}</Td>
            <Td className="text-right">
              <Badge tone={d.errorRate > 0.05 ? 'danger' : d.errorRate > 0 ? 'warning' : 'success'}>{(d.errorRate * 100).toFixed(1)}%</Badge>
            </Td>
            <Td className="text-right tabular-nums">{d.fallbacksServed}</Td>
            <Td className="text-right tabular-nums">{ms(d.p50Ms)}</Td>
            <Td className="text-right tabular-nums">{ms(d.p95Ms)}</Td>
            <Td className="text-right tabular-nums">
              {compact(d.inputTokens)} / {compact(d.outputTokens)}
            </Td>
            <Td className="text-right tabular-nums">{usd(d.costUsd)}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  )
}
