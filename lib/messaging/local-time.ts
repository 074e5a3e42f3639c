// A wall-clock time in an IANA time zone as a UTC instant, with Intl only (no time zone library): DST-correct,
// and a time that does not exist on that day (clocks jump forward) is refused rather than silently moved. Browser-safe.

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return zone.length > 0
  } catch {
    return false
  }
}

/** The wall-clock fields of `instant` in `zone`. */
function wallClock(instant: number, zone: string): number[] {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')]
}

/** Minutes `zone` is ahead of UTC at `instant`, as milliseconds. */
function offsetAt(instant: number, zone: string): number {
  const [y, mo, d, h, mi, s] = wallClock(instant, zone)
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(instant / 1000) * 1000
}

export type LocalTimeProblem = 'format' | 'zone' | 'nonexistent'

/**
 * `local` ("2026-03-08T09:00") in `zone` ("America/New_York") as a UTC Date, or the problem. An ambiguous time (clocks
 * fall back) is its first occurrence.
 */
export function zonedToUtc(local: string, zone: string): Date | LocalTimeProblem {
  const m = LOCAL.exec(local.trim())
  if (!m) return 'format'
  if (!isTimeZone(zone)) return 'zone'
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0))
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s)
  const check = new Date(asUtc)
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return 'format'
  // Two candidates (the offsets just before and after): the earliest that reads back as the wall-clock time asked for.
  const candidates = [asUtc - offsetAt(asUtc - 86_400_000, zone), asUtc - offsetAt(asUtc, zone), asUtc - offsetAt(asUtc + 86_400_000, zone)]
  const valid = candidates.filter((c) => {
    const w = wallClock(c, zone)
    return w[0] === y && w[1] === mo && w[2] === d && w[3] === h && w[4] === mi && w[5] === s
  })
  if (valid.length === 0) return 'nonexistent'
  return new Date(Math.min(...valid))
}

/** "2026-03-08 09:00" for `instant` shown in `zone`. */
export function formatInZone(instant: Date, zone: string): string {
  const [y, mo, d, h, mi] = wallClock(instant.getTime(), zone)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}`
}
