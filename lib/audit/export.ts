// The audit log as a download: CSV for spreadsheets, JSON Lines for log tools. Streamed as pages are read.
import type { AuditRow } from './query'

export type AuditExportFormat = 'csv' | 'jsonl'

const COLUMNS = ['time', 'actorType', 'actorId', 'actor', 'action', 'target', 'outcome', 'ip', 'data'] as const

/**
 * A CSV cell: quoted when it holds a separator, quote or line break, and prefixed with ' when it starts like a
 * formula (= + - @, or a tab or carriage return that spreadsheets skip before one): an actor label or a target is
 * text someone else chose, and a spreadsheet must never run it.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function record(row: AuditRow) {
  return {
    time: row.createdAt.toISOString(), actorType: row.actorType, actorId: row.actorId, actor: row.actorLabel,
    action: row.action, target: row.target, outcome: row.outcome, ip: row.ip, data: row.data ?? null,
  }
}

export function auditExportStream(rows: AsyncIterable<AuditRow>, format: AuditExportFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const iterator = rows[Symbol.asyncIterator]()
  let started = false
  return new ReadableStream({
    async pull(controller) {
      if (!started && format === 'csv') controller.enqueue(encoder.encode(`${COLUMNS.join(',')}\r\n`))
      started = true
      const next = await iterator.next()
      if (next.done) return controller.close()
      const r = record(next.value)
      const line = format === 'csv' ? `${COLUMNS.map((c) => csvCell(r[c])).join(',')}\r\n` : `${JSON.stringify(r)}\n`
      controller.enqueue(encoder.encode(line))
    },
    async cancel() {
      await iterator.return?.(undefined)
    },
  })
}
