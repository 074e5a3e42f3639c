// The item a schedule run starts with, like n8n's Schedule Trigger: the tick's scheduled time and its local
// reading in the schedule's time zone. Browser-safe (Intl only): the worker builds it, and the node's executor
// builds one for "now" when run by hand.

export interface ScheduleItem {
  /** The tick's scheduled time (ISO, UTC): the same for every delivery of the tick, however late. */
  timestamp: string
  /** When the run was started for it (ISO, UTC). */
  firedAt: string
  timezone: string
  /** The scheduled time in the zone, with its offset: "2026-03-29T03:30:00+02:00". */
  localTime: string
  readableDate: string
  readableTime: string
  dayOfWeek: string
  year: number
  month: number
  monthName: string
  dayOfMonth: number
  hour: number
  minute: number
  second: number
  /** The zone's offset from UTC at that time, "+02:00". */
  utcOffset: string
  /** `missed: runOnce` catching up after downtime: how many later ticks were folded into this run (absent otherwise). */
  missedTicks?: number
  [key: string]: unknown
}

const knownZones = new Map<string, boolean>()

/** Whether `zone` is an IANA time zone this runtime knows (or "UTC"). Remembered per name (at most 1,000 names):
 * making a formatter to find out costs more than the rest of a schedule run's validation. */
export function isTimeZone(zone: string): boolean {
  let known = knownZones.get(zone)
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone })
      known = true
    } catch {
      known = false
    }
    if (knownZones.size < 1000) knownZones.set(zone, known)
  }
  return known
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0')

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
/** One formatter per zone: making one costs more than formatting with it (1,000 ticks at once share a few). */
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', weekday: 'long', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    })
    formatters.set(zone, f)
  }
  return f
}

/** The wall-clock fields of `at` in `zone`. */
export function localParts(at: Date, zone: string) {
  const parts = formatter(zone).formatToParts(at)
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? ''
  const month = Number(get('month'))
  const year = Number(get('year'))
  const day = Number(get('day'))
  const hour = Number(get('hour'))
  const minute = Number(get('minute'))
  const second = Number(get('second'))
  const offsetMinutes = Math.round((Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(at.getTime() / 1000) * 1000) / 60_000)
  return { year, month, monthName: MONTHS[month - 1], day, hour, minute, second, weekday: get('weekday'), offsetMinutes }
}

export function scheduleItem(tickAt: Date, firedAt: Date, timezone: string): ScheduleItem {
  const p = localParts(tickAt, timezone)
  const utcOffset = `${p.offsetMinutes < 0 ? '-' : '+'}${pad(Math.trunc(p.offsetMinutes / 60))}:${pad(p.offsetMinutes % 60)}`
  const readableTime = `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`
  return {
    timestamp: tickAt.toISOString(),
    firedAt: firedAt.toISOString(),
    timezone,
    localTime: `${p.year}-${pad(p.month)}-${pad(p.day)}T${readableTime}${utcOffset}`,
    readableDate: `${p.weekday}, ${p.monthName} ${p.day}, ${p.year}`,
    readableTime,
    dayOfWeek: p.weekday,
    year: p.year,
    month: p.month,
    monthName: p.monthName,
    dayOfMonth: p.day,
    hour: p.hour,
    minute: p.minute,
    second: p.second,
    utcOffset,
  }
}
