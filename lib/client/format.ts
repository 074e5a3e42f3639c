// Small display helpers shared by the dashboard, the designer and the settings pages.

/** 850 → "850 ms", 1500 → "1.5 s", 125000 → "2 m 5 s". A duration is never negative: less than 0 reads "0 ms". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  if (ms < 0) ms = 0
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
  const m = Math.floor(ms / 60_000)
  const s = Math.round((ms % 60_000) / 1000)
  return m < 60 ? `${m} m ${s} s` : `${Math.floor(m / 60)} h ${m % 60} m`
}

/**
 * Duration between two ISO timestamps; running ones measure up to `now`, which should be the server's clock
 * (lib/client/server-clock.ts): start times are stamped by the server, and a browser clock behind it would measure
 * a run that just started as negative. What skew is left (a few ms of network) reads as 0, never below.
 */
export function elapsed(startedAt: string | null, finishedAt: string | null, now = Date.now()): number | null {
  if (!startedAt) return null
  return Math.max(0, (finishedAt ? Date.parse(finishedAt) : now) - Date.parse(startedAt))
}

/** "just now", "5 min ago", "3 h ago", else a short date. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—'
  const diff = now - Date.parse(iso)
  if (diff < 45_000) return 'just now'
  if (diff < 3_600_000) return `${Math.round(diff / 60_000)} min ago`
  if (diff < 86_400_000) return `${Math.round(diff / 3_600_000)} h ago`
  return new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
}

/** A loop's steps: "iteration 3" while one runs, "4 iterations" once settled (a body step's last row is its last
 * iteration, a loop node's carries the count). */
export function iterationText(step: { status: string; iteration: number | null }): string {
  const n = step.iteration ?? 0
  if (step.status === 'running' || step.status === 'retrying') return `iteration ${n}`
  return `${n} iteration${n === 1 ? '' : 's'}`
}

/**
 * An AI cost as the ledger gives it (a USD decimal string, 12 places) for a badge or a cell: cents from $1 up, four
 * places below (a typical call costs a fraction of a cent), and "<$0.0001" for less; "" for none.
 */
export function formatCost(usd: string | null | undefined): string {
  if (usd === null || usd === undefined || usd === '') return ''
  const n = Number(usd)
  if (!Number.isFinite(n)) return ''
  if (n === 0) return '$0'
  if (n >= 0.99995) return `$${n.toFixed(2)}`
  if (n >= 0.0001) return `$${n.toFixed(4)}`
  return '<$0.0001'
}
