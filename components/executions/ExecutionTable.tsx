'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { SelectAllBox, StatusBadge, Table, TBody, Td, Th, THead, Tr } from '@/components/ui'
import { elapsed, formatCost, formatDuration, formatRelative } from '@/lib/client/format'
import type { ExecutionSummary } from '@/lib/client/types'
import { ExecutionActions } from './ExecutionActions'
import { useNow } from './useNow'

/** Executions newest first; a row opens the execution, its buttons cancel or re-run it, its box selects it. */
export function ExecutionTable({
  executions,
  selected,
  onSelect,
}: {
  executions: ExecutionSummary[]
  selected: ReadonlySet<string>
  onSelect: (ids: string[], checked: boolean) => void
}) {
  const router = useRouter()
  const now = useNow(executions.some((e) => e.status === 'running'))
  return (
    <Table>
      <THead>
        <tr>
          <Th className="w-10">
            <SelectAllBox ids={executions.map((x) => x.id)} selected={selected} onSelect={onSelect} label="Select all executions" />
          </Th>
          <Th>Status</Th>
          <Th>Workflow</Th>
          <Th>Trigger</Th>
          <Th>Started</Th>
          <Th>Duration</Th>
          <Th className="text-right">AI cost</Th>
          <Th>Error</Th>
          <Th className="w-48">
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </THead>
      <TBody>
        {executions.map((e) => (
          <Tr
            key={e.id}
            data-testid="execution-row"
            data-execution-id={e.id}
            data-status={e.status}
            className={selected.has(e.id) ? 'bg-accent-soft/60' : undefined}
            onClick={() => router.push(`/executions/${e.id}`)}
          >
            <Td onClick={(ev) => ev.stopPropagation()}>
              <input type="checkbox" aria-label={`Select the run of ${e.workflowName} ${formatRelative(e.startedAt ?? e.createdAt, now)}`} className="size-4 align-middle accent-accent" checked={selected.has(e.id)} onChange={(ev) => onSelect([e.id], ev.target.checked)} />
            </Td>
            <Td>
              <StatusBadge status={e.status} />
            </Td>
            <Td>
              <Link href={`/executions/${e.id}`} onClick={(ev) => ev.stopPropagation()} className="font-medium hover:text-accent hover:underline">
                {e.workflowName}
              </Link>
              <span className="ml-1.5 text-xs text-muted">v{e.versionNumber}</span>
            </Td>
            <Td className="text-muted capitalize">{e.mode}</Td>
            <Td className="text-muted" title={e.startedAt ?? e.createdAt}>
              {formatRelative(e.startedAt ?? e.createdAt, now)}
            </Td>
            <Td className="tabular-nums text-muted" data-testid="execution-duration">
              {formatDuration(elapsed(e.startedAt, e.finishedAt, now))}
            </Td>
            <Td className="text-right tabular-nums text-muted" data-testid="execution-cost" title={e.aiCostUsd ? `$${e.aiCostUsd} spent on AI calls` : undefined}>
              {formatCost(e.aiCostUsd)}
            </Td>
            <Td className="max-w-72 truncate text-danger" title={e.error?.message}>
              {e.error?.message ?? ''}
            </Td>
            <Td>
              <ExecutionActions executionId={e.id} status={e.status} versionNumber={e.versionNumber} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  )
}
