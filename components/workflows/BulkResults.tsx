'use client'
import { Button, Dialog } from '@/components/ui'

export interface BulkReport {
  title: string
  failures: Array<{ id: string; name: string | null; message: string }>
}

/** What a bulk action could not do, one line per item with the reason (the rest went through). */
export function BulkResults({ report, onClose }: { report: BulkReport | null; onClose: () => void }) {
  return (
    <Dialog open={report !== null} onClose={onClose} title={report?.title ?? ''} footer={<Button onClick={onClose}>Close</Button>}>
      <ul className="flex max-h-80 flex-col gap-2 overflow-y-auto text-sm" data-testid="bulk-failures">
        {report?.failures.map((f) => (
          <li key={f.id} className="rounded-md border border-line bg-panel-2 px-3 py-2">
            <p className="font-medium">{f.name ?? f.id}</p>
            <p className="text-xs text-danger">{f.message}</p>
          </li>
        ))}
      </ul>
    </Dialog>
  )
}
