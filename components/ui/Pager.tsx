'use client'
import { ChevronLeft, ChevronRight } from 'lucide-react'
import { Button } from './Button'

/** "Items 51–100 of 2,340" with previous/next buttons. `page` is 0-based. */
export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  if (total <= pageSize) return null
  const from = page * pageSize + 1
  const to = Math.min(total, from + pageSize - 1)
  return (
    <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-xs text-muted">
      <span>
        {from.toLocaleString()}–{to.toLocaleString()} of {total.toLocaleString()}
      </span>
      <Button size="sm" variant="ghost" aria-label="Previous page" disabled={page <= 0} onClick={() => onPage(page - 1)} icon={<ChevronLeft className="size-3.5" />} />
      <Button size="sm" variant="ghost" aria-label="Next page" disabled={page >= pages - 1} onClick={() => onPage(page + 1)} icon={<ChevronRight className="size-3.5" />} />
    </nav>
  )
}
